package io.meshgate.policy.error;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failure answers JSON with the right status, even to a browser asking for HTML. */
class GatewayErrorsTest extends GatewayTest {

	static final Map<String, String> BROWSER = Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");

	@BeforeEach
	void routes() {
		TestUpstream slow = start("slow").delay(Duration.ofSeconds(4));
		apply(List.of(Upstream.of("refusing", TestUpstream.refusingUrl()), Upstream.of("slow", slow.url())),
				Route.of("refused", "/refused/**", Backend.of("refusing", 1)),
				Route.of("slow", "/slow/**", Backend.of("slow", 1)));
	}

	@Test
	void unknownPathIs404WithJson() {
		HttpResponse<String> response = client.get("/no/such/path?x=1", BROWSER);

		assertThat(response.statusCode()).isEqualTo(404);
		assertJson(response);
		assertThat(response.body()).isEqualTo(
				"{\"status\":404,\"error\":\"Not Found\",\"message\":\"no route matches the request\"}");
	}

	@Test
	void keepAliveConnectionsGoOnServingAfterErrorAnswers() {
		// Answers given before the request is read used to leave keep-alive connections stuck.
		assertThat(client.statuses(400, 8, i -> i % 2 == 0 ? "/no/such/path" : "/refused/x")).containsOnly(404, 502);
	}

	@Test
	void refusedConnectionIs502WithJsonNamingTheUpstream() {
		HttpResponse<String> response = client.get("/refused/x", BROWSER);

		assertThat(response.statusCode()).isEqualTo(502);
		assertJson(response);
		assertThat(response.body()).contains("\"message\":\"upstream refusing refused the connection\"")
			.contains("\"route\":\"refused\"")
			.contains("\"upstream\":\"refusing\"")
			.doesNotContain("Exception");
	}

	@Test
	void upstreamSlowerThanTheResponseTimeoutIs504WithJson() {
		HttpResponse<String> response = client.get("/slow/x", BROWSER);

		assertThat(response.statusCode()).isEqualTo(504);
		assertJson(response);
		assertThat(response.body()).contains("\"message\":\"upstream slow did not answer in time\"");
	}

	private static void assertJson(HttpResponse<String> response) {
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).startsWith("{").endsWith("}").doesNotContain("<html").doesNotContain("\tat ");
	}

}
