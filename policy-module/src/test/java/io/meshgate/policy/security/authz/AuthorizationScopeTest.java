package io.meshgate.policy.security.authz;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.test.util.ReflectionTestUtils;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.RawHttp;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization filter is in the chain of exactly the routes a policy in force may apply to
 * (route targets, host targets, the whole gateway), recomputed whenever a configuration is applied:
 * a route no policy can target never runs it, and a gateway-wide policy added at runtime reaches
 * every route, over real sockets. A request of a route without policies, on a connection without
 * a certificate and without a token, never gets an identity: nothing is allocated for it.
 */
@Import(AuthorizationScopeTest.IdentityProbe.class)
class AuthorizationScopeTest extends GatewayTest {

	/** Whether the exchange of a request to a path had an identity when its route's filters ran. */
	static final Map<String, Boolean> identified = new ConcurrentHashMap<>();

	@TestConfiguration
	static class IdentityProbe {

		/** Order 0: after the edge and the route's policies, before the upstream call. */
		@Bean
		GlobalFilter identityProbe() {
			return new OrderedProbe();
		}

	}

	static final class OrderedProbe implements GlobalFilter, Ordered {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			identified.put(exchange.getRequest().getURI().getRawPath(),
					exchange.getAttributes().containsKey(ExchangeAttributes.IDENTITY));
			return chain.filter(exchange);
		}

		@Override
		public int getOrder() {
			return 0;
		}

	}

	@Autowired
	FilteringWebHandler handler;

	@Autowired
	RouteLocator routes;

	TestUpstream upstream;

	@BeforeEach
	void upstream() {
		upstream = start("svc");
	}

	@Test
	void onlyTheRoutesAPolicyCanTargetCarryTheAuthorizationFilter() {
		apply("");
		assertThat(authorizes("a")).isFalse();
		assertThat(authorizes("b")).isFalse();
		assertThat(get("/a/x").status()).isEqualTo(200);
		assertThat(identified).containsEntry("/a/x", false);

		apply("""
				- name: a-closed
				  action: ALLOW
				  targets: {routes: [a]}
				""");
		assertThat(authorizes("a")).isTrue();
		assertThat(authorizes("b")).isFalse();
		assertThat(get("/a/x").body()).contains("\"route\":\"a\",\"policy\":\"a-closed\"");
		assertThat(get("/b/x").status()).isEqualTo(200);
		assertThat(identified).containsEntry("/b/x", false);

		// a host can be the Host of a request on any route: every route carries the filter
		apply("""
				- name: blocked-host
				  action: DENY
				  targets: {hosts: [blocked.example.com]}
				  rules: [{to: {paths: ["*"]}}]
				""");
		assertThat(authorizes("a")).isTrue();
		assertThat(authorizes("b")).isTrue();
		assertThat(RawHttp.send(port, "GET", "/b/x", Map.of("Host", "blocked.example.com")).status()).isEqualTo(403);
		assertThat(get("/b/x").status()).isEqualTo(200);
	}

	@Test
	void aGatewayWidePolicyAddedAtRuntimeAppliesToEveryRoute() {
		apply("");
		assertThat(get("/a/x").status()).isEqualTo(200);
		assertThat(get("/b/x").status()).isEqualTo(200);

		apply("""
				- name: no-get
				  action: DENY
				  rules: [{to: {methods: [GET]}}]
				""");

		assertThat(get("/a/x").body()).contains("\"route\":\"a\",\"policy\":\"no-get\"");
		assertThat(get("/b/x").body()).contains("\"route\":\"b\",\"policy\":\"no-get\"");
		assertThat(authorizes("a")).isTrue();
		assertThat(authorizes("b")).isTrue();

		// and leaves them when it is removed
		apply("");
		assertThat(get("/a/x").status()).isEqualTo(200);
		assertThat(authorizes("a")).isFalse();
		assertThat(upstream.hits()).isEqualTo(3);
	}

	/** Routes {@code a} and {@code b} to the upstream, with the policies of {@code policies} (YAML). */
	private void apply(String policies) {
		routing.apply(new MeshConfig(List.of(Upstream.of("svc", upstream.url())),
				List.of(Route.of("a", "/a/**", Backend.of("svc", 1)), Route.of("b", "/b/**", Backend.of("svc", 1))),
				List.of(), List.of(), policies.isEmpty() ? List.of() : Policies.yaml(policies)));
	}

	private RawHttp.Response get(String path) {
		return RawHttp.send(port, "GET", path, Map.of());
	}

	/**
	 * Whether the authorization filter is in the route's combined chain, as the gateway builds it
	 * for a request (its protected {@code getCombinedFilters}), by its constant name, whether it
	 * is there itself or wrapped as a global filter.
	 */
	private boolean authorizes(String routeId) {
		org.springframework.cloud.gateway.route.Route route = routes.getRoutes()
			.filter(r -> r.getId().equals(routeId))
			.blockFirst();
		List<GatewayFilter> filters = ReflectionTestUtils.invokeMethod(handler, "getCombinedFilters", route);
		String name = AuthorizationFilter.class.getSimpleName();
		return filters.stream().anyMatch(filter -> filter.toString().contains(name));
	}

}
