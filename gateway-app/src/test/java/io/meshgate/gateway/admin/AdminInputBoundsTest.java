package io.meshgate.gateway.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.gateway.testing.AdminClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile admin input is answered, 400 with a fixed text, and never takes the gateway down: YAML
 * whose aliases recurse or expand without bound, TLS paths naming a device, a file too large or a
 * file that is not PEM (dry runs read them too).
 */
class AdminInputBoundsTest extends AdminTestSupport {

	@Test
	void aRecursiveAliasIsRefusedPromptly() {
		long started = System.nanoTime();

		AdminClient.Answer refused = editor.send("POST", "/api/import", "upstreams: &a [*a]\n", Map.of());

		assertThat(refused.status()).as(refused.body()).isEqualTo(400);
		assertThat(refused.body()).contains("document: a recursive alias");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void deeplyNestedDocumentsAreAnswered400() {
		String json = "{\"routes\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
		String yaml = "routes: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";

		AdminClient.Answer nestedJson = editor.send("PUT", "/api/config", json, Map.of());
		AdminClient.Answer nestedYaml = editor.send("POST", "/api/import", yaml, Map.of());

		assertThat(nestedJson.status()).as(nestedJson.body()).isEqualTo(400);
		assertThat(nestedYaml.status()).as(nestedYaml.body()).isEqualTo(400);
	}

	@Test
	void aliasBombsAreRefusedWhileTheGatewayKeepsServing() throws Exception {
		TestUpstream shop = start("shop");
		editor.post("/api/upstreams", upstream("shop", shop.url()), null);
		editor.post("/api/routes", route("shop", "/shop/**", Map.of("shop", 1)), null);
		await().atMost(Duration.ofSeconds(5)).until(() -> ingress.get("/shop/1").statusCode() == 200);
		AtomicBoolean importing = new AtomicBoolean(true);
		CompletableFuture<List<Integer>> traffic = CompletableFuture.supplyAsync(() -> {
			List<Integer> statuses = new ArrayList<>();
			while (importing.get()) {
				statuses.add(ingress.get("/shop/during").statusCode());
			}
			return statuses;
		});

		// 25 KB: 5,000 aliases of a 1,000-character scalar, 5 MB expanded
		StringBuilder scalars = new StringBuilder("x: &a \"" + "A".repeat(1000) + "\"\nroutes: [");
		for (int i = 0; i < 5000; i++) {
			scalars.append(i == 0 ? "" : ",").append("*a");
		}
		AdminClient.Answer manyAliases = editor.send("POST", "/api/import", scalars.append("]\n").toString(), Map.of());
		// "billion laughs": nine levels of nine aliases, 387,420,489 leaves from 80 aliases
		StringBuilder laughs = new StringBuilder("l0: &l0 [lol]\n");
		for (int level = 1; level <= 9; level++) {
			laughs.append("l").append(level).append(": &l").append(level).append(" [");
			for (int i = 0; i < 9; i++) {
				laughs.append(i == 0 ? "" : ",").append("*l").append(level - 1);
			}
			laughs.append("]\n");
		}
		AdminClient.Answer laughing = editor.send("POST", "/api/import", laughs.toString(), Map.of());
		importing.set(false);

		assertThat(manyAliases.status()).as(manyAliases.body()).isEqualTo(400);
		assertThat(manyAliases.body()).contains("document: more than 1000 aliases").doesNotContain("AAAA");
		assertThat(laughing.status()).as(laughing.body()).isEqualTo(400);
		assertThat(laughing.body()).contains("with its aliases expanded");
		assertThat(traffic.get(10, TimeUnit.SECONDS)).isNotEmpty().allMatch(status -> status == 200);
		assertThat(ingress.get("/shop/after").statusCode()).isEqualTo(200);
		assertThat(editor.get("/api/routes/shop").status()).isEqualTo(200);
	}

	@Test
	void tlsFilesThatAreNotSmallRegularPemFilesAreRefusedInDryRunsAndEdits(@TempDir Path directory)
			throws IOException {
		Path large = Files.write(directory.resolve("large.pem"), new byte[2 * 1024 * 1024]);

		for (String dryRun : List.of("?dryRun=true", "")) {
			AdminClient.Answer device = editor.put("/api/upstreams/secure" + dryRun, tls("/dev/zero"), null);
			assertThat(device.status()).as(device.body()).isEqualTo(400);
			assertThat(device.body()).contains(
					"upstreams[secure].tls.caCertificates: /dev/zero (expected: a regular file of at most 1 MiB)");

			AdminClient.Answer tooLarge = editor.put("/api/upstreams/secure" + dryRun, tls(large.toString()), null);
			assertThat(tooLarge.status()).as(tooLarge.body()).isEqualTo(400);
			assertThat(tooLarge.body()).contains("(expected: a regular file of at most 1 MiB)");

			AdminClient.Answer shadow = editor.put("/api/upstreams/secure" + dryRun, tls("/etc/shadow"), null);
			assertThat(shadow.status()).as(shadow.body()).isEqualTo(400);
			assertThat(shadow.body()).contains("upstreams[secure].tls.caCertificates: /etc/shadow (expected: ")
				.doesNotContain("root:");

			AdminClient.Answer directoryPath = editor.put("/api/upstreams/secure" + dryRun,
					tls(directory.toString()), null);
			assertThat(directoryPath.status()).as(directoryPath.body()).isEqualTo(400);
		}
		assertThat(editor.get("/api/upstreams/secure").status()).isEqualTo(404);
	}

	private static Map<String, Object> tls(String caCertificates) {
		return Map.of("name", "secure", "endpoints", List.of("http://127.0.0.1:9"), "tls",
				Map.of("mode", "SIMPLE", "caCertificates", caCertificates));
	}

}
