package io.meshgate.policy.security.extauthz;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * Calls one route's auth service and turns its answer into an {@link Outcome}. Every read is
 * bounded: the whole call by the deadline, the answer's headers by the client's header limit, its
 * body by {@code maxResponseSize} (read as it arrives; a declared or actual larger one fails the
 * check and closes the connection). Of the answer only the headers the policy names are kept.
 * Never blocks: Reactor Netty's client, on the gateway's event loops.
 */
final class AuthServiceClient {

	/** Response headers of the auth service at most, in bytes; a larger header block breaks the call. */
	static final int MAX_HEADER_SIZE = 16 * 1024;

	private final ExtAuthzPolicy policy;

	private final HttpClient client;

	/** The auth service's URL without a trailing slash: the request's path follows. */
	private final String base;

	private final int maxBody;

	/**
	 * @param secure secures a client with the policy's {@code tls} (reads its files: called when
	 * the route is built, never on an event loop)
	 */
	AuthServiceClient(ExtAuthzPolicy policy, ConnectionProvider pool, UnaryOperator<HttpClient> secure) {
		this.policy = policy;
		HttpClient http = HttpClient.create(pool)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) policy.timeout().toMillis())
			.responseTimeout(policy.timeout())
			.followRedirect(false)
			.httpResponseDecoder(spec -> spec.maxHeaderSize(MAX_HEADER_SIZE));
		boolean https = "https".equalsIgnoreCase(policy.uri().getScheme());
		// https without tls: the JDK's trusted CAs, and the host name checked against the certificate
		this.client = !https ? http : policy.tls().enabled() ? secure.apply(http) : http.secure();
		this.base = base(policy.uri());
		this.maxBody = (int) policy.maxResponseSize().toBytes();
	}

	private static String base(URI uri) {
		String text = uri.toString();
		return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
	}

	/**
	 * The outcome of sending {@code check}: a decision, or the failure to get one; never an error.
	 * @param deadline emits when the check has taken too long (armed on the request's event loop)
	 */
	Mono<Outcome> check(CheckRequest check, Publisher<?> deadline) {
		return client.headers(headers -> headers.set(check.headers()))
			.request(HttpMethod.valueOf(check.method()))
			.uri(base + check.pathAndQuery())
			.response(this::read)
			.next()
			.timeout(deadline, Mono.error(Failure.TIMEOUT.error()))
			.onErrorResume(error -> Mono.just(Failure.of(error)));
	}

	private Mono<Outcome> read(HttpClientResponse response, ByteBufFlux content) {
		int status = response.status().code();
		if (status >= 500) {
			// read (bounded) so that the connection can serve the next check
			return body(content).then(Mono.<Outcome>just(Failure.SERVER_ERROR)).onErrorReturn(Failure.SERVER_ERROR);
		}
		HttpHeaders headers = response.responseHeaders();
		boolean allowed = status >= 200 && status < 300;
		boolean bodyWanted = !allowed && policy.includeBodyOnDeny();
		String length = headers.get("content-length");
		if (length != null && exceeds(length)) {
			return Mono.just(Failure.TOO_LARGE);
		}
		List<Map.Entry<String, String>> upstream = allowed ? picked(headers, policy.headersToUpstreamOnAllow())
				: List.of();
		List<Map.Entry<String, String>> downstream = picked(headers,
				allowed ? policy.headersToDownstreamOnAllow() : policy.headersToDownstreamOnDeny());
		String contentType = bodyWanted ? headers.get("content-type") : null;
		String cacheControl = headers.get("cache-control");
		// 4xx passes through (as Envoy does); anything else that is neither allowed nor failed is 403
		int deniedStatus = status >= 400 ? status : 403;
		return body(content).map(body -> new Answer(allowed ? Decision.allow(upstream, downstream)
				: Decision.deny(deniedStatus, downstream, contentType, bodyWanted ? body : null), cacheControl));
	}

	/** The body, read as it arrives and refused past {@code maxResponseSize}. */
	private Mono<byte[]> body(ByteBufFlux content) {
		return content.asByteArray().reduceWith(ByteArrayOutputStream::new, (read, bytes) -> {
			if (read.size() + bytes.length > maxBody) {
				throw Failure.TOO_LARGE.error();
			}
			read.writeBytes(bytes);
			return read;
		}).map(ByteArrayOutputStream::toByteArray).defaultIfEmpty(new byte[0]);
	}

	private boolean exceeds(String contentLength) {
		try {
			return Long.parseLong(contentLength.strip()) > maxBody;
		}
		catch (NumberFormatException ex) {
			return true; // a length that is not a number: the answer is broken
		}
	}

	private static List<Map.Entry<String, String>> picked(HttpHeaders headers, List<String> names) {
		if (names.isEmpty()) {
			return List.of();
		}
		List<Map.Entry<String, String>> picked = new ArrayList<>(names.size());
		for (String name : names) {
			for (String value : headers.getAll(name)) {
				picked.add(Map.entry(name, value));
			}
		}
		return List.copyOf(picked);
	}

	/** A decision, with the answer's {@code Cache-Control} that says whether it may be kept. */
	record Answer(Decision decision, String cacheControl) implements Outcome {

	}

}
