package io.meshgate.policy.yaml;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.policy.PolicyTestApplication;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The policy module as a library: plain Spring Cloud Gateway routes written in properties (as
 * in YAML) use Meshgate's filters, in their shortcut and their full form, over upstreams from
 * {@code meshgate.upstreams}.
 */
@SpringBootTest(classes = PolicyTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlainGatewayYamlTest {

	static final TestUpstream V1 = TestUpstream.start("v1");

	static final TestUpstream V2 = TestUpstream.start("v2");

	static final TestUpstream SHADOW = TestUpstream.start("shadow");

	static final TestUpstream FAILING = TestUpstream.start("failing").status(503);

	static final TestUpstream SLOW = TestUpstream.start("slow").delay(Duration.ofSeconds(2));

	static final TestUpstream SHOP = TestUpstream.start("shop");

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry properties) {
		upstream(properties, 0, "v1", V1.url());
		upstream(properties, 1, "v2", V2.url());
		upstream(properties, 2, "shadow", SHADOW.url());
		upstream(properties, 3, "flaky", FAILING.url(), V1.url());
		upstream(properties, 4, "slow", SLOW.url());
		route(properties, 0, "canary", "/canary/**", "lb://v1", "Canary=v1:0 v2:100");
		route(properties, 1, "mirror", "/mirror/**", "lb://v1", "RequestMirror=shadow, 100");
		route(properties, 2, "timeout", "/timeout/**", "lb://slow", "RouteTimeout=300ms");
		String prefix = "spring.cloud.gateway.server.webflux.routes[3].";
		properties.add(prefix + "id", () -> "retry");
		properties.add(prefix + "uri", () -> "lb://flaky");
		properties.add(prefix + "predicates[0]", () -> "Path=/retry/**");
		properties.add(prefix + "filters[0].name", () -> "BudgetedRetry");
		properties.add(prefix + "filters[0].args.attempts", () -> "2");
		properties.add(prefix + "filters[0].args.retryOn", () -> "503, connect-failure");
		prefix = "spring.cloud.gateway.server.webflux.routes[4].";
		properties.add(prefix + "id", () -> "limited");
		properties.add(prefix + "uri", () -> "lb://v1");
		properties.add(prefix + "predicates[0]", () -> "Path=/limited/**");
		properties.add(prefix + "filters[0].name", () -> "LocalRateLimit");
		properties.add(prefix + "filters[0].args.maxTokens", () -> "3");
		properties.add(prefix + "filters[0].args.fillInterval", () -> "1m");
		properties.add(prefix + "filters[0].args.keyOn", () -> "header:x-api-key");
		properties.add(prefix + "filters[1].name", () -> "Fault");
		properties.add(prefix + "filters[1].args.abort.percentage", () -> "100");
		properties.add(prefix + "filters[1].args.abort.httpStatus", () -> "418");
		upstream(properties, 5, "shop", SHOP.url());
		prefix = "spring.cloud.gateway.server.webflux.routes[5].";
		properties.add(prefix + "id", () -> "shop");
		properties.add(prefix + "uri", () -> "lb://shop");
		properties.add(prefix + "predicates[0]", () -> "PathMatch=PREFIX, /shop");
		properties.add(prefix + "predicates[1]", () -> "QueryMatch=preview, true|1");
		properties.add(prefix + "predicates[2]", () -> "HeaderMatch=X-Debug, 1|on");
		properties.add(prefix + "filters[0].name", () -> "RequestHeaderModifier");
		properties.add(prefix + "filters[0].args.set[X-Preview]", () -> "on");
		properties.add(prefix + "filters[0].args.remove", () -> "X-Debug,X-Trace");
		properties.add(prefix + "filters[1].name", () -> "UrlRewrite");
		properties.add(prefix + "filters[1].args.hostname", () -> "shop.internal");
		properties.add(prefix + "filters[1].args.replacePrefixMatch", () -> "/");
		properties.add(prefix + "filters[1].args.prefix", () -> "/shop");
		route(properties, 6, "to-https", "/insecure/**", "no://op", "RequestRedirect=https, 301");
		prefix = "spring.cloud.gateway.server.webflux.routes[7].";
		properties.add(prefix + "id", () -> "cors");
		properties.add(prefix + "uri", () -> "lb://v1");
		properties.add(prefix + "predicates[0]", () -> "Path=/cors/**");
		properties.add(prefix + "predicates[1]", () -> "CorsMethod=GET");
		properties.add(prefix + "filters[0].name", () -> "Cors");
		properties.add(prefix + "filters[0].args.allowOrigins", () -> "https://app.example.com,https://*.example.org");
		properties.add(prefix + "filters[0].args.maxAge", () -> "600");
	}

	private static void upstream(DynamicPropertyRegistry properties, int index, String name, String... urls) {
		properties.add("meshgate.upstreams[" + index + "].name", () -> name);
		for (int i = 0; i < urls.length; i++) {
			String url = urls[i];
			properties.add("meshgate.upstreams[" + index + "].endpoints[" + i + "]", () -> url);
		}
	}

	private static void route(DynamicPropertyRegistry properties, int index, String id, String path, String uri,
			String filter) {
		String prefix = "spring.cloud.gateway.server.webflux.routes[" + index + "].";
		properties.add(prefix + "id", () -> id);
		properties.add(prefix + "uri", () -> uri);
		properties.add(prefix + "predicates[0]", () -> "Path=" + path);
		properties.add(prefix + "filters[0]", () -> filter);
	}

	@Test
	void canaryShortcutSplitsOverUpstreams() {
		assertThat(client().bodies(20, 2, i -> "/canary/" + i)).containsOnly("v2");
	}

	@Test
	void mirrorShortcutCopiesRequests() {
		int before = SHADOW.hits();
		assertThat(client().bodies(10, 2, i -> "/mirror/" + i)).containsOnly("v1");
		await().until(() -> SHADOW.hits() == before + 10);
	}

	@Test
	void retryInFullFormRetriesOnAnotherEndpoint() {
		assertThat(client().bodies(20, 2, i -> "/retry/" + i)).containsOnly("v1");
	}

	@Test
	void routeTimeoutShortcutAnswers504() {
		assertThat(client().get("/timeout/x").statusCode()).isEqualTo(504);
	}

	@Test
	void rateLimitRunsBeforeFaultWhateverTheOrderWrittenDown() {
		GatewayClient client = client();
		for (int i = 0; i < 3; i++) {
			assertThat(client.get("/limited/x", Map.of("x-api-key", "k")).statusCode()).isEqualTo(418);
		}
		assertThat(client.get("/limited/x", Map.of("x-api-key", "k")).statusCode()).isEqualTo(429);
	}

	@Test
	void pathQueryAndHeaderMatchHeaderChangesAndRewriteInPlainYaml() {
		var response = client().get("/shop/cart?preview=1", Map.of("X-Debug", "1", "X-Trace", "1"));

		assertThat(response.body()).isEqualTo("shop");
		TestUpstream.Received received = SHOP.received().get(SHOP.received().size() - 1);
		assertThat(received.uri()).isEqualTo("/cart?preview=1");
		assertThat(received.headers()).containsEntry("x-preview", "on")
			.containsEntry("host", "shop.internal")
			.doesNotContainKeys("x-debug", "x-trace");
		assertThat(client().get("/shop/cart?preview=0", Map.of("X-Debug", "1")).statusCode()).isEqualTo(404);
		assertThat(client().get("/shop/cart?preview=1", Map.of("X-Debug", "2")).statusCode()).isEqualTo(404);
		assertThat(client().get("/shopping?preview=1", Map.of("X-Debug", "1")).statusCode()).isEqualTo(404);
	}

	@Test
	void redirectShortcut() {
		var response = client().get("/insecure/a?b=1");

		assertThat(response.statusCode()).isEqualTo(301);
		assertThat(response.headers().firstValue("location")).hasValue("https://127.0.0.1/insecure/a?b=1");
	}

	@Test
	void corsFilterAndCorsMethodInPlainYaml() {
		int before = V1.hits();
		var preflight = client().send("OPTIONS", "/cors/x",
				Map.of("Origin", "https://a.example.org", "Access-Control-Request-Method", "GET"));
		var actual = client().get("/cors/x", Map.of("Origin", "https://app.example.com"));

		assertThat(preflight.statusCode()).isEqualTo(204);
		assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("https://a.example.org");
		assertThat(preflight.headers().firstValue("access-control-max-age")).hasValue("600");
		assertThat(actual.body()).isEqualTo("v1");
		assertThat(actual.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example.com");
		assertThat(V1.hits()).isEqualTo(before + 1);
	}

	private GatewayClient client() {
		return new GatewayClient(port);
	}

}
