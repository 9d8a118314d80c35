package io.meshgate.gateway.transport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import reactor.netty.ReactorNetty;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpResources;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Which kernel interface the event loops use. Reactor Netty takes io_uring when Netty's io_uring
 * transport is on the class path and the kernel and the process's seccomp profile allow it, epoll
 * otherwise (docs/design/io-uring.md). {@value #IO_URING}{@code =false} keeps the loops on epoll.
 * <p>
 * The event loops belong to the JVM, not to an application: Reactor Netty's global
 * {@link HttpResources} (the ingress, the admin port, the upstream calls) and {@link TcpResources}
 * (L4 listeners, DNS). So the setting is read once, by the JVM's first application, before any of
 * them makes a loop, and a later application of the same JVM that asks for the other transport is
 * refused rather than silently given the first one's.
 */
public final class NetworkTransport implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	/** {@code false}: epoll even where io_uring is available. */
	public static final String IO_URING = "meshgate.io-uring.enabled";

	private static final Log log = LogFactory.getLog(NetworkTransport.class);

	private static final Choice jvm = new Choice();

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		boolean allowed = event.getEnvironment().getProperty(IO_URING, Boolean.class, true);
		if (jvm.first(allowed)) {
			if (!allowed && ioUringAvailable()) { // then epoll is too: its library ships beside io_uring's
				HttpResources.set(new EpollLoops("reactor-http", LoopResources.DEFAULT_IO_WORKER_COUNT));
				TcpResources.set(new EpollLoops("reactor-tcp", LoopResources.DEFAULT_IO_WORKER_COUNT));
			}
			log.info("Event loops: " + describe(allowed));
		}
	}

	/** Right after Spring Boot's logging set-up, which runs on the same event, so the line above is logged. */
	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

	/** The transport the loops use, and why, for the start-up log. */
	static String describe(boolean ioUringAllowed) {
		if (!LoopResources.DEFAULT_NATIVE) {
			return "NIO (" + ReactorNetty.NATIVE + "=false)";
		}
		if (ioUringAvailable()) {
			return ioUringAllowed ? "io_uring" : "epoll (" + IO_URING + "=false)";
		}
		if (Epoll.isAvailable()) {
			return "epoll (io_uring unavailable: " + IoUring.unavailabilityCause() + ")";
		}
		return "NIO (no native transport: " + Epoll.unavailabilityCause() + ")";
	}

	private static boolean ioUringAvailable() {
		return LoopResources.DEFAULT_NATIVE && IoUring.isAvailable();
	}

	/** One JVM's choice: made by its first application, held to by every later one. */
	static final class Choice {

		private Boolean ioUringAllowed;

		/** {@code true} for the first call, which decides; later calls must ask for the same. */
		synchronized boolean first(boolean allowed) {
			if (ioUringAllowed == null) {
				ioUringAllowed = allowed;
				return true;
			}
			if (ioUringAllowed != allowed) {
				throw new IllegalStateException(IO_URING + "=" + allowed + " cannot apply: this JVM's event loops were made with "
						+ IO_URING + "=" + ioUringAllowed + ", and it is read once per JVM, by its first application");
			}
			return false;
		}

	}

}
