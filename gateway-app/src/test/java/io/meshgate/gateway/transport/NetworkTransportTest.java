package io.meshgate.gateway.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.channel.uring.IoUring;

import io.meshgate.gateway.testing.GatewayProcess;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@value NetworkTransport#IO_URING}: read once per JVM, and {@code false} keeps a whole gateway on
 * epoll where io_uring is available. (That a gateway takes io_uring by default, where the kernel
 * allows it, {@code GracefulShutdownTest} checks on its own gateway process.)
 */
class NetworkTransportTest {

	@Test
	void theFirstApplicationOfAJvmChoosesAndALaterOneAskingOtherwiseIsRefused() {
		NetworkTransport.Choice choice = new NetworkTransport.Choice();

		assertThat(choice.first(true)).isTrue();
		assertThat(choice.first(true)).isFalse();
		assertThatIllegalStateException().isThrownBy(() -> choice.first(false))
			.withMessage("meshgate.io-uring.enabled=false cannot apply: this JVM's event loops were made with "
					+ "meshgate.io-uring.enabled=true, and it is read once per JVM, by its first application");
	}

	@Test
	void theStartUpLogSaysWhichTransportAndWhy() {
		if (IoUring.isAvailable()) {
			assertThat(NetworkTransport.describe(true)).isEqualTo("io_uring");
			assertThat(NetworkTransport.describe(false)).isEqualTo("epoll (meshgate.io-uring.enabled=false)");
		}
		else {
			assertThat(NetworkTransport.describe(false)).isEqualTo(NetworkTransport.describe(true))
				.startsWith("epoll (io_uring unavailable: ");
		}
	}

	@Test
	void switchedOffAWholeGatewayRunsOnEpoll() throws Exception {
		try (TestUpstream upstream = TestUpstream.start("up");
				GatewayProcess gateway = GatewayProcess.start(List.of(),
						List.of("--meshgate.io-uring.enabled=false", "--meshgate.upstreams[0].name=up",
								"--meshgate.upstreams[0].endpoints[0]=" + upstream.url(), "--meshgate.routes[0].id=up",
								"--meshgate.routes[0].match.path=/up/**", "--meshgate.routes[0].backends[0].upstream=up"))) {
			HttpResponse<String> proxied = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.ingressPort() + "/up/x"))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());

			assertThat(proxied.statusCode()).as(gateway.log()).isEqualTo(200);
			assertThat(upstream.hits()).isEqualTo(1);
			// Linux keeps 15 characters of a thread's name: reactor-http-epoll-1 is reactor-http-ep
			assertThat(gateway.threadNames()).contains("reactor-http-ep")
				.noneMatch(name -> name.startsWith("reactor-http-io") || name.startsWith("reactor-tcp-io"));
			assertThat(gateway.log()).contains(IoUring.isAvailable() ? "Event loops: epoll (meshgate.io-uring.enabled=false)"
					: "Event loops: epoll (io_uring unavailable: ");
		}
	}

}
