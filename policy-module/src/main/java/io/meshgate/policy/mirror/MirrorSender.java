package io.meshgate.policy.mirror;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.server.reactive.ServerHttpRequest;

import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.mirror.compare.Answer;
import io.meshgate.policy.mirror.compare.CappedBody;
import io.meshgate.policy.mirror.compare.ComparePolicy;
import io.meshgate.policy.observe.MirrorRecording;
import io.meshgate.policy.observe.ServerTrace;
import io.meshgate.policy.upstream.HeaderRemoval;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;

/**
 * Sends shadow copies of requests. It has a connection pool of its own, so shadow traffic can
 * never take connections the primary traffic needs.
 */
public final class MirrorSender implements AutoCloseable {

	/** Marks a copy, so that a shadow service can tell it apart (and not write side effects). */
	public static final String SHADOW_HEADER = "x-meshgate-shadow";

	private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
			"proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
			"content-length", "expect");

	private final UpstreamRegistry upstreams;

	private final ConnectionProvider pool;

	private final HttpClient client;

	private final MirrorRecording recording;

	public MirrorSender(UpstreamRegistry upstreams) {
		this(upstreams, MirrorRecording.OFF);
	}

	/** @param recording records each copy: its time, and a shadow span whose context goes in the copy's headers */
	public MirrorSender(UpstreamRegistry upstreams, MirrorRecording recording) {
		this.upstreams = upstreams;
		this.recording = recording;
		this.pool = ConnectionProvider.builder("meshgate-mirror")
			.maxConnections(512)
			.pendingAcquireMaxCount(-1)
			.maxIdleTime(Duration.ofSeconds(30))
			.build();
		this.client = HttpClient.create(pool);
	}

	/** What a copy carries, taken from the request before the primary goes on. */
	public record Shadow(String method, String pathAndQuery, HttpHeaders headers) {

		public static Shadow of(ServerHttpRequest request) {
			HttpHeaders headers = new DefaultHttpHeaders();
			// as the primary: the edge removed the client's x-meshgate-* and Connection-named headers,
			// hop-by-hop and forwarding headers go here as the primary's go at its upstream call
			request.getHeaders().forEach((name, values) -> {
				if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !HeaderRemoval.forwarded(name)) {
					headers.add(name, values);
				}
			});
			String host = request.getHeaders().getFirst("Host");
			if (host == null && request.getURI().getHost() != null) {
				host = request.getURI().getRawAuthority();
			}
			if (host != null) {
				headers.set("Host", shadowHost(host));
			}
			headers.set(SHADOW_HEADER, "true");
			URI uri = request.getURI();
			String query = uri.getRawQuery();
			return new Shadow(request.getMethod().name(), uri.getRawPath() + (query == null ? "" : "?" + query),
					headers);
		}

		/** {@code orders.example.com:8080} becomes {@code orders.example.com-shadow:8080}, as in Envoy. */
		static String shadowHost(String host) {
			int colon = host.lastIndexOf(':');
			boolean hasPort = colon > host.lastIndexOf(']') && colon > 0;
			return hasPort ? host.substring(0, colon) + "-shadow" + host.substring(colon) : host + "-shadow";
		}

	}

	/**
	 * Sends a copy to an endpoint of {@code upstream} and completes with the status it answered.
	 * Fails when the upstream is unknown, has no endpoint, or the copy fails or has not been
	 * answered when {@code deadline} emits. The deadline covers the whole copy (connect, send,
	 * response); give one armed on the caller's event loop (see {@code Timeouts.expiry}) rather than
	 * a Reactor timer, whose thread wakes for every copy.
	 * @param primary the primary request's server span ({@code ServerTrace.NONE} without one): the
	 * copy is recorded as its shadow, for {@code route}
	 */
	public Mono<Integer> send(String upstream, Shadow shadow, byte[] body, Publisher<?> deadline, ServerTrace primary,
			String route) {
		// the body is drained, not aggregated: only the status matters
		return exchange(upstream, shadow, body, deadline, primary, route,
				(response, content) -> content.then(Mono.just(response.status().code())), status -> status);
	}

	/**
	 * Sends a copy as {@link #send} does and completes with its answer as {@code compare} compares
	 * it: status, the compared headers, and the body's first {@code maxBody} bytes (the rest is
	 * drained, not kept).
	 */
	public Mono<Answer> answer(String upstream, Shadow shadow, byte[] body, Publisher<?> deadline, ServerTrace primary,
			String route, ComparePolicy compare, int maxBody) {
		return exchange(upstream, shadow, body, deadline, primary, route, (response, content) -> {
			CappedBody kept = new CappedBody(maxBody);
			return content.doOnNext(chunk -> kept.append(chunk.nioBuffer()))
				.then(Mono.fromSupplier(() -> new Answer(response.status().code(),
						Answer.compared(compare, headers(response.responseHeaders())), kept.bytes(), kept.complete())));
		}, Answer::status);
	}

	private <T> Mono<T> exchange(String upstream, Shadow shadow, byte[] body, Publisher<?> deadline,
			ServerTrace primary, String route,
			BiFunction<HttpClientResponse, ByteBufFlux, Publisher<T>> reader, ToIntFunction<T> status) {
		UpstreamRuntime runtime = upstreams.get(upstream);
		if (runtime == null) {
			return Mono.error(new IllegalStateException("mirror upstream " + upstream + " does not exist"));
		}
		List<UpstreamEndpoint> endpoints = runtime.endpoints();
		if (endpoints.isEmpty()) {
			return Mono.error(new IllegalStateException("mirror upstream " + upstream + " has no endpoint"));
		}
		UpstreamEndpoint endpoint = runtime.picker().pick(endpoints, null);
		HttpHeaders headers = shadow.headers().copy();
		if (body.length > 0) {
			headers.set("Content-Length", body.length);
		}
		// the recording writes the shadow span's trace context into headers before they are sent
		return recording.record(primary, route, upstream, endpoint.getHost(), endpoint.getPort(), headers,
				() -> request(headers, shadow, endpoint, body).response(reader).single().timeout(deadline), status);
	}

	private static Map<String, List<String>> headers(HttpHeaders headers) {
		Map<String, List<String>> all = new LinkedHashMap<>();
		headers.forEach(entry -> all.computeIfAbsent(entry.getKey(), name -> new ArrayList<>()).add(entry.getValue()));
		return all;
	}

	private HttpClient.ResponseReceiver<?> request(HttpHeaders headers, Shadow shadow, UpstreamEndpoint endpoint,
			byte[] body) {
		HttpClient.RequestSender request = client.headers(h -> h.set(headers))
			.request(HttpMethod.valueOf(shadow.method()))
			.uri(endpoint.getUri().toString() + shadow.pathAndQuery());
		// without a body the request goes out as one message, with nothing to subscribe to
		return body.length == 0 ? request : request.send(ByteBufFlux.fromInbound(Mono.just(body)));
	}

	@Override
	public void close() {
		pool.disposeLater().block(Duration.ofSeconds(5));
	}

}
