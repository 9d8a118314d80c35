package io.meshgate.policy.l4.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.meshgate.policy.l4.L4Backend;
import io.meshgate.policy.l4.L4ConnectionPolicy;
import io.meshgate.policy.l4.TcpRoute;
import io.meshgate.policy.l4.TlsPassthroughRoute;
import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.route.ConfigStage;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.upstream.UpstreamRegistry;

/**
 * The L4 side of the gateway: the listeners of the TCP routes and the table of the TLS
 * passthrough routes, applied from a {@link MeshConfig} in two steps so that a configuration is
 * applied whole or not at all: {@link #prepare} binds the ports of new TCP routes (and fails,
 * changing nothing, when one cannot be bound); the returned step's {@code commit} switches the
 * routes and closes the listeners of ports no longer used, {@code abort} closes what prepare bound.
 * Connections pick their backend endpoint from {@link UpstreamRegistry} when they open.
 */
public final class L4Proxy implements ConfigStage, AutoCloseable {

	private static final Log log = LogFactory.getLog(L4Proxy.class);

	private final UpstreamRegistry upstreams;

	private final MeterRegistry meters;

	private final AddressResolverGroup<?> resolver;

	private final L4Properties properties;

	/** Open connections by route ({@code tcp/name}, {@code tls/name}), kept across versions of the route. */
	private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();

	private final Map<Integer, TcpListener> listeners = new HashMap<>();

	private volatile Map<String, L4Route> tcpRoutes = Map.of();

	private volatile Map<String, Integer> tcpPorts = Map.of();

	private volatile PassthroughTable passthrough = PassthroughTable.EMPTY;

	private volatile Map<String, L4Route> passthroughRoutes = Map.of();

	/** The connections relayed by TLS passthrough, open now (a graceful shutdown drains them). */
	private final ChannelGroup passthroughConnections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

	private final Duration shutdownGrace;

	/**
	 * @param resolver resolves endpoint host names without blocking (the gateway's guarded resolver)
	 * @param shutdownGrace how long open connections may drain at a graceful shutdown ({@link #drain});
	 * zero when the shutdown is immediate
	 */
	public L4Proxy(UpstreamRegistry upstreams, MeterRegistry meters, AddressResolverGroup<?> resolver,
			L4Properties properties, Duration shutdownGrace) {
		this.shutdownGrace = shutdownGrace;
		this.upstreams = upstreams;
		this.meters = meters;
		this.resolver = resolver;
		this.properties = properties;
	}

	/**
	 * Binds the ports of {@code config}'s TCP routes that no listener holds yet. Throws
	 * {@link IllegalArgumentException} ({@code tcpRoutes[name].port: …}) when one cannot be bound,
	 * after closing those it bound. Blocks for the binds: never call it on an event loop.
	 */
	@Override
	public synchronized Prepared prepare(MeshConfig config) {
		Map<Integer, TcpListener> bound = new HashMap<>();
		Map<String, L4Route> nextTcp = new LinkedHashMap<>();
		Map<String, Integer> ports = new LinkedHashMap<>();
		Map<Integer, L4Route> byPort = new HashMap<>();
		try {
			for (TcpRoute spec : config.tcpRoutes()) {
				L4Route route = route("tcp/", spec.name(), spec.backends(), spec.connection());
				nextTcp.put(spec.name(), route);
				ports.put(spec.name(), spec.port());
				byPort.put(spec.port(), route);
				if (!listeners.containsKey(spec.port())) {
					bound.put(spec.port(), bind(spec, route));
				}
			}
		}
		catch (RuntimeException ex) {
			bound.values().forEach(TcpListener::close);
			throw ex;
		}
		Map<String, L4Route> nextPassthrough = new LinkedHashMap<>();
		Map<TlsPassthroughRoute, L4Route> table = new LinkedHashMap<>();
		for (TlsPassthroughRoute spec : config.tlsPassthroughRoutes()) {
			L4Route route = route("tls/", spec.name(), spec.backends(), spec.connection());
			nextPassthrough.put(spec.name(), route);
			table.put(spec, route);
		}
		return new Prepared() {

			@Override
			public void commit() {
				switchTo(bound, byPort, nextTcp, nextPassthrough, PassthroughTable.of(table));
				tcpPorts = Map.copyOf(ports);
			}

			@Override
			public void abort() {
				bound.values().forEach(TcpListener::close);
			}

		};
	}

	private synchronized void switchTo(Map<Integer, TcpListener> bound, Map<Integer, L4Route> byPort,
			Map<String, L4Route> nextTcp, Map<String, L4Route> nextPassthrough, PassthroughTable table) {
		listeners.putAll(bound);
		List<Integer> retired = new ArrayList<>();
		listeners.forEach((port, listener) -> {
			L4Route route = byPort.get(port);
			if (route == null) {
				retired.add(port);
			}
			else {
				listener.route(route);
			}
		});
		retired.forEach(port -> listeners.remove(port).close());
		tcpRoutes = Map.copyOf(nextTcp);
		passthroughRoutes = Map.copyOf(nextPassthrough);
		passthrough = table;
		if (!nextTcp.isEmpty() || !nextPassthrough.isEmpty() || !retired.isEmpty()) {
			log.info("L4 routes applied: TCP " + nextTcp.keySet() + " on ports " + byPort.keySet()
					+ ", TLS passthrough " + nextPassthrough.keySet() + " (" + retired.size() + " listeners closed)");
		}
	}

	private TcpListener bind(TcpRoute spec, L4Route route) {
		try {
			return new TcpListener(properties.address(), spec.port(), route, resolver);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("tcpRoutes[" + spec.name() + "].port: " + spec.port()
					+ " (expected: a port the gateway can listen on at " + properties.address() + "; "
					+ rootMessage(ex) + ")", ex);
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

	private L4Route route(String kind, String name, List<L4Backend> backends, L4ConnectionPolicy policy) {
		AtomicInteger open = active.computeIfAbsent(kind + name, key -> {
			AtomicInteger count = new AtomicInteger();
			Gauge.builder(L4Meters.ACTIVE, count, AtomicInteger::get)
				.description("Open client connections of the L4 route")
				.tags(MeshMetrics.ROUTE, name, "kind", kind.equals("tcp/") ? "tcp" : "tls_passthrough")
				.register(meters);
			return count;
		});
		return new L4Route(name, backends, policy, upstreams, meters, open);
	}

	/**
	 * Puts the passthrough check in front of the TLS handler of a new connection to the HTTPS port
	 * (named {@code tlsHandler}), when there are passthrough routes: without any, terminated HTTPS
	 * pays nothing for it.
	 */
	public void onHttpsChannel(Channel channel, String tlsHandler) {
		PassthroughTable table = passthrough;
		if (!table.isEmpty() && channel.pipeline().get(tlsHandler) != null) {
			channel.pipeline().addBefore(tlsHandler, PassthroughSniHandler.NAME, new PassthroughSniHandler(table,
					resolver, properties.maxClientHelloLength(), properties.clientHelloTimeout().toMillis(),
					passthroughConnections));
		}
	}

	/** The TCP routes and TLS passthrough routes in force with their live state, for {@code /actuator/mesh}. */
	public Map<String, Map<String, Object>> state() {
		Map<String, Object> tcp = new LinkedHashMap<>();
		Map<String, Integer> ports = tcpPorts;
		tcpRoutes.forEach((name, route) -> {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("port", ports.get(name));
			json.put("activeConnections", route.active());
			tcp.put(name, json);
		});
		Map<String, Object> tls = new LinkedHashMap<>();
		passthroughRoutes.forEach((name, route) -> tls.put(name, Map.<String, Object>of("activeConnections", route.active())));
		return Map.of("tcpRoutes", tcp, "tlsPassthroughRoutes", tls);
	}

	/**
	 * A graceful stop: the TCP routes' listeners stop accepting at once, and the connections open
	 * on them and through TLS passthrough get up to the shutdown grace period to finish (each ends
	 * when its client or backend ends it, or at its idle timeout); those still open then are
	 * closed. Runs {@code done} when no connection is left, on a Netty executor thread. Blocks for
	 * the close of the listening sockets only. (The HTTPS listener stops taking passthrough
	 * connections as it stops accepting, in the same shutdown phase.)
	 */
	public void drain(Runnable done) {
		List<ChannelGroup> open = new ArrayList<>();
		synchronized (this) {
			listeners.values().forEach(listener -> {
				listener.stopAccepting();
				open.add(listener.connections());
			});
		}
		open.add(passthroughConnections);
		ConnectionDrain.start(open, shutdownGrace, done);
	}

	@Override
	public synchronized void close() {
		listeners.values().forEach(TcpListener::close);
		listeners.clear();
	}

}
