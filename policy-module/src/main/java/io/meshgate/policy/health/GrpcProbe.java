package io.meshgate.policy.health;

import java.io.ByteArrayOutputStream;
import java.util.function.Supplier;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import io.meshgate.policy.grpc.GrpcHealthProbe;

/**
 * gRPC's {@code grpc.health.v1.Health/Check} on the endpoint with the upstream's own HTTP/2 client:
 * passes on HTTP 200 whose only message says SERVING. A failed call (Trailers-Only,
 * {@code grpc-status} in the headers) has no message, so it fails; the body is read up to
 * {@link GrpcHealthProbe#MAX_RESPONSE_BYTES} and a longer one fails unread.
 */
final class GrpcProbe implements HealthProbe {

	private final Supplier<HttpClient> client;

	private final HealthCheckPolicy policy;

	/** The request's bytes, the same for every call. */
	private final byte[] request;

	/** @param client the upstream's own HTTP client (its TLS, HTTP/2), asked anew for every round */
	GrpcProbe(Supplier<HttpClient> client, HealthCheckPolicy policy) {
		this.client = client;
		this.policy = policy;
		this.request = GrpcHealthProbe.request(policy.grpcService() == null ? "" : policy.grpcService());
	}

	@Override
	public Round round() {
		HttpClient http = client.get()
			.responseTimeout(policy.timeout())
			.headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/grpc")
				.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS));
		return endpoint -> http.post()
			.uri(endpoint.getUri() + GrpcHealthProbe.PATH)
			.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(request)))
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

	@Override
	public String toString() {
		return policy.describe();
	}

}
