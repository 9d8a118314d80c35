package io.meshgate.policy.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.meshgate.policy.grpc.testing.EchoGrpc;
import io.meshgate.policy.grpc.testing.EchoRequest;
import io.meshgate.policy.health.HealthCheckPolicy;
import io.meshgate.policy.health.HealthCheckType;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamProtocol;
import io.meshgate.policy.upstream.UpstreamRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Active health checks with {@code grpc.health.v1.Health/Check} against grpc-java servers whose
 * health status the test flips: an endpoint that is not SERVING gets no calls until it is again.
 */
class GrpcHealthCheckTest extends GatewayTest {

	private static final String ECHO = EchoGrpc.SERVICE_NAME;

	@Autowired
	UpstreamRegistry upstreams;

	/** Checks twice a second; two in a row decide either way. */
	private static HealthCheckPolicy often(String service) {
		return new HealthCheckPolicy(null, Duration.ofMillis(500), Duration.ofMillis(500), 2, 2, HealthCheckType.GRPC,
				service);
	}

	private void apply(HealthCheckPolicy check, EchoServer... servers) {
		List<String> urls = new ArrayList<>();
		for (EchoServer server : servers) {
			urls.add(server.url("http"));
		}
		apply(List.of(Upstream.of("echo", urls.toArray(String[]::new)).withProtocol(UpstreamProtocol.H2C).withHealthCheck(check)),
				Route.of("grpc", GrpcThroughGatewayTest.SERVICE, Backend.of("echo", 1)));
	}

	/** Waits until exactly {@code servers} are the upstream's healthy endpoints. */
	private void awaitHealthy(EchoServer... servers) {
		List<Integer> expected = new ArrayList<>();
		for (EchoServer server : servers) {
			expected.add(server.port());
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> upstreams.get("echo").endpoints().stream().map(e -> e.getPort()).sorted().toList(),
					ports -> ports.equals(expected.stream().sorted().toList()));
	}

	private List<String> servers(int calls) throws Exception {
		List<String> names = new ArrayList<>();
		try (GrpcClients grpc = GrpcClients.h2c(port)) {
			for (int i = 0; i < calls; i++) {
				names.add(grpc.blocking().unary(EchoRequest.newBuilder().setText("x").build()).getServer());
			}
		}
		return names;
	}

	@Test
	void anEndpointWhoseServiceIsNotServingGetsNoCallsUntilItServesAgain() throws Exception {
		EchoServer serving = closeAfter(EchoServer.start("serving"));
		EchoServer flipped = closeAfter(EchoServer.start("flipped"));
		flipped.health.setStatus(ECHO, ServingStatus.NOT_SERVING);
		apply(often(ECHO), serving, flipped);

		awaitHealthy(serving);
		assertThat(servers(6)).containsOnly("serving");

		flipped.health.setStatus(ECHO, ServingStatus.SERVING);
		awaitHealthy(serving, flipped);
		assertThat(servers(6)).containsOnly("serving", "flipped").contains("flipped");

		flipped.health.setStatus(ECHO, ServingStatus.NOT_SERVING);
		awaitHealthy(serving);
		assertThat(servers(6)).containsOnly("serving");
	}

	@Test
	void withoutAServiceNameTheServerAsAWholeIsAsked() throws Exception {
		EchoServer serving = closeAfter(EchoServer.start("serving"));
		EchoServer flipped = closeAfter(EchoServer.start("flipped"));
		// the service itself still serves: only the server's own status says no
		flipped.health.setStatus("", ServingStatus.NOT_SERVING);
		apply(often(null), serving, flipped);

		awaitHealthy(serving);
		assertThat(servers(4)).containsOnly("serving");
	}

	@Test
	void aServiceTheServerDoesNotKnowFailsItsCheck() {
		EchoServer server = closeAfter(EchoServer.start("one"));
		// the health service answers NOT_FOUND (a Trailers-Only failure, no message)
		apply(often("no.such.Service"), server);

		awaitHealthy();
	}

}
