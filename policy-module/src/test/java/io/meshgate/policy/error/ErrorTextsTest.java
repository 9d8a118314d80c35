package io.meshgate.policy.error;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.meshgate.policy.rewrite.HeaderModifier;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.RawClient;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Error answers carry Meshgate's fixed texts and nothing the client sent or a route added. */
class ErrorTextsTest extends GatewayTest {

	static final String SECRET = "Bearer route-credential-7f3a";

	static final String COOKIE = "session=client-cookie-91c2";

	@BeforeEach
	void routes() {
		TestUpstream svc = start("svc");
		TestUpstream slow = start("slow").delay(Duration.ofSeconds(4));
		apply(List.of(Upstream.of("svc", svc.url()), Upstream.of("refusing", TestUpstream.refusingUrl()),
				Upstream.of("slow", slow.url())),
				Route.of("public", "/public/**", Backend.of("svc", 1))
					.withRequestHeaders(new HeaderModifier(Map.of("Authorization", SECRET), null, null)),
				Route.of("refused", "/refused/**", Backend.of("refusing", 1)),
				Route.of("slow", "/slow/**", Backend.of("slow", 1)));
	}

	@Test
	void webSocketUpgradeOnAnHttpRouteRepeatsNoHeader() {
		String answer = exchange("GET /public/x HTTP/1.1\r\nHost: gw\r\nUpgrade: websocket\r\nCookie: " + COOKIE
				+ "\r\nX-Probe: <script>\r\nConnection: close\r\n\r\n");

		assertThat(answer).startsWith("HTTP/1.1 400 ");
		assertThat(RawClient.body(answer)).isEqualTo(
				"{\"status\":400,\"error\":\"Bad Request\",\"message\":\"the request is malformed\",\"route\":\"public\",\"upstream\":\"svc\"}");
		assertThat(answer).doesNotContain(SECRET, COOKIE, "Authorization", "<script>", "Connection'");
	}

	static Stream<Arguments> errors() {
		return Stream.of(
				arguments("no route", "GET /nope/%3Cb%3E?q=1 HTTP/1.1\r\nHost: gw\r\n\r\n", "404 ",
						"{\"status\":404,\"error\":\"Not Found\",\"message\":\"no route matches the request\"}"),
				arguments("upstream refused", "GET /refused/x HTTP/1.1\r\nHost: gw\r\n\r\n", "502 ",
						"{\"status\":502,\"error\":\"Bad Gateway\",\"message\":\"upstream refusing refused the connection\",\"route\":\"refused\",\"upstream\":\"refusing\"}"),
				arguments("upstream too slow", "GET /slow/x HTTP/1.1\r\nHost: gw\r\n\r\n", "504 ",
						"{\"status\":504,\"error\":\"Gateway Timeout\",\"message\":\"upstream slow did not answer in time\",\"route\":\"slow\",\"upstream\":\"slow\"}"),
				// refused by the HTTP decoder before Spring sees them: no body at all
				arguments("header without a colon", "GET /public/x HTTP/1.1\r\nHost: gw\r\nBroken <b>\r\n\r\n", "400 ", ""),
				arguments("bad request line", "GET /public/<b> HTTP/9.9 extra\r\nHost: gw\r\n\r\n", "400 ", ""),
				arguments("headers too large", "GET /public/x HTTP/1.1\r\nHost: gw\r\nX-Big: " + "<b>".repeat(4000)
						+ "\r\n\r\n", "431 ", ""));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("errors")
	void everyErrorAnswersAFixedText(String kind, String request, String status, String body) {
		String answer = exchange(request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));

		assertThat(answer).startsWith("HTTP/1.1 " + status);
		assertThat(RawClient.body(answer)).isEqualTo(body);
		assertThat(answer).doesNotContain("<b>", "%3C", "nope", "Exception");
	}

	private String exchange(String request) {
		try (RawClient raw = new RawClient(port)) {
			return raw.send(request).readUntilClosed(Duration.ofSeconds(10));
		}
	}

}
