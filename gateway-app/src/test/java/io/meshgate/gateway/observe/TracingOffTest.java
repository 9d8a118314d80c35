package io.meshgate.gateway.observe;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing off, the way docs/observability.md says (Spring Boot 4 has no {@code management.tracing.enabled}):
 * no span of the gateway's, so the client's trace headers reach the upstream unchanged.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "meshgate.demo.enabled=false",
				"meshgate.store.path=target/stores/tracing-off-${random.uuid}",
				"meshgate.admin.users[0].name=" + TestUsers.VIEWER, "meshgate.admin.users[0].password=" + TestUsers.VIEWER_HASH,
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration,"
						+ "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration" })
class TracingOffTest {

	private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

	@LocalServerPort
	int port;

	@Autowired
	MeshRouting routing;

	private TestUpstream shop;

	@AfterEach
	void tearDown() {
		routing.apply(MeshConfig.EMPTY);
		shop.close();
	}

	@Test
	void clientTraceHeadersReachTheUpstreamUnchanged() {
		shop = TestUpstream.start("shop");
		routing.apply(new MeshConfig(List.of(Upstream.of("shop", shop.url())),
				List.of(Route.of("shop", "/shop/**", Backend.of("shop", 1)))));

		var response = new GatewayClient(port).get("/shop/1", Map.of("traceparent", TRACEPARENT));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(shop.received().get(0).headers()).containsEntry("traceparent", TRACEPARENT);
	}

}
