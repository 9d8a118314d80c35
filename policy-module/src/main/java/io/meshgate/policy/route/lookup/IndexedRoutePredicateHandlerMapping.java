package io.meshgate.policy.route.lookup;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import org.reactivestreams.Publisher;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_PREDICATE_PATH_CONTAINER_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_PREDICATE_ROUTE_ATTR;

/**
 * Spring Cloud Gateway's handler mapping, looking routes up through a {@link RouteIndex} instead
 * of testing every route: the cost of a request does not grow with the size of the route table.
 * The index is rebuilt whenever the gateway's route cache is (after every
 * {@code RefreshRoutesEvent}); until the first one it falls back to the gateway's own scan.
 * Requests that arrive on the management server's own port are never routed.
 */
public class IndexedRoutePredicateHandlerMapping extends RoutePredicateHandlerMapping
		implements ApplicationListener<RefreshRoutesResultEvent> {

	private static final String MANAGEMENT = "management";

	private final RouteLocator routes;

	/** {@code null} until the gateway's first route refresh. */
	private volatile RouteIndex index;

	/** -1 until the management server (on a port of its own) has started. */
	private volatile int managementPort = -1;

	public IndexedRoutePredicateHandlerMapping(FilteringWebHandler webHandler, RouteLocator routes,
			GlobalCorsProperties cors, Environment environment) {
		super(webHandler, routes, cors, environment);
		this.routes = routes;
	}

	/**
	 * The port the management server bound, once it has: Spring Cloud Gateway's own guard compares
	 * with the configured {@code management.server.port}, which does nothing when that is 0. The
	 * management server's dispatcher sees this mapping too (a bean of its parent context).
	 */
	@EventListener
	public void onWebServerStarted(WebServerInitializedEvent event) {
		if (MANAGEMENT.equals(event.getApplicationContext().getServerNamespace())) {
			managementPort = event.getWebServer().getPort();
		}
	}

	/** Nothing is routed on the management server's port, whatever number it was given. */
	@Override
	protected Mono<?> getHandlerInternal(ServerWebExchange exchange) {
		InetSocketAddress local = exchange.getRequest().getLocalAddress();
		if (local != null && local.getPort() == managementPort) {
			return Mono.empty();
		}
		if (getApiVersionStrategy() != null) {
			shareAttributes(exchange);
		}
		return super.getHandlerInternal(exchange);
	}

	/**
	 * Makes the request's attributes the exchange's, where the {@code Version} predicate looks for
	 * the request's API version. Only the request the server made has them: Meshgate's byte
	 * counting decorates it and the edge may rebuild it (a normalized path), and those requests'
	 * attributes are empty, so the predicate would match every version.
	 */
	private static void shareAttributes(ServerWebExchange exchange) {
		Map<String, Object> attributes = exchange.getAttributes();
		ServerHttpRequest request = exchange.getRequest();
		if (request.getAttributes() == attributes) {
			return;
		}
		while (request instanceof ServerHttpRequestDecorator decorator) {
			request = decorator.getDelegate();
		}
		if (request instanceof AbstractServerHttpRequest own) {
			own.setAttributesSupplier(() -> attributes);
		}
	}

	@Override
	public void onApplicationEvent(RefreshRoutesResultEvent event) {
		// The routing cache is filled by now and answers at once: no blocking, on any thread.
		this.routes.getRoutes().collectList().subscribe(this::reindex, error -> logger.warn(
				"Route index not rebuilt, the previous one stays: " + error));
	}

	private void reindex(List<Route> current) {
		RouteIndex previous = index;
		if (previous == null || !previous.isOf(current)) {
			index = RouteIndex.of(current);
		}
	}

	/** How many routes the index holds; -1 before the gateway's first route refresh. */
	public int indexedRoutes() {
		RouteIndex current = index;
		return current == null ? -1 : current.size();
	}

	@Override
	protected Mono<Route> lookupRoute(ServerWebExchange exchange) {
		RouteIndex current = index;
		if (current == null) {
			return super.lookupRoute(exchange);
		}
		// The Path predicate parses the raw path into this attribute too: parse once, share it.
		PathContainer path = (PathContainer) exchange.getAttributes()
			.computeIfAbsent(GATEWAY_PREDICATE_PATH_CONTAINER_ATTR,
					key -> PathContainer.parsePath(exchange.getRequest().getURI().getRawPath()));
		return firstMatch(current.candidates(path), exchange);
	}

	/**
	 * The first of {@code candidates} whose predicate holds, in order, as the gateway's own lookup
	 * finds it. Predicates that answer at once (a single predicate such as Path, whose answer is a
	 * {@code Mono.just}) are read in place; from the first one that does not (several predicates
	 * combined, a predicate of your own) on, the rest are waited for one after another by a
	 * reactive filter (it iterates rather than nests, whatever the number of routes).
	 * A route's predicate that fails counts as not matching, as in the gateway.
	 */
	private Mono<Route> firstMatch(List<Route> candidates, ServerWebExchange exchange) {
		for (int i = 0; i < candidates.size(); i++) {
			Route route = candidates.get(i);
			Publisher<Boolean> answer = test(route, exchange);
			if (!(answer instanceof Fuseable.ScalarCallable<?> now)) {
				List<Route> rest = candidates.subList(i + 1, candidates.size());
				return matches(answer, route)
					.flatMap(matched -> matched ? found(route, exchange) : firstMatchWaiting(rest, exchange));
			}
			if (Boolean.TRUE.equals(valueOf(now, route))) {
				return found(route, exchange);
			}
		}
		return Mono.empty();
	}

	private Mono<Route> firstMatchWaiting(List<Route> candidates, ServerWebExchange exchange) {
		return Flux.fromIterable(candidates)
			.filterWhen(route -> matches(test(route, exchange), route))
			.next()
			.flatMap(route -> found(route, exchange));
	}

	private Mono<Boolean> matches(Publisher<Boolean> answer, Route route) {
		return Mono.from(answer).onErrorResume(error -> Mono.just(failed(route, error))).defaultIfEmpty(false);
	}

	private Publisher<Boolean> test(Route route, ServerWebExchange exchange) {
		exchange.getAttributes().put(GATEWAY_PREDICATE_ROUTE_ATTR, route.getId());
		try {
			return route.getPredicate().apply(exchange);
		}
		catch (RuntimeException ex) {
			return Mono.just(failed(route, ex));
		}
	}

	private Object valueOf(Fuseable.ScalarCallable<?> answer, Route route) {
		try {
			return answer.call();
		}
		catch (Exception ex) {
			return failed(route, ex);
		}
	}

	/** A predicate that fails does not match (and is logged), as in the gateway's own lookup. */
	private boolean failed(Route route, Throwable error) {
		logger.error("Error applying predicate for route: " + route.getId(), error);
		return false;
	}

	private Mono<Route> found(Route route, ServerWebExchange exchange) {
		validateRoute(route, exchange);
		return Mono.just(route);
	}

}
