package io.meshgate.gateway.listeners;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;

import io.meshgate.policy.route.ListenerPorts;
import io.meshgate.policy.upstream.GatewayPorts;

/**
 * The further HTTP listener ports ({@code meshgate.listeners.ports}): one server per port for the
 * application's own {@link HttpHandler}, as the HTTPS listener is, each registered in
 * {@link ListenerPorts} as the listener port it serves, so that routes with a listener match
 * take its requests and no others. They start after the ingress server, all of them or none (a
 * port that cannot be bound fails the start: the deployment declared it), and stop in the phase
 * of the ingress server's graceful shutdown.
 */
public class ListenerServers implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(ListenerServers.class);

	private final Map<Integer, Integer> ports;

	private final Supplier<NettyReactiveWebServerFactory> factories;

	private final Supplier<HttpHandler> handler;

	private final ListenerPorts listenerPorts;

	private final GatewayPorts gatewayPorts;

	private volatile List<WebServer> servers = List.of();

	/**
	 * @param ports listener port to local port (0: a free one)
	 * @param factories a new ingress-like factory per call
	 */
	ListenerServers(Map<Integer, Integer> ports, Supplier<NettyReactiveWebServerFactory> factories,
			Supplier<HttpHandler> handler, ListenerPorts listenerPorts, GatewayPorts gatewayPorts) {
		this.ports = Map.copyOf(ports);
		this.factories = factories;
		this.handler = handler;
		this.listenerPorts = listenerPorts;
		this.gatewayPorts = gatewayPorts;
	}

	@Override
	public synchronized void start() {
		List<WebServer> started = new ArrayList<>();
		try {
			for (Map.Entry<Integer, Integer> port : ports.entrySet()) {
				NettyReactiveWebServerFactory factory = factories.get();
				factory.setPort(port.getValue());
				factory.setSsl(null);
				WebServer server = factory.getWebServer(handler.get());
				server.start();
				started.add(server);
				listenerPorts.register(server.getPort(), port.getKey());
				gatewayPorts.reserve(server.getPort());
				log.info("Listener port " + port.getKey() + " on port " + server.getPort());
			}
		}
		catch (RuntimeException ex) {
			started.forEach(WebServer::stop);
			throw ex;
		}
		servers = List.copyOf(started);
	}

	@Override
	public synchronized void stop() {
		servers.forEach(WebServer::stop);
		servers = List.of();
	}

	@Override
	public void stop(Runnable callback) {
		List<WebServer> running = servers;
		if (running.isEmpty()) {
			callback.run();
			return;
		}
		AtomicInteger left = new AtomicInteger(running.size());
		running.forEach(server -> server.shutDownGracefully(result -> {
			if (left.decrementAndGet() == 0) {
				stop();
				callback.run();
			}
		}));
	}

	@Override
	public boolean isRunning() {
		return !servers.isEmpty();
	}

	@Override
	public int getPhase() {
		return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
	}

	/** The local port serving {@code listenerPort}; -1 when none does. */
	public int localPort(int listenerPort) {
		for (WebServer server : servers) {
			if (listenerPorts.listenerPort(server.getPort()) == listenerPort) {
				return server.getPort();
			}
		}
		return -1;
	}

}
