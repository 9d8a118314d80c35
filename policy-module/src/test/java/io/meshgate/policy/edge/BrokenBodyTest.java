package io.meshgate.policy.edge;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.RawClient;
import io.meshgate.policy.testing.RawUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/** A request body that breaks off never reaches the upstream as a complete request. */
class BrokenBodyTest extends GatewayTest {

	private RawUpstream upstream;

	@BeforeEach
	void route() {
		upstream = startRaw();
		apply(List.of(Upstream.of("raw", upstream.url())), Route.of("raw", "/raw/**", Backend.of("raw", 1)));
	}

	@Test
	void malformedSecondChunkAbortsTheUpstreamRequest() {
		double before = counter(MeshMetrics.INGRESS_MALFORMED, "protocol", "http1");
		try (RawClient client = new RawClient(port)) {
			client.send("POST /raw/x HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
			upstream.awaitReceived("hello");
			client.send("zz\r\nabc\r\n0\r\n\r\n");

			String answer = client.readUntilClosed(Duration.ofSeconds(5));
			assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"message\":\"the request is malformed\"");
		}
		RawUpstream.Connection received = upstream.awaitOnlyConnectionEnded();
		assertThat(received.bytes()).contains("hello").doesNotContain("zz");
		assertThat(received.terminated()).as("upstream request ended with the last chunk").isFalse();
		assertThat(counter(MeshMetrics.INGRESS_MALFORMED, "protocol", "http1")).isEqualTo(before + 1);
	}

	@Test
	void bodyCutShortOfItsContentLengthAbortsTheUpstreamRequest() {
		try (RawClient client = new RawClient(port)) {
			client.send("POST /raw/x HTTP/1.1\r\nHost: gw\r\nContent-Length: 100\r\n\r\n0123456789");
			upstream.awaitReceived("0123456789");
		}
		String received = upstream.awaitOnlyConnectionEnded().bytes();
		assertThat(received).containsIgnoringCase("content-length: 100").endsWith("\r\n\r\n0123456789");
	}

	@Test
	void chunkedBodyCutShortAbortsTheUpstreamRequest() {
		try (RawClient client = new RawClient(port)) {
			client.send("POST /raw/x HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
			upstream.awaitReceived("hello");
		}
		assertThat(upstream.awaitOnlyConnectionEnded().terminated()).as("upstream request ended with the last chunk").isFalse();
	}

}
