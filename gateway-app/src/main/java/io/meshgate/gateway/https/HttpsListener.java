package io.meshgate.gateway.https;

import java.util.function.IntConsumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;

/**
 * The HTTPS listener: a second web server for the application's own {@link HttpHandler}, so every
 * route, filter, metric and access-log line is the same as on the ingress port. It starts after
 * the ingress server and stops in the phase of the ingress server's graceful shutdown: with
 * {@code server.shutdown=graceful} it stops accepting connections and lets requests in flight
 * finish (up to {@code spring.lifecycle.timeout-per-shutdown-phase}).
 */
public class HttpsListener implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(HttpsListener.class);

	private final ReactiveWebServerFactory factory;

	private final Supplier<HttpHandler> handler;

	/** Told the port once the listener is bound (GatewayPorts: no upstream may point back at it). */
	private final IntConsumer bound;

	private volatile WebServer server;

	HttpsListener(ReactiveWebServerFactory factory, Supplier<HttpHandler> handler, IntConsumer bound) {
		this.factory = factory;
		this.handler = handler;
		this.bound = bound;
	}

	@Override
	public void start() {
		WebServer started = factory.getWebServer(handler.get());
		started.start();
		this.server = started;
		bound.accept(started.getPort());
		log.info("HTTPS listener on port " + started.getPort());
	}

	@Override
	public void stop() {
		WebServer running = server;
		if (running != null) {
			running.stop();
			server = null;
		}
	}

	@Override
	public void stop(Runnable callback) {
		WebServer running = server;
		if (running == null) {
			callback.run();
			return;
		}
		running.shutDownGracefully(result -> {
			stop();
			callback.run();
		});
	}

	@Override
	public boolean isRunning() {
		return server != null;
	}

	@Override
	public int getPhase() {
		return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
	}

	/** The port it listens on; -1 when it is not running. */
	public int port() {
		WebServer running = server;
		return running == null ? -1 : running.getPort();
	}

}
