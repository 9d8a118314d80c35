package io.meshgate.policy.route;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.context.ApplicationEventPublisher;

import io.meshgate.policy.l4.TcpRoute;
import io.meshgate.policy.upstream.UpstreamRegistry;

/**
 * Applies a {@link MeshConfig} to the running gateway: compiles its routes and converts them into
 * gateway routes, starts its upstreams, installs the routes and asks Spring Cloud Gateway to
 * reload them. A configuration is applied whole or not at all: when {@link #apply} returns, every
 * route of it has been built by the gateway's factories and handed to it; none is left out. The configuration in force is {@link #current()}.
 */
public final class MeshRouting {

	private static final Log log = LogFactory.getLog(MeshRouting.class);

	private final UpstreamRegistry upstreams;

	private final MeshRouteLocator locator;

	private final ApplicationEventPublisher events;

	private final List<Consumer<MeshConfig>> participants;

	private final ConfigStage l4;

	private volatile MeshConfig current = MeshConfig.EMPTY;

	public MeshRouting(UpstreamRegistry upstreams, MeshRouteLocator locator,
			ApplicationEventPublisher events) {
		this(upstreams, locator, events, List.of());
	}

	/**
	 * @param participants the runtimes of the other named objects (JWT providers, consumers'
	 * keys): each takes its part of a configuration, after it converted and before its routes
	 * switch, so that a new route finds what it names; none may fail or block
	 */
	public MeshRouting(UpstreamRegistry upstreams, MeshRouteLocator locator, ApplicationEventPublisher events,
			List<Consumer<MeshConfig>> participants) {
		this(upstreams, locator, events, participants, null);
	}

	/**
	 * @param l4 the TCP and TLS passthrough routes' side ({@code l4.proxy.L4Proxy}), or {@code null}
	 * to apply none: it is prepared (new ports bound) before anything else changes, and its routes
	 * switch with the HTTP routes
	 */
	public MeshRouting(UpstreamRegistry upstreams, MeshRouteLocator locator, ApplicationEventPublisher events,
			List<Consumer<MeshConfig>> participants, ConfigStage l4) {
		this.l4 = l4;
		this.upstreams = upstreams;
		this.locator = locator;
		this.events = events;
		this.participants = List.copyOf(participants);
	}

	public MeshConfig current() {
		return current;
	}

	/**
	 * Checks {@code config} as {@link #apply} would, without changing anything: the route table
	 * compiles and every route converts through the gateway's own factories, and the new or
	 * changed upstreams pass {@link UpstreamRegistry#check} (their TLS files are read), and no
	 * upstream points at the gateway on a port of its TCP routes. Returns the
	 * converted table (a dry run's: never served). Throws {@link IllegalArgumentException}
	 * ({@link RouteConversionException} naming the routes that do not convert); blocks on file I/O.
	 */
	public MeshRouteTable check(MeshConfig config) {
		MeshRouteTable table = locator.convert(RouteCompiler.compile(config));
		upstreams.check(config.upstreams());
		upstreams.checkTcpRoutePorts(config.upstreams(), tcpRoutePorts(config));
		return table;
	}

	/**
	 * Makes {@code config} the running configuration; on error nothing changes. Every route is
	 * converted first ({@link RouteConversionException} names those that do not), then new
	 * upstreams start, then the routes switch, then the upstreams no longer used stop: a request
	 * never meets a route whose upstream is gone. Starting an upstream may read certificate files:
	 * never call this on an event-loop thread.
	 */
	public synchronized void apply(MeshConfig config) {
		long start = System.nanoTime();
		MeshRouteTable table = locator.convert(RouteCompiler.compile(config));
		long built = (System.nanoTime() - start) / 1_000_000;
		Set<Integer> tcpRoutePorts = tcpRoutePorts(config);
		upstreams.checkTcpRoutePorts(config.upstreams(), tcpRoutePorts);
		ConfigStage.Prepared l4Routes = l4 == null ? null : l4.prepare(config);
		AutoCloseable retired;
		try {
			retired = upstreams.apply(config.upstreams());
		}
		catch (RuntimeException ex) {
			if (l4Routes != null) {
				l4Routes.abort();
			}
			throw ex;
		}
		participants.forEach(participant -> participant.accept(config));
		locator.install(table);
		if (l4Routes != null) {
			l4Routes.commit();
		}
		upstreams.tcpRoutePorts(tcpRoutePorts);
		current = config;
		events.publishEvent(new RefreshRoutesEvent(this));
		try {
			retired.close();
		}
		catch (Exception ex) {
			log.warn("Stopping retired upstreams failed: " + ex);
		}
		log.info("Routing applied: " + config.routes().size() + " routes over " + config.upstreams().size()
				+ " upstreams, " + config.authorizationPolicies().size() + " authorization policies, "
				+ config.tcpRoutes().size() + " TCP routes, " + config.tlsPassthroughRoutes().size()
				+ " TLS passthrough routes (routes compiled and built in " + built + " ms)");
	}

	private static Set<Integer> tcpRoutePorts(MeshConfig config) {
		return config.tcpRoutes().stream().map(TcpRoute::port).collect(Collectors.toUnmodifiableSet());
	}

}
