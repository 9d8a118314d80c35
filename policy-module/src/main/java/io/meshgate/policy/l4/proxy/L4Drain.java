package io.meshgate.policy.l4.proxy;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the L4 connections at shutdown ({@link L4Proxy#drain}), in the phase of the ingress
 * server's graceful shutdown: the HTTP listeners, the TCP routes' listeners and the HTTPS port's
 * passthrough connections stop and drain together, each bounded by
 * {@code spring.lifecycle.timeout-per-shutdown-phase}. Running from the start: the listeners
 * are bound as configurations are applied.
 */
public final class L4Drain implements SmartLifecycle {

	private final L4Proxy proxy;

	private volatile boolean running;

	public L4Drain(L4Proxy proxy) {
		this.proxy = proxy;
	}

	@Override
	public void start() {
		running = true;
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public void stop(Runnable callback) {
		running = false;
		proxy.drain(callback);
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
	}

}
