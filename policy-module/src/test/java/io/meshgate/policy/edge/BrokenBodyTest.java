package io.meshgate.policy.edge;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
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
import static org.awaitility.Awaitility.await;

/** A request body that breaks off never reaches the upstream as a complete request. */
class BrokenBodyTest extends GatewayTest {

	private final RawUpstream upstream = new RawUpstream();

	@BeforeEach
	void route() {
		apply(List.of(Upstream.of("raw", upstream.url())), Route.of("raw", "/raw/**", Backend.of("raw", 1)));
	}

	@AfterEach
	void stop() {
		upstream.close();
	}

	@Test
	void malformedSecondChunkAbortsTheUpstreamRequest() {
		double before = counter(MeshMetrics.INGRESS_MALFORMED, "protocol", "http1");
		try (RawClient client = new RawClient(port)) {
			client.send("POST /raw/x HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
			awaitUpstreamReceived("hello");
			client.send("zz\r\nabc\r\n0\r\n\r\n");

			String answer = client.readUntilClosed(Duration.ofSeconds(5));
			assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"message\":\"the request is malformed\"");
		}
		RawUpstream.Connection received = awaitUpstreamEnded();
		assertThat(received.bytes()).contains("hello").doesNotContain("zz");
		assertThat(received.terminated()).as("upstream request ended with the last chunk").isFalse();
		assertThat(counter(MeshMetrics.INGRESS_MALFORMED, "protocol", "http1")).isEqualTo(before + 1);
	}

	@Test
	void bodyCutShortOfItsContentLengthAbortsTheUpstreamRequest() {
		try (RawClient client = new RawClient(port)) {
			client.send("POST /raw/x HTTP/1.1\r\nHost: gw\r\nContent-Length: 100\r\n\r\n0123456789");
			awaitUpstreamReceived("0123456789");
		}
		String received = awaitUpstreamEnded().bytes();
		assertThat(received).containsIgnoringCase("content-length: 100").endsWith("\r\n\r\n0123456789");
	}

	@Test
	void chunkedBodyCutShortAbortsTheUpstreamRequest() {
		try (RawClient client = new RawClient(port)) {
			client.send("POST /raw/x HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
			awaitUpstreamReceived("hello");
		}
		assertThat(awaitUpstreamEnded().terminated()).as("upstream request ended with the last chunk").isFalse();
	}

	private void awaitUpstreamReceived(String text) {
		await().atMost(Duration.ofSeconds(5))
			.until(() -> upstream.connections().stream().anyMatch(c -> c.bytes().contains(text)));
	}

	/** The one upstream connection, once the gateway ended it. */
	private RawUpstream.Connection awaitUpstreamEnded() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> upstream.connections().size() == 1 && upstream.connections().get(0).ended());
		return upstream.connections().get(0);
	}

}
