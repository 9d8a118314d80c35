package io.meshgate.policy.health;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.grpc.GrpcHealthProbe;

/**
 * Runs one upstream's active health checks: every {@code interval}, {@code GET path} (or gRPC's
 * {@code Health/Check}) on each of its endpoints, all at once, on a timer of its own, never on the
 * request path. A check that does not pass within the timeout fails. Verdict changes are logged once each.
 */
public final class HealthChecker implements AutoCloseable {

	private static final Log log = LogFactory.getLog(HealthChecker.class);

	private final String upstream;

	private final HealthCheckPolicy policy;

	private final Supplier<HttpClient> client;

	private final Supplier<List<UpstreamEndpoint>> endpoints;

	private final Runnable onChange;

	private final Consumer<UpstreamEndpoint> onChecked;

	/** The {@code Health/Check} request's bytes for a gRPC check; null for an HTTP one. */
	private final byte[] grpcRequest;

	private Disposable schedule;

	/**
	 * @param client the upstream's own HTTP client (its TLS), asked anew for every round
	 * @param endpoints all endpoints of the upstream, healthy or not
	 * @param onChange called after an endpoint's verdict changed
	 * @param onChecked called after each check of an endpoint (to publish its state)
	 */
	public HealthChecker(String upstream, HealthCheckPolicy policy, Supplier<HttpClient> client,
			Supplier<List<UpstreamEndpoint>> endpoints, Runnable onChange, Consumer<UpstreamEndpoint> onChecked) {
		this.upstream = upstream;
		this.policy = policy;
		this.client = client;
		this.endpoints = endpoints;
		this.onChange = onChange;
		this.onChecked = onChecked;
		this.grpcRequest = policy.type() == HealthCheckType.GRPC
				? GrpcHealthProbe.request(policy.grpcService() == null ? "" : policy.grpcService()) : null;
	}

	public HealthChecker start() {
		schedule = Flux.interval(policy.interval(), policy.interval(), Schedulers.parallel())
			.startWith(0L)
			.onBackpressureDrop()
			.concatMap(tick -> round(), 1)
			.subscribe();
		return this;
	}

	private Mono<Void> round() {
		HttpClient http = client.get().responseTimeout(policy.timeout());
		return Flux.fromIterable(endpoints.get()).flatMap(endpoint -> check(http, endpoint)).then();
	}

	private Mono<Void> check(HttpClient http, UpstreamEndpoint endpoint) {
		Mono<Boolean> answer = grpcRequest == null ? httpCheck(http, endpoint) : grpcCheck(http, endpoint);
		return answer.timeout(policy.timeout())
			.onErrorReturn(false)
			.doOnNext(passed -> {
				if (endpoint.health().recordCheck(passed, policy.healthyThreshold(), policy.unhealthyThreshold())) {
					log.warn("Upstream " + upstream + ": endpoint " + endpoint.address() + " is "
							+ (passed ? "healthy again" : "DOWN") + " (" + (passed ? policy.healthyThreshold()
									: policy.unhealthyThreshold()) + " checks in a row: " + policy.describe() + ")");
					onChange.run();
				}
				onChecked.accept(endpoint);
			})
			.then();
	}

	private Mono<Boolean> httpCheck(HttpClient http, UpstreamEndpoint endpoint) {
		return http.get()
			.uri(endpoint.getUri() + policy.path())
			.responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
			.map(status -> status >= 200 && status < 300);
	}

	/**
	 * One {@code Health/Check} call: passes on HTTP 200 whose only message says SERVING. A failed
	 * call (Trailers-Only, {@code grpc-status} in the headers) has no message, so it fails; the body
	 * is read up to {@link GrpcHealthProbe#MAX_RESPONSE_BYTES} and a longer one fails unread.
	 */
	private Mono<Boolean> grpcCheck(HttpClient http, UpstreamEndpoint endpoint) {
		return http.headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/grpc")
			.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS))
			.post()
			.uri(endpoint.getUri() + GrpcHealthProbe.PATH)
			.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(grpcRequest)))
			.response((response, body) -> response.status().code() != 200 ? body.then(Mono.just(false))
					: body.asByteArray()
						.reduce(new ByteArrayOutputStream(), (all, bytes) -> {
							if (all.size() + bytes.length > GrpcHealthProbe.MAX_RESPONSE_BYTES) {
								throw new IllegalStateException("health answer over the limit");
							}
							all.writeBytes(bytes);
							return all;
						})
						.map(all -> GrpcHealthProbe.serving(all.toByteArray())))
			.next()
			.defaultIfEmpty(false);
	}

	public HealthCheckPolicy policy() {
		return policy;
	}

	@Override
	public void close() {
		if (schedule != null) {
			schedule.dispose();
		}
	}

}
