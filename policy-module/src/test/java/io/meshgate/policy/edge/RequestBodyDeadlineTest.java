package io.meshgate.policy.edge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import io.meshgate.policy.fault.FaultPolicy;
import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.RawClient;
import io.meshgate.policy.testing.RawUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request whose headers or body do not arrive within their deadline closes the connection,
 * wherever it is waited for; a keep-alive connection between requests is not held to them.
 */
@TestPropertySource(properties = { "meshgate.ingress.request-header-timeout=1s",
		"meshgate.ingress.request-body-timeout=1s", "server.http2.enabled=true" })
class RequestBodyDeadlineTest extends GatewayTest {

	static final String NO_BODY = "Host: gw\r\nContent-Length: 1000000\r\n\r\n";

	private RawUpstream upstream;

	@BeforeEach
	void routes() {
		upstream = startRaw();
		apply(List.of(Upstream.of("raw", upstream.url())), Route.of("raw", "/raw/**", Backend.of("raw", 1)),
				Route.of("abort", "/abort/**", Backend.of("raw", 1))
					.withFault(new FaultPolicy(null, new FaultPolicy.Abort(100.0, 503))));
	}

	@Test
	void routeThatAnswersEarlyClosesTheConnectionAtTheDeadline() {
		double before = timeouts();
		try (RawClient client = new RawClient(port)) {
			client.send("POST /abort/x HTTP/1.1\r\n" + NO_BODY);

			assertThat(client.readUntilClosed(Duration.ofSeconds(5))).as("closed within 5 s").isNotNull();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> timeouts() == before + 1);
	}

	@Test
	void proxiedRequestIsAbortedUpstreamAtTheDeadline() {
		double before = timeouts();
		try (RawClient client = new RawClient(port)) {
			client.send("POST /raw/x HTTP/1.1\r\n" + NO_BODY + "first bytes");

			assertThat(client.readUntilClosed(Duration.ofSeconds(5))).as("closed within 5 s").isNotNull();
		}
		assertThat(upstream.awaitOnlyConnectionEnded().bytes().length()).isLessThan(1_000_000);
		await().atMost(Duration.ofSeconds(5)).until(() -> timeouts() == before + 1);
	}

	@Test
	void bodyTrickledByteByByteHitsTheDeadline() {
		ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
		try (RawClient client = new RawClient(port)) {
			client.send("POST /raw/x HTTP/1.1\r\n" + NO_BODY);
			// a byte every 100 ms: never idle, never done
			trickle.scheduleAtFixedRate(() -> client.send("x"), 0, 100, TimeUnit.MILLISECONDS);

			assertThat(client.readUntilClosed(Duration.ofSeconds(5))).as("closed within 5 s").isNotNull();
		}
		finally {
			trickle.shutdownNow();
		}
	}

	@Test
	void headersTrickledByteByByteHitTheDeadline() {
		double before = headerTimeouts();
		try (RawClient client = new RawClient(port);
				RawClient.Trickle trickle = client.trickle("GET /raw/x HTTP/1.1\r\nHost: gw\r\nX-Slow: ", Duration.ofMillis(200))) {
			assertThat(client.readUntilClosed(Duration.ofSeconds(5))).as("closed within 5 s, nothing answered").isEmpty();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> headerTimeouts() == before + 1);
		assertThat(upstream.connections()).as("no request reached the upstream").isEmpty();
	}

	@Test
	void keepAliveConnectionWaitingForItsNextRequestIsNotHeldToTheHeaderDeadline() {
		double before = headerTimeouts();
		try (RawClient client = new RawClient(port)) {
			client.send("GET /nope HTTP/1.1\r\nHost: gw\r\n\r\n");
			assertThat(client.readAnswer(Duration.ofSeconds(5))).startsWith("HTTP/1.1 404 ");

			assertThat(client.readUntilClosed(Duration.ofMillis(1500))).as("still open after 1.5 s idle").isNull();

			client.send("GET /nope HTTP/1.1\r\nHost: gw\r\n\r\n");
			assertThat(client.readAnswer(Duration.ofSeconds(5))).startsWith("HTTP/1.1 404 ");
		}
		assertThat(headerTimeouts()).isEqualTo(before);
	}

	@Test
	void connectionUpgradedToH2cIsNotHeldToTheHttp11HeaderDeadline() throws Exception {
		double before = headerTimeouts();
		HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
		HttpResponse<String> upgraded = h2c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nope")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(upgraded.version()).as("upgraded by Upgrade: h2c").isEqualTo(HttpClient.Version.HTTP_2);

		// the upgrade request's bytes started a header deadline (1 s); the upgrade must end it
		await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> headerTimeouts() == before);
		assertThat(h2c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nope")).build(),
				HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
	}

	private double timeouts() {
		return counter(MeshMetrics.INGRESS_TIMEOUTS, "phase", "body");
	}

	private double headerTimeouts() {
		return counter(MeshMetrics.INGRESS_TIMEOUTS, "phase", "headers");
	}

}
