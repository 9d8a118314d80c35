package io.meshgate.policy.route;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.handler.DefaultWebFilterChain;

import io.meshgate.policy.security.Identity;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * Finds the route the gateway takes for a request, without sending it: a synthetic request passes
 * the gateway's own edge filters (path normalization, client address and header sanitizing) and
 * its own route lookup (the handler mapping of the ingress port, index included). The table is
 * the live one, or, for a dry run, the live one with the dry run's Meshgate routes in place of the
 * running ones, ordered as the gateway orders its routes. Nothing here decides a match itself.
 */
public final class RouteProbe {

	private final Supplier<RoutePredicateHandlerMapping> live;

	private final Function<RouteLocator, RoutePredicateHandlerMapping> lookupOver;

	private final Supplier<List<RouteLocator>> locators;

	private final MeshRouteLocator mesh;

	private final Supplier<List<WebFilter>> edge;

	/**
	 * @param live the gateway's handler mapping
	 * @param lookupOver a handler mapping of the same kind over another route table, ready to
	 * look up (an index built)
	 * @param locators the route locators the gateway's cached composite reads, in its order
	 * @param mesh Meshgate's locator among them
	 * @param edge the filters that run before route lookup, in order
	 */
	public RouteProbe(Supplier<RoutePredicateHandlerMapping> live,
			Function<RouteLocator, RoutePredicateHandlerMapping> lookupOver, Supplier<List<RouteLocator>> locators,
			MeshRouteLocator mesh, Supplier<List<WebFilter>> edge) {
		this.live = live;
		this.lookupOver = lookupOver;
		this.locators = locators;
		this.mesh = mesh;
		this.edge = edge;
	}

	/**
	 * What became of a request.
	 *
	 * @param exchange the request as route lookup saw it (path normalized, client resolved)
	 * @param refused the status the edge answered with, or {@code null} when it passed
	 * @param route the route found, or {@code null}: none (the gateway answers 404) or refused
	 */
	public record Outcome(ServerWebExchange exchange, HttpStatusCode refused, Route route) {

	}

	/**
	 * @param url the request's URL as the server builds it: {@code http://} + its Host header +
	 * the raw path and query
	 * @param headers the request's headers, Host included
	 * @param client the client's address; may be {@code null}
	 * @param identity the caller as if verified (client certificate, token, API key), for routes
	 * matching on claims or principals; {@link Identity#ANONYMOUS} for none. Given, not verified:
	 * the probe does not run the edge's token and certificate checks.
	 * @param proposed a dry run's table ({@link MeshRouting#check}), or {@code null} for the live one
	 */
	public Mono<Outcome> probe(HttpMethod method, URI url, HttpHeaders headers, Map<String, String> cookies,
			InetSocketAddress client, Identity identity, MeshRouteTable proposed) {
		ServerWebExchange received = SyntheticExchange.of(method, url, headers, cookies, client);
		if (!identity.equals(Identity.ANONYMOUS)) {
			Identity.set(received, identity);
		}
		AtomicReference<ServerWebExchange> passed = new AtomicReference<>();
		WebHandler lookup = exchange -> {
			passed.set(exchange);
			return Mono.empty();
		};
		return new DefaultWebFilterChain(lookup, edge.get()).filter(received).then(Mono.defer(() -> {
			ServerWebExchange exchange = passed.get();
			if (exchange == null) {
				return Mono.just(new Outcome(received, received.getResponse().getStatusCode(), null));
			}
			Mono<RoutePredicateHandlerMapping> mapping = proposed == null ? Mono.just(live.get()) : lookupOver(proposed);
			return mapping.flatMap(m -> m.getHandler(exchange))
				.then(Mono.fromSupplier(() -> new Outcome(exchange, null, exchange.getAttribute(GATEWAY_ROUTE_ATTR))));
		}));
	}

	/**
	 * A lookup over the live table with {@code proposed} in place of Meshgate's routes: the
	 * gateway's locators read in its order and sorted as its cache sorts them.
	 */
	private Mono<RoutePredicateHandlerMapping> lookupOver(MeshRouteTable proposed) {
		return Flux.fromIterable(locators.get())
			.flatMapSequential(locator -> locator == mesh ? Flux.fromIterable(proposed.routes()) : locator.getRoutes())
			.sort(AnnotationAwareOrderComparator.INSTANCE)
			.collectList()
			.map(routes -> lookupOver.apply(() -> Flux.fromIterable(routes)));
	}

}
