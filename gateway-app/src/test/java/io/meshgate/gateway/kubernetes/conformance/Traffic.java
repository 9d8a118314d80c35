package io.meshgate.gateway.kubernetes.conformance;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.awaitility.core.ConditionTimeoutException;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import static org.awaitility.Awaitility.await;

/**
 * Requests to the gateway as the suite's round tripper makes them, compared as
 * {@code http.CompareRoundTrip} compares them. A request goes to the local port serving the case's
 * listener port (80: the ingress port, 443: the HTTPS listener, others: the further listener
 * ports); the Host header is the Gateway's address, with the listener port unless it is 80 or 443,
 * as Go's client sends it to {@code gwAddr}, unless the case names a host.
 */
final class Traffic {

	/** The suite's {@code RequiredConsecutiveSuccesses} and {@code MaxTimeToConsistency} (shortened from 30s). */
	static final int CONSECUTIVE = 3;

	static final Duration CONSISTENCY = Duration.ofSeconds(15);

	/** The threshold {@code MakeRequestAndExpectFailure} passes to {@code WaitForConsistentFailureResponse}. */
	static final int FAILURES = 5;

	private static final ObjectMapper JSON = new ObjectMapper();

	/** What came back: status, headers (lower-case names), the echo's JSON when it answered. */
	record Answer(int status, Map<String, List<String>> headers, Map<String, Object> echo) {

		String header(String name) {
			List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
			return values == null ? null : String.join(",", values);
		}

		@SuppressWarnings("unchecked")
		Map<String, List<String>> echoHeaders() {
			Map<String, List<String>> lower = new LinkedHashMap<>();
			((Map<String, List<String>>) echo.getOrDefault("headers", Map.of()))
				.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
			return lower;
		}

	}

	private final HttpClient client;

	private final HttpClient pooled = HttpClient.create().followRedirect(false).responseTimeout(Duration.ofSeconds(10));

	private final SslContext insecure;

	/** The local port serving a listener port. */
	private final java.util.function.IntUnaryOperator localPorts;

	private final String address;

	Traffic(java.util.function.IntUnaryOperator localPorts, String address) {
		this.localPorts = localPorts;
		this.address = address;
		// a connection per request: a route change must not hide behind a pooled connection
		this.client = HttpClient.create(ConnectionProvider.newConnection()).followRedirect(false)
			.responseTimeout(Duration.ofSeconds(10));
		try {
			this.insecure = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
		}
		catch (javax.net.ssl.SSLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** {@code MakeRequestAndExpectEventuallyConsistentResponse}: {@value #CONSECUTIVE} matching answers in a row. */
	void eventually(Expect expected) {
		AtomicInteger inRow = new AtomicInteger();
		AtomicReference<String> last = new AtomicReference<>("no answer");
		try {
			await().atMost(CONSISTENCY).pollInterval(Duration.ofMillis(50)).pollDelay(Duration.ZERO).until(() -> {
				String mismatch;
				try {
					mismatch = compare(expected, send(expected));
				}
				catch (RuntimeException ex) {
					if (Thread.currentThread().isInterrupted()) {
						return false; // Awaitility's timeout: keep the last answer's mismatch
					}
					mismatch = ex.toString();
				}
				last.set(mismatch);
				return mismatch == null ? inRow.incrementAndGet() >= CONSECUTIVE : inRow.getAndSet(0) < 0;
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(expected + ": " + last.get());
		}
	}

	/**
	 * {@code MakeRequestAndExpectFailure}: {@value #FAILURES} answers in a row other than 200 (a
	 * 408 or 504 does not count); a 200 fails at once.
	 */
	void eventuallyFails(Expect expected) {
		AtomicInteger inRow = new AtomicInteger();
		try {
			await().atMost(CONSISTENCY).pollInterval(Duration.ofMillis(50)).pollDelay(Duration.ZERO).until(() -> {
				int status = send(expected).status();
				if (status == 200) {
					throw new AssertionError(expected + " should fail, returned 200 instead");
				}
				return status == 408 || status == 504 ? inRow.getAndSet(0) < 0 : inRow.incrementAndGet() >= FAILURES;
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(expected + ": no " + FAILURES + " failures in a row");
		}
	}

	/** Each case in turn, as the upstream test's {@code t.Run} loop. */
	void eventually(List<Expect> cases) {
		cases.forEach(this::eventually);
	}

	/**
	 * {@code n} requests, {@code concurrency} at a time over pooled connections, as the suite's
	 * weight sender makes them; the answers in no particular order.
	 */
	List<Answer> sendMany(Expect expected, int n, int concurrency) {
		return reactor.core.publisher.Flux.range(0, n)
			.flatMap(i -> reactor.core.publisher.Mono.fromCallable(() -> send(expected, pooled))
				.subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), concurrency)
			.collectList()
			.block(Duration.ofSeconds(60));
	}

	Answer send(Expect expected) {
		return send(expected, client);
	}

	private Answer send(Expect expected, HttpClient client) {
		int listenerPort = expected.listenerPort();
		String host = !expected.host.isEmpty() ? expected.host
				: listenerPort == 80 || listenerPort == 443 ? address : address + ":" + listenerPort;
		HttpClient http = expected.https ? client.secure(spec -> spec.sslContext(insecure)
			.serverNames(new javax.net.ssl.SNIHostName(expected.sni != null ? expected.sni : hostOnly(host)))) : client;
		String url = (expected.https ? "https" : "http") + "://127.0.0.1:" + localPorts.applyAsInt(listenerPort)
				+ expected.path;
		return http.headers(h -> {
			h.set("Host", host);
			expected.headers.forEach(h::set);
			List<String> set = new ArrayList<>();
			expected.backendSetResponseHeaders.forEach((name, value) -> set.add(name + ":" + value));
			h.set("X-Echo-Set-Header", String.join(",", set));
		})
			.request(HttpMethod.valueOf(expected.method))
			.uri(url)
			.responseSingle((response, body) -> body.asString().defaultIfEmpty("").map(text -> {
				Map<String, List<String>> headers = new LinkedHashMap<>();
				response.responseHeaders()
					.forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
						.add(e.getValue()));
				return new Answer(response.status().code(), headers, echo(text));
			}))
			.block(Duration.ofSeconds(15));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> echo(String body) {
		if (!body.startsWith("{")) {
			return Map.of();
		}
		try {
			return JSON.readValue(body, Map.class);
		}
		catch (java.io.IOException ex) {
			return Map.of();
		}
	}

	/** {@code http.CompareRoundTrip}: null when the answer is what the case expects, else why not. */
	static String compare(Expect expected, Answer answer) {
		if (!expected.codes().contains(answer.status())) {
			return "expected status code to be one of " + expected.codes() + ", got " + answer.status();
		}
		if (answer.status() == 200) {
			Map<String, Object> echo = answer.echo();
			String path = expected.expectedPath != null ? expected.expectedPath : expected.path;
			String method = expected.expectedMethod != null ? expected.expectedMethod : expected.method;
			String host = expected.expectedHost != null ? expected.expectedHost : expected.host;
			if (!host.isEmpty() && !host.equals(echo.get("host"))) {
				return "expected host to be " + host + ", got " + echo.get("host");
			}
			if (!path.equals(echo.get("path"))) {
				return "expected path to be " + path + ", got " + echo.get("path");
			}
			if (!method.equals(echo.get("method"))) {
				return "expected method to be " + method + ", got " + echo.get("method");
			}
			if (!expected.namespace.equals(echo.get("namespace"))) {
				return "expected namespace to be " + expected.namespace + ", got " + echo.get("namespace");
			}
			Map<String, List<String>> seen = answer.echoHeaders();
			Map<String, String> wanted = expected.expectedHeaders != null ? expected.expectedHeaders
					: expected.expectedPath == null && expected.expectedHost == null ? expected.headers : Map.of();
			for (Map.Entry<String, String> header : wanted.entrySet()) {
				List<String> actual = seen.get(header.getKey().toLowerCase(Locale.ROOT));
				if (actual == null || !String.join(",", actual).equals(header.getValue())) {
					return "expected " + header.getKey() + " header to be set to " + header.getValue() + ", got " + actual;
				}
			}
			for (Map.Entry<String, String> header : expected.responseHeaders.entrySet()) {
				if (!header.getValue().equals(answer.header(header.getKey()))) {
					return "expected response header " + header.getKey() + " to be " + header.getValue() + ", got "
							+ answer.header(header.getKey());
				}
			}
			for (String name : expected.absentResponseHeaders) {
				if (answer.header(name) != null) {
					return "expected response header " + name + " to not be set, got " + answer.header(name);
				}
			}
			for (String name : expected.absentRequestHeaders) {
				if (seen.containsKey(name.toLowerCase(Locale.ROOT))) {
					return "expected request header " + name + " to not be set, got " + seen.get(name.toLowerCase(Locale.ROOT));
				}
			}
			String sni = expected.expectedSni != null ? expected.expectedSni : expected.sni;
			Object tls = echo.get("tls");
			Object serverName = tls instanceof Map<?, ?> state ? state.get("serverName") : "";
			if (sni != null && !sni.equals(serverName)) {
				return "expected SNI " + serverName + " to be equal to " + sni;
			}
			if (!String.valueOf(echo.get("pod")).startsWith(expected.backend)) {
				return "expected pod name to start with " + expected.backend + ", got " + echo.get("pod");
			}
		}
		else if (answer.status() >= 300 && answer.status() < 400 && expected.redirect != null) {
			String location = answer.header("location");
			if (location == null) {
				return "redirect without Location";
			}
			URI uri = URI.create(location);
			String scheme = expected.redirect[0].isEmpty() ? (expected.https ? "https" : "http") : expected.redirect[0];
			String host = expected.redirect[1].isEmpty() ? uri.getHost() : expected.redirect[1];
			String path = expected.redirect[3].isEmpty() ? expected.path.split("\\?")[0] : expected.redirect[3];
			String port = uri.getPort() < 0 ? "" : String.valueOf(uri.getPort());
			if (!host.equals(uri.getHost())) {
				return "expected redirected hostname to be " + host + ", got " + uri.getHost();
			}
			if (expected.redirect[2].isEmpty()) {
				if ("http".equalsIgnoreCase(uri.getScheme()) && !port.isEmpty() && !port.equals("80")) {
					return "for http scheme, expected redirected port to be 80 or not set, got " + port;
				}
				if ("https".equalsIgnoreCase(uri.getScheme()) && !port.isEmpty() && !port.equals("443")) {
					return "for https scheme, expected redirected port to be 443 or not set, got " + port;
				}
			}
			else if (!expected.redirect[2].equals(port)) {
				return "expected redirected port to be " + expected.redirect[2] + ", got " + port;
			}
			if (!scheme.equals(uri.getScheme())) {
				return "expected redirected scheme to be " + scheme + ", got " + uri.getScheme();
			}
			if (!path.equals(uri.getRawPath())) {
				return "expected redirected path to be " + path + ", got " + uri.getRawPath();
			}
		}
		return null;
	}

	private static String hostOnly(String host) {
		int colon = host.lastIndexOf(':');
		return colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
	}

}
