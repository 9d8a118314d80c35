package io.meshgate.policy.rewrite;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.PathType;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Header changes, Host and path rewrites as a real upstream receives them, and redirects as a
 * client receives them (the HTTP client here does not follow redirects).
 */
class RewriteAndRedirectTest extends GatewayTest {

	@Test
	void requestHeadersAreSetAddedAndRemoved() {
		TestUpstream orders = start("orders");
		apply(List.of(Upstream.of("orders", orders.url())), Route.of("orders", "/orders/**", Backend.of("orders", 1))
			.withRequestHeaders(new HeaderModifier(Map.of("X-Env", "prod"), Map.of("x-tag", "b"), List.of("X-Debug"))));

		var response = client.get("/orders/1", Map.of("x-env", "dev", "X-Tag", "a", "x-debug", "1"));

		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, String> received = orders.received().get(0).headers();
		assertThat(received).containsEntry("x-env", "prod").containsEntry("x-tag", "a, b").doesNotContainKey("x-debug");
	}

	@Test
	void responseHeadersAreSetAddedAndRemoved() {
		TestUpstream orders = start("orders");
		apply(List.of(Upstream.of("orders", orders.url())),
				Route.of("orders", "/orders/**", Backend.of("orders", 1))
					.withResponseHeaders(new HeaderModifier(Map.of("Cache-Control", "no-store"),
							Map.of("X-Upstream", "gateway"), List.of("content-type"))));

		var response = client.get("/orders/1");

		assertThat(response.body()).isEqualTo("orders");
		assertThat(response.headers().allValues("cache-control")).containsExactly("no-store");
		assertThat(response.headers().allValues("x-upstream")).containsExactly("orders", "gateway");
		assertThat(response.headers().firstValue("content-type")).isEmpty();
	}

	@Test
	void hostAndFullPathAreRewritten() {
		TestUpstream orders = start("orders");
		apply(List.of(Upstream.of("orders", orders.url())), Route.of("orders", "/orders/**", Backend.of("orders", 1))
			.withRewrite(new RewritePolicy("orders.internal", "/v2/orders", null, false)));

		assertThat(client.get("/orders/1?page=2").statusCode()).isEqualTo(200);

		TestUpstream.Received received = orders.received().get(0);
		assertThat(received.uri()).isEqualTo("/v2/orders?page=2");
		assertThat(received.headers()).containsEntry("host", "orders.internal");
	}

	@Test
	void withoutRewriteTheUpstreamSeesItsOwnAddressAsHost() {
		TestUpstream orders = start("orders");
		apply(List.of(Upstream.of("orders", orders.url())), Route.of("orders", "/orders/**", Backend.of("orders", 1)));

		client.get("/orders/1");

		assertThat(orders.received().get(0).headers()).containsEntry("host", orders.host() + ":" + orders.port());
	}

	@Test
	void preserveHostSendsTheClientsHost() {
		TestUpstream orders = start("orders");
		apply(List.of(Upstream.of("orders", orders.url())), Route.of("orders", "/orders/**", Backend.of("orders", 1))
			.withRewrite(new RewritePolicy(null, null, null, true)));

		client.get("/orders/1");

		assertThat(orders.received().get(0).headers()).containsEntry("host", "127.0.0.1:" + port);
	}

	@Test
	void prefixIsReplacedElementWise() {
		TestUpstream shop = start("shop");
		TestUpstream root = start("root");
		apply(List.of(Upstream.of("shop", shop.url()), Upstream.of("root", root.url())),
				Route.of("shop", RouteMatch.path(PathType.PREFIX, "/shop"), List.of(Backend.of("shop", 1)))
					.withRewrite(RewritePolicy.prefix("/v2")),
				Route.of("root", RouteMatch.path(PathType.PREFIX, "/static/"), List.of(Backend.of("root", 1)))
					.withRewrite(RewritePolicy.prefix("/")));

		for (String path : List.of("/shop/cart?x=1", "/shop", "/shop/", "/static/app.js", "/static")) {
			assertThat(client.get(path).statusCode()).as(path).isEqualTo(200);
		}

		assertThat(shop.received()).extracting(TestUpstream.Received::uri).containsExactly("/v2/cart?x=1", "/v2", "/v2/");
		assertThat(root.received()).extracting(TestUpstream.Received::uri).containsExactly("/app.js", "/");
	}

	@Test
	void redirectsReplaceTheGivenPartsWithoutCallingAnUpstream() {
		TestUpstream web = start("web");
		apply(List.of(Upstream.of("web", web.url())),
				Route.redirect("https", RouteMatch.path("/secure/**"), RedirectPolicy.toHttps()),
				Route.redirect("host", RouteMatch.path("/host/**"),
						new RedirectPolicy(null, "www.example.com", null, null, null, 0)),
				Route.redirect("port", RouteMatch.path("/port/**"),
						new RedirectPolicy("https", null, 8443, null, null, 307)),
				Route.redirect("default-port", RouteMatch.path("/plain/**"),
						new RedirectPolicy("http", "example.com", 80, null, null, 308)),
				Route.redirect("full", RouteMatch.path("/full/**"), RedirectPolicy.toPath("/new", 303))
					.withResponseHeaders(HeaderModifier.set("Cache-Control", "no-store")),
				Route.redirect("prefix", RouteMatch.path(PathType.PREFIX, "/old"),
						new RedirectPolicy(null, null, null, null, "/new", 301)),
				Route.of("web", "/**", Backend.of("web", 1)));
		String self = "127.0.0.1:" + port;

		assertRedirect("/secure/a?q=1", 301, "https://127.0.0.1/secure/a?q=1");
		assertRedirect("/host/a", 302, "http://www.example.com:" + port + "/host/a");
		assertRedirect("/port/a", 307, "https://127.0.0.1:8443/port/a");
		assertRedirect("/plain/a", 308, "http://example.com/plain/a");
		HttpResponse<String> full = assertRedirect("/full/a/b?q=1", 303, "http://" + self + "/new?q=1");
		assertThat(full.headers().firstValue("cache-control")).hasValue("no-store");
		assertRedirect("/old/a/b", 301, "http://" + self + "/new/a/b");
		assertRedirect("/old", 301, "http://" + self + "/new");
		assertThat(web.hits()).isZero();

		assertThat(client.get("/oldies").body()).as("not element-wise under /old").isEqualTo("web");
	}

	private HttpResponse<String> assertRedirect(String path, int status, String location) {
		HttpResponse<String> response = client.get(path);
		assertThat(response.statusCode()).as(path).isEqualTo(status);
		assertThat(response.headers().firstValue("location")).as(path).hasValue(location);
		return response;
	}

}
