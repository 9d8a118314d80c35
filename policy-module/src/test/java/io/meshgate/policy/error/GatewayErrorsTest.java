package io.meshgate.policy.error;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.meshgate.policy.PolicyTestApplication;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failure answers JSON with the right status, even to a browser asking for HTML. */
@SpringBootTest(classes = PolicyTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayErrorsTest {

	static final Map<String, String> BROWSER = Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");

	@LocalServerPort
	int port;

	@Autowired
	MeshRouting routing;

	GatewayClient client;

	TestUpstream slow;

	@BeforeEach
	void setUp() {
		client = new GatewayClient(port);
		slow = TestUpstream.start("slow").delay(Duration.ofSeconds(4));
		routing.apply(new MeshConfig(
				List.of(Upstream.of("refusing", TestUpstream.refusingUrl()), Upstream.of("slow", slow.url())),
				List.of(Route.of("refused", "/refused/**", Backend.of("refusing", 1)),
						Route.of("slow", "/slow/**", Backend.of("slow", 1)))));
	}

	@AfterEach
	void tearDown() {
		routing.apply(MeshConfig.EMPTY);
		slow.close();
	}

	@Test
	void unknownPathIs404WithJson() {
		HttpResponse<String> response = client.get("/no/such/path?x=1", BROWSER);

		assertThat(response.statusCode()).isEqualTo(404);
		assertJson(response);
		assertThat(response.body()).isEqualTo(
				"{\"status\":404,\"error\":\"Not Found\",\"message\":\"no route matches GET /no/such/path\",\"path\":\"/no/such/path\"}");
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
