package io.meshgate.gateway.edge;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.KubernetesApi;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.observe.AccessLog;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.rewrite.RedirectPolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application as it runs in a pod ({@code spring.main.cloud-platform=kubernetes}, which is
 * what {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} select, and where Spring Boot would take the
 * client's address, scheme and host from forwarding headers): with no trusted proxies configured,
 * a client that claims another address or host with {@code X-Forwarded-*} or {@code Forwarded}
 * still meets its rate limit, keeps its sticky backend, is logged under its own address and gets
 * redirected to the host it asked for.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // the client watches the mock API server, which lives only as long as this class's JVM statics
class SpoofedClientOnKubernetesTest {

	@RegisterExtension
	static final KubernetesApi API = new KubernetesApi();

	static final List<String> CLAIMED = List.of("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4",
			"203.0.113.5", "203.0.113.6", "203.0.113.7", "203.0.113.8");

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry properties) {
		properties.add("management.server.port", () -> "0");
		properties.add("meshgate.demo.enabled", () -> "false");
		// without the demo a gateway starts only with a login
		properties.add("meshgate.admin.users[0].name", () -> TestUsers.VIEWER);
		properties.add("meshgate.admin.users[0].password", () -> TestUsers.VIEWER_HASH);
		properties.add("meshgate.admin.users[0].roles[0]", () -> "viewer");
		properties.add("meshgate.store.path", () -> "target/stores/spoofed-" + java.util.UUID.randomUUID());
		API.gatewayProperties(properties, "shop");
	}

	@LocalServerPort
	int port;

	@Autowired
	MeshRouting routing;

	final ListAppender<ILoggingEvent> accessLines = new ListAppender<>();

	TestUpstream v1;

	TestUpstream v2;

	@BeforeEach
	void routes() {
		accessLines.start();
		((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).addAppender(accessLines);
		v1 = TestUpstream.start("v1");
		v2 = TestUpstream.start("v2");
		routing.apply(new MeshConfig(List.of(Upstream.of("v1", v1.url()), Upstream.of("v2", v2.url())), List.of(
				Route.of("limited", "/limited/**", Backend.of("v1", 1))
					.withRateLimit(new RateLimitPolicy(1, 1, Duration.ofHours(1), HashKey.of("client-address"), null)),
				Route.of("sticky", "/sticky/**", Backend.of("v1", 50), Backend.of("v2", 50))
					.withCanary(CanaryPolicy.sticky(HashKey.of("client-address"))),
				Route.redirect("moved", RouteMatch.path("/old/**"), new RedirectPolicy(null, null, null, "/new", null, 0)))));
	}

	@AfterEach
	void stop() {
		((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).detachAppender(accessLines);
		routing.apply(MeshConfig.EMPTY);
		v1.close();
		v2.close();
	}

	@Test
	void aClaimedAddressDoesNotEscapeThePerClientRateLimit() {
		GatewayClient client = new GatewayClient(port);
		List<Integer> statuses = CLAIMED.stream()
			.map(address -> client.get("/limited/x", Map.of("X-Forwarded-For", address, "Forwarded", "for=" + address))
				.statusCode())
			.toList();

		assertThat(statuses).containsExactly(200, 429, 429, 429, 429, 429, 429, 429);
	}

	@Test
	void aClaimedAddressKeepsTheConnectionsStickyBackendAndIsNotLogged() {
		GatewayClient client = new GatewayClient(port);
		Set<String> reached = new TreeSet<>();
		for (String address : CLAIMED) {
			reached.add(client.get("/sticky/x", Map.of("X-Forwarded-For", address)).body());
		}

		assertThat(reached).hasSize(1);
		await().untilAsserted(() -> assertThat(accessLines.list).extracting(ILoggingEvent::getFormattedMessage)
			.filteredOn(line -> line.contains("\"route\":\"sticky\""))
			.hasSize(CLAIMED.size())
			.allSatisfy(line -> assertThat(line).contains("\"client\":\"127.0.0.1\"").doesNotContain("203.0.113.")));
	}

	@Test
	void aRedirectGoesToTheHostTheClientAskedFor() {
		String location = new GatewayClient(port)
			.get("/old/x", Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example"))
			.headers()
			.firstValue("Location")
			.orElseThrow();

		assertThat(location).isEqualTo("http://127.0.0.1:" + port + "/new");
	}

}
