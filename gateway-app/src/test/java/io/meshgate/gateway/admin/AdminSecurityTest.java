package io.meshgate.gateway.admin;

import java.time.Duration;
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

/** Who may do what on the admin port, over real HTTP. */
@ExtendWith(OutputCaptureExtension.class)
class AdminSecurityTest extends AdminTestSupport {

	@Test
	void withoutLoginTheApiAnswers401AndTheUiRedirectsToTheLoginPage() {
		AdminClient anonymous = AdminClient.anonymous(adminPort);

		assertThat(anonymous.get("/api/config").status()).isEqualTo(401);
		assertThat(anonymous.get("/api/config").response().headers().firstValue("WWW-Authenticate")).isEmpty();
		assertThat(anonymous.get("/actuator/gateway/routes").status()).isEqualTo(401);
		AdminClient.Answer page = anonymous.get("/");
		assertThat(page.status()).isEqualTo(302);
		assertThat(page.response().headers().firstValue("Location")).hasValueSatisfying(
				location -> assertThat(location).endsWith("/login"));
		assertThat(anonymous.get("/login").status()).isEqualTo(200);
	}

	@Test
	void theAdminPortNeverServesRoutes() {
		TestUpstream shop = start("shop");
		AdminClient.Answer applied = editor.put("/api/config", Map.of("upstreams", List.of(upstream("shop", shop.url())),
				"routes", List.of(route("everything", "/**", Map.of("shop", 1)))), null);
		assertThat(applied.status()).as(applied.body()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> ingress.get("/anything").body(), "shop"::equals);

		// the admin port is random here (management.server.port=0), where the gateway's own guard does nothing
		AdminClient.Answer onAdminPort = editor.get("/anything");

		assertThat(onAdminPort.status()).isEqualTo(404);
		assertThat(onAdminPort.body()).doesNotContain("shop");
	}

	@Test
	void healthIsOpenForProbes() {
		AdminClient.Answer health = AdminClient.anonymous(adminPort).get("/actuator/health");

		assertThat(health.status()).isEqualTo(200);
		// one connection per request on the admin port (works around reactor-netty#4361)
		assertThat(health.response().headers().firstValue("Connection")).hasValue("close");
		assertThat(health.body()).contains("\"status\":\"UP\"");
	}

	@Test
	void viewerReadsButCannotWrite() {
		AdminClient viewer = viewer();

		assertThat(viewer.get("/api/config").status()).isEqualTo(200);
		assertThat(viewer.get("/api/history").status()).isEqualTo(200);
		assertThat(viewer.post("/api/upstreams", upstream("a", "http://127.0.0.1:9"), null).status()).isEqualTo(403);
		assertThat(viewer.delete("/api/routes/x", null).status()).isEqualTo(403);
		assertThat(viewer.post("/api/history/1/rollback", null, null).status()).isEqualTo(403);
		assertThat(editor.get("/api/upstreams/a").status()).isEqualTo(404);
	}

	@Test
	void sessionWritesNeedTheCsrfToken() {
		AdminClient session = AdminClient.session(adminPort, EDITOR, EDITOR_PASSWORD);
		assertThat(session.post("/api/upstreams", upstream("with-token", "http://127.0.0.1:9"), null).status())
			.isEqualTo(200);

		AdminClient.Answer forged = session.withoutCsrfToken()
			.post("/api/upstreams", upstream("without-token", "http://127.0.0.1:9"), null);

		assertThat(forged.status()).isEqualTo(403);
		assertThat(editor.get("/api/upstreams/without-token").status()).isEqualTo(404);
	}

	@Test
	void sessionCookieIsHttpOnlyAndSameSiteStrict() {
		AdminClient anonymous = AdminClient.anonymous(adminPort);

		AdminClient.Answer page = anonymous.get("/login");

		assertThat(page.response().headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
			.startsWith("MESHGATE_SESSION=")
			.containsIgnoringCase("HttpOnly")
			.contains("SameSite=Strict"));
	}

	@Test
	void failedLoginsAreLoggedWithoutThePasswordAndAnsweredLate(CapturedOutput output) {
		AdminClient wrong = AdminClient.basic(adminPort, EDITOR, "not-the-password-42");

		assertThat(wrong.get("/api/config").status()).isEqualTo(401);
		long start = System.nanoTime();
		assertThat(wrong.get("/api/config").status()).isEqualTo(401);
		long millis = (System.nanoTime() - start) / 1_000_000;

		assertThat(output.getOut()).contains("Failed admin login for user '" + EDITOR + "' from 127.0.0.1 (2 in a row)")
			.doesNotContain("not-the-password-42");
		// the second failure waits two steps (2 x 20 ms in these tests)
		assertThat(millis).isGreaterThanOrEqualTo(40);
		assertThat(editor.get("/api/config").status()).isEqualTo(200);
	}

	@Test
	void secretsAreNeverReturned() {
		Map<String, Object> me = editor.get("/api/me").json();

		assertThat(me).containsEntry("user", EDITOR).doesNotContainKey("password");
		assertThat(editor.get("/api/config").body()).doesNotContain("$2a$");
		assertThat(editor.get("/actuator/env").status()).isIn(404, 403);
	}

}
