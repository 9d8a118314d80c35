package io.meshgate.gateway.lifecycle;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.uring.IoUring;

import io.meshgate.gateway.testing.GatewayProcess;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM to a real gateway process: the request in flight completes, new connections are refused,
 * and the process exits. (Being a real process, it also shows the access log as an operator sees it.)
 */
class GracefulShutdownTest {

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	TestUpstream slow;

	GatewayProcess gateway;

	@AfterEach
	void tearDown() {
		if (gateway != null) {
			gateway.close();
		}
		if (slow != null) {
			slow.close();
		}
	}

	@Test
	void sigtermFinishesRequestsInFlightAndRefusesNewOnes() throws Exception {
		slow = TestUpstream.start("slow").delay(Duration.ofSeconds(3));
		// one CPU, as in a container limited to one: one event loop (EventLoops), checked below
		gateway = GatewayProcess.start(List.of("-XX:ActiveProcessorCount=1"),
				List.of("--meshgate.upstreams[0].name=slow", "--meshgate.upstreams[0].endpoints[0]=" + slow.url(),
						"--meshgate.routes[0].id=slow", "--meshgate.routes[0].match.path=/slow/**",
						"--meshgate.routes[0].backends[0].upstream=slow"));
		int ingress = gateway.ingressPort();

		CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(request(ingress, "/slow/order"),
				HttpResponse.BodyHandlers.ofString());
		await().atMost(Duration.ofSeconds(10)).until(() -> slow.hits() == 1);
		if (Files.isDirectory(Path.of("/proc/self/task"))) {
			// both listeners bound, an admin request and an upstream call made: with Reactor Netty's
			// default (at least four loops) these would be spread over several threads. The loop is
			// io_uring's where this kernel allows it (transport.NetworkTransport), epoll's otherwise.
			assertThat(gateway.threadNames()).filteredOn(name -> name.startsWith("reactor-http")).hasSize(1);
			assertThat(gateway.threadNames())
				.contains(IoUring.isAvailable() ? "reactor-http-io" : "reactor-http-ep");
		}
		gateway.process().destroy(); // SIGTERM

		// Probe until a connection is refused. A probe that connected in the moment before the
		// listening socket closed is a request in flight too: it must be answered in full.
		List<CompletableFuture<HttpResponse<String>>> probes = new ArrayList<>();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
			CompletableFuture<HttpResponse<String>> probe = http.sendAsync(request(ingress, "/slow/new"),
					HttpResponse.BodyHandlers.ofString());
			probes.add(probe);
			return refused(probe);
		});

		HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
		assertThat(finished.statusCode()).as(gateway.log()).isEqualTo(200);
		assertThat(finished.body()).isEqualTo("slow");
		int servedProbes = 0;
		for (CompletableFuture<HttpResponse<String>> probe : probes) {
			if (!refused(probe)) {
				HttpResponse<String> response = probe.get(10, TimeUnit.SECONDS);
				assertThat(response.statusCode()).as(gateway.log()).isEqualTo(200);
				assertThat(response.body()).isEqualTo("slow");
				servedProbes++;
			}
		}
		assertThat(gateway.process().waitFor(30, TimeUnit.SECONDS)).as("gateway exited").isTrue();
		assertThat(slow.hits()).as("every request the upstream saw was answered").isEqualTo(1 + servedProbes);
		assertThat(gateway.log()).contains("Commencing graceful shutdown");
		// the access log on stdout: the bare JSON line, without the other lines' time and level prefix
		assertThat(gateway.logLines()).anySatisfy(
				line -> assertThat(line).startsWith("{\"time\":").contains("\"path\":\"/slow/order\"", "\"status\":200"));
	}

	/** Waits briefly for the probe's connection: refused, or still going (accepted). */
	private static boolean refused(CompletableFuture<HttpResponse<String>> probe) throws InterruptedException {
		try {
			probe.get(200, TimeUnit.MILLISECONDS);
			return false;
		}
		catch (ExecutionException ex) {
			return ex.getCause() instanceof ConnectException;
		}
		catch (TimeoutException ex) {
			return false;
		}
	}

	private static HttpRequest request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.build();
	}

}
