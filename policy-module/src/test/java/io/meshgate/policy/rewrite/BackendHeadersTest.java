package io.meshgate.policy.rewrite;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;

import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteCompiler;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A backend's own header changes ({@code backends[].requestHeaders}, {@code responseHeaders}) as
 * real upstreams and a real client see them: only on the requests the split sends to that
 * backend, after the route's own changes.
 */
class BackendHeadersTest extends GatewayTest {

	private static final HeaderModifier V2_REQUEST = new HeaderModifier(Map.of("X-Env", "canary", "X-Backend", "v2"),
			Map.of("X-Tag", "v2"), List.of("X-Debug"));

	private static final HeaderModifier V2_RESPONSE = new HeaderModifier(Map.of("Cache-Control", "no-store"), null,
			List.of("X-Upstream"));

	@Test
	void onlyTheChosenBackendGetsItsHeadersAfterTheRoutesOwn() {
		TestUpstream v1 = start("v1");
		TestUpstream v2 = start("v2");
		apply(List.of(Upstream.of("v1", v1.url()), Upstream.of("v2", v2.url())),
				Route.of("orders", "/orders/**", Backend.of("v1", 1), Backend.of("v2", 1).withHeaders(V2_REQUEST, V2_RESPONSE))
					.withCanary(CanaryPolicy.DEFAULT.withOverride("x-canary"))
					.withRequestHeaders(HeaderModifier.set("X-Env", "prod"))
					.withResponseHeaders(HeaderModifier.set("Cache-Control", "max-age=60")));

		HttpResponse<String> toV2 = client.get("/orders/1", Map.of("x-canary", "v2", "X-Tag", "a", "X-Debug", "1"));
		HttpResponse<String> toV1 = client.get("/orders/1", Map.of("x-canary", "v1", "X-Tag", "a", "X-Debug", "1"));

		assertThat(toV2.body()).isEqualTo("v2");
		assertThat(v2.received()).singleElement()
			.satisfies(received -> assertThat(received.headers()).containsEntry("x-env", "canary")
				.containsEntry("x-backend", "v2")
				.containsEntry("x-tag", "a, v2")
				.doesNotContainKey("x-debug"));
		assertThat(toV2.headers().allValues("cache-control")).containsExactly("no-store");
		assertThat(toV2.headers().firstValue("x-upstream")).isEmpty();

		assertThat(toV1.body()).isEqualTo("v1");
		assertThat(v1.received()).singleElement()
			.satisfies(received -> assertThat(received.headers()).containsEntry("x-env", "prod")
				.containsEntry("x-tag", "a")
				.containsEntry("x-debug", "1")
				.doesNotContainKey("x-backend"));
		assertThat(toV1.headers().allValues("cache-control")).containsExactly("max-age=60");
		assertThat(toV1.headers().allValues("x-upstream")).containsExactly("v1");
	}

	@Test
	void everyRequestOfARandomSplitCarriesTheHeadersOfTheBackendItReached() {
		TestUpstream v1 = start("v1");
		TestUpstream v2 = start("v2");
		apply(List.of(Upstream.of("v1", v1.url()), Upstream.of("v2", v2.url())),
				Route.of("orders", "/orders/**", Backend.of("v1", 1).withHeaders(HeaderModifier.set("X-Backend", "v1"), null),
						Backend.of("v2", 1).withHeaders(HeaderModifier.set("X-Backend", "v2"), null)));

		List<String> bodies = client.bodies(200, 4, i -> "/orders/" + i);

		assertThat(bodies).hasSize(200).containsOnly("v1", "v2");
		assertThat(v1.received().size() + v2.received().size()).isEqualTo(200);
		assertThat(v1.received()).isNotEmpty().allSatisfy(r -> assertThat(r.headers()).containsEntry("x-backend", "v1"));
		assertThat(v2.received()).isNotEmpty().allSatisfy(r -> assertThat(r.headers()).containsEntry("x-backend", "v2"));
	}

	@Test
	void theOnlyBackendOfARouteGetsItsHeadersOnEveryRequest() {
		TestUpstream v1 = start("v1");
		apply(List.of(Upstream.of("v1", v1.url())), Route.of("orders", "/orders/**",
				Backend.of("v1", 1).withHeaders(HeaderModifier.set("X-Backend", "v1"), HeaderModifier.set("X-Served", "v1"))));

		HttpResponse<String> response = client.get("/orders/1");

		assertThat(response.headers().allValues("x-served")).containsExactly("v1");
		assertThat(v1.received()).singleElement()
			.satisfies(received -> assertThat(received.headers()).containsEntry("x-backend", "v1"));
	}

	@Test
	void everyRetryAttemptCarriesTheBackendsHeadersAddedOnce() {
		TestUpstream busy = start("busy").status(503);
		apply(List.of(Upstream.of("busy", busy.url())),
				Route.of("busy", "/busy/**", Backend.of("busy", 1).withHeaders(new HeaderModifier(null, Map.of("X-Via", "busy"), null),
						null))
					.withRetries(RetryPolicy.attempts(1)));

		HttpResponse<String> response = client.get("/busy/1", Map.of("X-Via", "client"));

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(busy.received()).hasSize(2)
			.allSatisfy(received -> assertThat(received.headers()).containsEntry("x-via", "client, busy"));
	}

	@Test
	void aRouteWhoseBackendsChangeNoHeadersRunsNoBackendHeaderFilter() {
		Route plain = Route.of("plain", "/plain/**", Backend.of("v1", 1), Backend.of("v2", 1));
		Route changing = Route.of("changing", "/changing/**", Backend.of("v1", 1),
				Backend.of("v2", 1).withHeaders(HeaderModifier.set("X-Backend", "v2"), null));

		List<RouteDefinition> compiled = RouteCompiler.compile(new MeshConfig(
				List.of(Upstream.of("v1", "http://127.0.0.1:9"), Upstream.of("v2", "http://127.0.0.1:9")), List.of(plain, changing)));

		assertThat(compiled.get(0).getFilters()).extracting(FilterDefinition::getName).containsExactly("Canary");
		assertThat(compiled.get(1).getFilters()).extracting(FilterDefinition::getName)
			.containsExactly("Canary", "BackendHeaderModifier");
		assertThat(compiled.get(1).getFilters().get(1).getArgs()).containsEntry("backend", "v2")
			.containsEntry("requestHeaders.set[X-Backend]", "v2");
	}

	@Test
	void headersAreRefusedWhereTheyWouldBeAmbiguousOrReachNoUpstream() {
		HeaderModifier header = HeaderModifier.set("X-Backend", "v1");
		assertThatIllegalArgumentException().isThrownBy(() -> new Backend(null, 1, 500, header, null))
			.withMessage("status: 500 (expected: none with requestHeaders or responseHeaders; "
					+ "a status share calls no upstream)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Route.of("twice", "/**", Backend.of("v1", 1).withHeaders(header, null), Backend.of("v1", 1)))
			.withMessage("backends[0].upstream: v1 (expected: no other backend with this upstream when a backend "
					+ "changes headers)");
		assertThat(Backend.of("v1", 1).withHeaders(new HeaderModifier(null, null, null), null).changesHeaders()).isFalse();
	}

}
