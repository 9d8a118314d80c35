package io.meshgate.policy.edge;

import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * Once the shutdown has begun, closes an HTTP/1.1 connection as its response ends, so that no
 * keep-alive connection outlives the graceful shutdown.
 *
 * <p>Reactor Netty's graceful shutdown ({@code DisposableServer.disposeNow}) closes at once a
 * connection with no request in flight, and waits for the others' requests to end, then disposes
 * their operations. A response that ends while the shutdown takes stock of the connections falls
 * between the two: the shutdown waits for it, but the request's end has already detached the
 * operations it then disposes, so the connection stays open and goes on serving requests after the
 * listener stopped: on Reactor Netty 1.3.6, from 1 in 170 to 1 in 25 of the connections whose
 * response ends as the shutdown starts, depending on how the response is written.
 *
 * <p>Why this closes every such connection: Reactor Netty detaches a request's operations from its
 * connection before it tells the observers that the request ended. An observer that sees the drain
 * flag unset therefore ran before the shutdown looked at the connection, which then finds it idle
 * and closes it; an observer that sees the flag set closes the connection itself. The flag is set
 * one lifecycle phase before the web servers' graceful shutdown, so before any of them looks.
 *
 * <p>HTTP/2 streams are left alone: the shutdown sends their connection a GOAWAY and closes it once
 * its streams end.
 */
public final class KeepAliveDrain implements SmartLifecycle {

	private volatile boolean running;

	private volatile boolean draining;

	/** {@code server}, whose HTTP/1.1 connections are closed at their response's end while draining. */
	public HttpServer apply(HttpServer server) {
		return server.childObserve((connection, state) -> {
			if (state == ConnectionObserver.State.DISCONNECTING && draining) {
				Channel channel = connection.channel();
				if (channel.parent() instanceof ServerChannel) {
					channel.close();
				}
			}
		});
	}

	@Override
	public void start() {
		draining = false;
		running = true;
	}

	/** The drain begins: every HTTP/1.1 response that ends from now on closes its connection. */
	@Override
	public void stop() {
		draining = true;
		running = false;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stops just before the web servers' graceful shutdown (a higher phase stops earlier). */
	@Override
	public int getPhase() {
		return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
	}

}
