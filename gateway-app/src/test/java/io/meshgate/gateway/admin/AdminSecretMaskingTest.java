package io.meshgate.gateway.admin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.gateway.testing.AdminClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Header values a route sets are secrets when the header is (Authorization, Cookie, …): no read
 * path shows them to a viewer, and an edit that sends the mask back keeps them.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminSecretMaskingTest extends AdminTestSupport {

	private static final String BEARER = "Bearer sekrit-bearer-4f1c";

	private static final String API_KEY = "sekrit-apikey-9a2b";

	private static final String COOKIE = "session=sekrit-cookie-77";

	private static final String MATCHED_TOKEN = "sekrit-match-31";

	@Test
	void noReadPathShowsASecretHeaderValueAndAMaskSentBackKeepsIt(CapturedOutput output) {
		TestUpstream orders = start("orders");
		assertThat(editor.post("/api/upstreams", upstream("orders", orders.url()), null).status()).isEqualTo(200);
		long withoutRoute = editor.get("/api/config").version();
		Map<String, Object> route = new LinkedHashMap<>(route("orders", "/orders/**", Map.of("orders", 1)));
		route.put("match", Map.of("path", "/orders/**", "headers", Map.of("X-Auth-Token", MATCHED_TOKEN)));
		route.put("requestHeaders", Map.of("set", Map.of("Authorization", BEARER, "X-Env", "prod"), "add",
				Map.of("X-Api-Key", API_KEY)));
		route.put("responseHeaders", Map.of("set", Map.of("Set-Cookie", COOKIE)));
		AdminClient.Answer created = editor.post("/api/routes", route, null);
		assertThat(created.status()).as(created.body()).isEqualTo(200);
		Map<String, String> matching = Map.of("X-Auth-Token", MATCHED_TOKEN);
		await().atMost(Duration.ofSeconds(5)).until(() -> ingress.get("/orders/1", matching).statusCode() == 200);
		assertThat(last(orders).headers()).containsEntry("authorization", BEARER).containsEntry("x-api-key", API_KEY);

		AdminClient viewer = viewer();
		List<String> paths = List.of("/api/routes/orders", "/api/routes", "/api/config", "/api/export",
				"/api/history/diff?from=" + withoutRoute, "/api/history/" + editor.get("/api/config").version(),
				"/actuator/mesh", "/actuator/mesh/routes/orders", "/actuator/gateway/routes",
				"/actuator/gateway/routes/orders", "/actuator/gateway/routedefinitions",
				"/actuator/gateway/routes/orders/combinedfilters");
		for (String path : paths) {
			AdminClient.Answer read = viewer.get(path);
			assertThat(read.status()).as(path + ": " + read.body()).isEqualTo(200);
			assertThat(read.body()).as(path).doesNotContain("sekrit");
		}
		assertThat(viewer.get("/api/routes/orders").body()).contains("prod").contains("******");
		assertThat(viewer.get("/actuator/gateway/routes/orders").body()).contains("X-Env=prod")
			.contains("Authorization=******");

		// read, change another header, write back with the masks: the secrets are kept
		AdminClient.Answer read = editor.get("/api/routes/orders");
		Map<String, Object> edited = new LinkedHashMap<>(read.json());
		edited.put("requestHeaders", Map.of("set", Map.of("Authorization", "******", "X-Env", "staging"), "add",
				Map.of("X-Api-Key", "******")));
		AdminClient.Answer written = editor.put("/api/routes/orders", edited, read.etag());
		assertThat(written.status()).as(written.body()).isEqualTo(200);
		assertThat(written.body()).doesNotContain("sekrit");
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			ingress.get("/orders/2", matching);
			return last(orders).headers().get("x-env");
		}, "staging"::equals);
		assertThat(last(orders).headers()).containsEntry("authorization", BEARER).containsEntry("x-api-key", API_KEY);
		assertThat(ingress.get("/orders/3", matching).headers().firstValue("set-cookie")).hasValue(COOKIE);

		assertThat(output.getAll()).doesNotContain("sekrit");
	}

	private static TestUpstream.Received last(TestUpstream upstream) {
		List<TestUpstream.Received> received = upstream.received();
		return received.get(received.size() - 1);
	}

}
