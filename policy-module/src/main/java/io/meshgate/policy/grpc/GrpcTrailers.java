package io.meshgate.policy.grpc;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.TrailerHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Reads the {@code grpc-status} of an upstream's trailers into the call's {@link GrpcCall} as
 * Spring Cloud Gateway's response writer passes them on to the client (unchanged). A header
 * filter only so that the writer finds it among its filters; it touches no request or response
 * headers.
 */
public final class GrpcTrailers implements HttpHeadersFilter, TrailerHeadersFilter {

	@Override
	public HttpHeaders trailers(HttpHeaders trailers, ServerWebExchange exchange) {
		GrpcCall call = GrpcCall.of(exchange);
		if (call != null && trailers != null) {
			int code = GrpcStatus.in(trailers);
			if (code != GrpcStatus.NONE) {
				call.status(code);
			}
		}
		return trailers;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		return input;
	}

	@Override
	public boolean supports(Type type) {
		return false;
	}

}
