package io.meshgate.policy.canary;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.SeededRandom;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Backends the gateway answers itself with a status ({@code {status: 500}}), alone and in a split. */
class StatusShareTest extends GatewayTest {

	@Test
	void aRouteWhoseOnlyBackendIsAStatusAnswersItWithAFixedText() {
		TestUpstream never = start("never");
		apply(List.of(Upstream.of("never", never.url())),
				Route.of("refused", io.meshgate.policy.route.RouteMatch.path("/refused/**"),
						List.of(Backend.answering(500, 1))),
				Route.of("other", "/**", Backend.of("never", 1)));

		HttpResponse<String> response = client.get("/refused/x?secret=1");

		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).isEqualTo("{\"status\":500,\"error\":\"Internal Server Error\","
				+ "\"message\":\"the route's backend cannot be used\",\"route\":\"refused\"}");
		assertThat(never.received()).isEmpty();
	}

	@Test
	void aSplitAnswersTheStatusShareExactlyAsTheDrawsFall() {
		TestUpstream v1 = start("v1");
		apply(List.of(Upstream.of("v1", v1.url())), Route.of("split", io.meshgate.policy.route.RouteMatch.path("/split/**"),
				List.of(Backend.of("v1", 70), Backend.answering(503, 30))));
		random.reseed(SeededRandom.SEED);

		List<Integer> statuses = client.statuses(1_000, 4, i -> "/split/" + i);

		// one draw of nextInt(100) per request: draws 70-99 are the status share
		Random replay = new Random(SeededRandom.SEED);
		long expected503 = 0;
		for (int i = 0; i < 1_000; i++) {
			expected503 += replay.nextInt(100) >= 70 ? 1 : 0;
		}
		assertThat(random.draws()).isEqualTo(1_000);
		assertThat(count(statuses.stream().map(String::valueOf).toList()))
			.containsOnly(Map.entry("200", 1_000 - expected503), Map.entry("503", expected503));
		assertThat(v1.received()).hasSize((int) (1_000 - expected503));
	}

	@Test
	void aBackendIsAnUpstreamOrAStatusAndOnlyAnErrorStatus() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Backend("v1", 1, 500, null, null))
			.withMessage("status: 500 (expected: none with upstream v1; one or the other)");
		assertThatIllegalArgumentException().isThrownBy(() -> Backend.answering(200, 1))
			.withMessage("status: 200 (expected: 500-599)");
		assertThat(Backend.answering(500, 3).target()).isEqualTo("status:500");
		assertThat(WeightedBackends.statusOf("status:500")).isEqualTo(500);
		assertThat(WeightedBackends.statusOf("orders")).isNull();
		assertThat(WeightedBackends.of("orders:90 status:500:10").upstreams()).containsExactly("orders", "status:500");
	}

}
