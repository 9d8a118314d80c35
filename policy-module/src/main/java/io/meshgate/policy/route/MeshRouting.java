package io.meshgate.policy.route;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.context.ApplicationEventPublisher;

import io.meshgate.policy.upstream.UpstreamRegistry;

/**
 * Applies a {@link MeshConfig} to the running gateway: starts its upstreams, compiles its routes
 * and asks Spring Cloud Gateway to reload them. The configuration in force is
 * {@link #current()}.
 */
public final class MeshRouting {

	private static final Log log = LogFactory.getLog(MeshRouting.class);

	private final UpstreamRegistry upstreams;

	private final MeshRouteLocator locator;

	private final ApplicationEventPublisher events;

	private volatile MeshConfig current = MeshConfig.EMPTY;

	public MeshRouting(UpstreamRegistry upstreams, MeshRouteLocator locator,
			ApplicationEventPublisher events) {
		this.upstreams = upstreams;
		this.locator = locator;
		this.events = events;
	}

	public MeshConfig current() {
		return current;
	}

	/**
	 * Checks {@code config} as {@link #apply} would, without changing anything: the route table
	 * compiles, and the new or changed upstreams pass {@link UpstreamRegistry#check} (their TLS
	 * files are read). Throws {@link IllegalArgumentException}; blocks on file I/O.
	 */
	public void check(MeshConfig config) {
		RouteCompiler.compile(config);
		upstreams.check(config.upstreams());
	}

	/**
	 * Makes {@code config} the running configuration; on error nothing changes. New upstreams
	 * start first, then the routes switch, then the upstreams no longer used stop: a request
	 * never meets a route whose upstream is gone. Starting an upstream may read certificate files:
	 * never call this on an event-loop thread.
	 */
	public synchronized void apply(MeshConfig config) {
		List<RouteDefinition> definitions = RouteCompiler.compile(config);
		AutoCloseable retired = upstreams.apply(config.upstreams());
		locator.set(definitions);
		current = config;
		events.publishEvent(new RefreshRoutesEvent(this));
		try {
			retired.close();
		}
		catch (Exception ex) {
			log.warn("Stopping retired upstreams failed: " + ex);
		}
		log.info("Routing applied: " + config.routes().size() + " routes over " + config.upstreams().size()
				+ " upstreams");
	}

}
