package io.meshgate.gateway.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.gateway.testing.TestUsers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real gateway for the admin tests (same properties, so one cached context): ingress and
 * admin ports on loopback, a file store in its own directory, an editor and a viewer. Each test
 * starts from an empty stored configuration.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "meshgate.demo.enabled=false",
				"meshgate.store.path=target/stores/admin-${random.uuid}", "meshgate.admin.login-delay-step=20",
				// these tests share one client address and fail logins on purpose; AdminLoginThrottleTest
				// covers the lock-out
				"meshgate.admin.login.max-failures-per-user=1000", "meshgate.admin.login.max-failures-per-address=1000",
				"meshgate.admin.users[0].name=" + TestUsers.EDITOR,
				"meshgate.admin.users[0].password=" + TestUsers.EDITOR_HASH, "meshgate.admin.users[0].roles[0]=editor",
				"meshgate.admin.users[1].name=" + TestUsers.VIEWER,
				"meshgate.admin.users[1].password=" + TestUsers.VIEWER_HASH, "meshgate.admin.users[1].roles[0]=viewer" })
abstract class AdminTestSupport {

	static final String EDITOR = TestUsers.EDITOR;

	static final String EDITOR_PASSWORD = TestUsers.EDITOR_PASSWORD;

	static final String VIEWER = TestUsers.VIEWER;

	static final String VIEWER_PASSWORD = TestUsers.VIEWER_PASSWORD;

	@LocalServerPort
	int ingressPort;

	@LocalManagementPort
	int adminPort;

	AdminClient editor;

	GatewayClient ingress;

	private final List<TestUpstream> servers = new ArrayList<>();

	@BeforeEach
	void emptyConfiguration() {
		editor = AdminClient.basic(adminPort, EDITOR, EDITOR_PASSWORD);
		ingress = new GatewayClient(ingressPort);
		AdminClient.Answer reset = editor.put("/api/config", Map.of("upstreams", List.of(), "routes", List.of()), null);
		assertThat(reset.status()).as(reset.body()).isEqualTo(200);
	}

	@AfterEach
	void stopServers() {
		servers.forEach(TestUpstream::close);
		servers.clear();
	}

	TestUpstream start(String name) {
		TestUpstream server = TestUpstream.start(name);
		servers.add(server);
		return server;
	}

	AdminClient viewer() {
		return AdminClient.basic(adminPort, VIEWER, VIEWER_PASSWORD);
	}

	static Map<String, Object> upstream(String name, String... endpoints) {
		return Map.of("name", name, "endpoints", List.of(endpoints));
	}

	static Map<String, Object> route(String id, String path, Map<String, Object> backends) {
		List<Map<String, Object>> list = new ArrayList<>();
		backends.forEach((upstream, weight) -> list.add(Map.of("upstream", upstream, "weight", weight)));
		return Map.of("id", id, "match", Map.of("path", path), "backends", list);
	}

}
