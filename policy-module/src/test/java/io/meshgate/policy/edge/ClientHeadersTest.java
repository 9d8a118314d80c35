package io.meshgate.policy.edge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.rewrite.HeaderModifier;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Headers a client may not pass on, sent as exact bytes over a socket: those its
 * {@code Connection} header names go before the route's header changes (so they cannot undo
 * them), Meshgate's own {@code x-meshgate-*} never arrive from outside, and a mirror copy is
 * cleaned as the primary request is.
 */
class ClientHeadersTest extends GatewayTest {

	@Test
	void aConnectionHeaderCannotRemoveWhatTheRouteSets() throws IOException {
		TestUpstream shop = start("shop");
		apply(List.of(Upstream.of("shop", shop.url())), Route.of("shop", "/shop/**", Backend.of("shop", 1))
			.withRequestHeaders(new HeaderModifier(
					Map.of("authorization", "Bearer route-credential", "x-upstream-token", "route-token"), null, null)));

		assertThat(send("GET /shop/x HTTP/1.1", "Connection: authorization, x-upstream-token",
				"Authorization: Bearer client", "X-Upstream-Token: client")).startsWith("HTTP/1.1 200");

		assertThat(shop.received()).singleElement().satisfies(received -> assertThat(received.headers())
			.containsEntry("authorization", "Bearer route-credential")
			.containsEntry("x-upstream-token", "route-token"));
	}

	@Test
	void theHeadersAClientsConnectionHeaderNamesStayAtTheGateway() throws IOException {
		assertThat(receivedByAPlainRoute("Connection: keep-alive, X-Client-Header", "X-Client-Header: hop",
				"X-Request-Id: r-1"))
			.doesNotContainKeys("x-client-header", "connection")
			.containsEntry("x-request-id", "r-1");
	}

	@Test
	void meshgatesOwnHeadersNeverArriveFromAClient() throws IOException {
		assertThat(receivedByAPlainRoute("x-meshgate-shadow: true", "X-MeshGate-Route: forged", "X-Request-Id: r-1"))
			.doesNotContainKeys("x-meshgate-shadow", "x-meshgate-route")
			.containsEntry("x-request-id", "r-1");
	}

	@Test
	void aConnectionHeaderKeepsOnlyItsOwnOptions() {
		HttpHeaders upgrade = new HttpHeaders();
		upgrade.add("Connection", "Upgrade");
		upgrade.add("Upgrade", "websocket");
		assertThat(ClientHeaders.needsSanitizing(upgrade)).isFalse();

		HttpHeaders named = new HttpHeaders();
		named.add("Connection", "keep-alive, Upgrade, x-one");
		named.add("Connection", "X-Two");
		named.add("Upgrade", "websocket");
		named.add("X-One", "1");
		named.add("x-two", "2");
		named.add("X-Meshgate-Anything", "forged");
		assertThat(ClientHeaders.needsSanitizing(named)).isTrue();
		ClientHeaders.sanitize(named);
		assertThat(named.toSingleValueMap()).containsOnlyKeys("Connection", "Upgrade")
			.containsEntry("Connection", "keep-alive, Upgrade");
	}

	/** The headers an upstream behind a route without header changes receives for a GET with {@code headers}. */
	private Map<String, String> receivedByAPlainRoute(String... headers) throws IOException {
		TestUpstream shop = start("shop");
		apply(List.of(Upstream.of("shop", shop.url())), Route.of("shop", "/shop/**", Backend.of("shop", 1)));

		assertThat(send("GET /shop/x HTTP/1.1", headers)).startsWith("HTTP/1.1 200");

		assertThat(shop.received()).hasSize(1);
		return shop.received().get(0).headers();
	}

	@Test
	void aMirrorCopyIsCleanedAsThePrimaryIs() throws IOException {
		TestUpstream primary = start("primary");
		TestUpstream shadow = start("shadow");
		apply(List.of(Upstream.of("primary", primary.url()), Upstream.of("shadow", shadow.url())),
				Route.of("shop", "/shop/**", Backend.of("primary", 1))
					.withMirrors(new MirrorPolicy("shadow", 100.0, null, null, Duration.ofSeconds(5), null)));

		assertThat(send("GET /shop/x HTTP/1.1", "Connection: keep-alive, X-Client-Header", "X-Client-Header: hop",
				"X-Forwarded-For: 192.0.2.1", "X-Forwarded-Host: evil.example", "Forwarded: for=192.0.2.1",
				"x-meshgate-shadow: false", "X-Request-Id: r-1")).startsWith("HTTP/1.1 200");

		await().until(() -> shadow.hits() == 1);
		Map<String, String> original = primary.received().get(0).headers();
		Map<String, String> copy = new HashMap<>(shadow.received().get(0).headers());
		assertThat(copy.remove("x-meshgate-shadow")).isEqualTo("true");
		assertThat(copy.remove("host")).endsWith("-shadow:" + port);
		assertThat(original).doesNotContainKeys("x-client-header", "x-forwarded-for", "x-forwarded-host", "forwarded",
				"x-meshgate-shadow");
		assertThat(copy.keySet()).containsExactlyInAnyOrderElementsOf(
				original.keySet().stream().filter(name -> !name.equals("host")).toList());
	}

	/** Sends a request of exactly these lines (CRLF-terminated) and returns the response's status line. */
	private String send(String requestLine, String... headers) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1:").append(port)
				.append("\r\n");
			for (String header : headers) {
				request.append(header).append("\r\n");
			}
			OutputStream out = socket.getOutputStream();
			out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
			out.flush();
			BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			String status = in.readLine();
			for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
				// headers of the answer: the status line is all these tests look at
			}
			return status;
		}
	}

}
