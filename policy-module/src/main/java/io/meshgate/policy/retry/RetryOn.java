package io.meshgate.policy.retry;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;

import io.meshgate.policy.grpc.GrpcStatus;

/**
 * One condition under which an attempt is retried, named as in Envoy's {@code retry_on}:
 * {@code connect-failure}, {@code reset}, {@code timeout} (the per-try timeout), {@code 5xx},
 * {@code gateway-error} (502, 503, 504), or an HTTP status such as {@code 503} or {@code 429}.
 * {@code 5xx} and {@code gateway-error} include the connection failures and timeouts, as in Envoy.
 * For gRPC calls, Envoy's {@code retry_on} gRPC names: {@code unavailable}, {@code cancelled},
 * {@code deadline-exceeded}, {@code resource-exhausted}, matched on a {@code grpc-status} in the
 * response headers (a server that fails at once answers so; a status in the trailers comes after
 * the client got the response, too late to retry).
 */
public record RetryOn(String name, int status) {

	/** {@code status} of the gRPC conditions: this plus the gRPC code, apart from HTTP statuses. */
	private static final int GRPC = 1000;

	private static final String EXPECTED = "connect-failure, reset, timeout, 5xx, gateway-error, unavailable, "
			+ "cancelled, deadline-exceeded, resource-exhausted or a status 100-599";

	/** A bare status, as YAML reads {@code retryOn: [503]}; binding finds it by convention. */
	public static RetryOn of(Integer status) {
		return of(String.valueOf(status));
	}

	public static RetryOn of(String text) {
		String name = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
		return switch (name) {
			case "connect-failure", "reset", "timeout", "5xx", "gateway-error" -> new RetryOn(name, 0);
			case "unavailable" -> new RetryOn(name, GRPC + GrpcStatus.UNAVAILABLE);
			case "cancelled" -> new RetryOn(name, GRPC + GrpcStatus.CANCELLED);
			case "deadline-exceeded" -> new RetryOn(name, GRPC + GrpcStatus.DEADLINE_EXCEEDED);
			case "resource-exhausted" -> new RetryOn(name, GRPC + GrpcStatus.RESOURCE_EXHAUSTED);
			default -> {
				try {
					int status = Integer.parseInt(name);
					if (status >= 100 && status <= 599) {
						yield new RetryOn(name, status);
					}
				}
				catch (NumberFormatException ex) {
					// falls through to the error below
				}
				throw new IllegalArgumentException("retryOn: " + text + " (expected: " + EXPECTED + ")");
			}
		};
	}

	boolean matchesStatus(int code) {
		return switch (name) {
			case "5xx" -> code >= 500;
			case "gateway-error" -> code == 502 || code == 503 || code == 504;
			default -> status == code;
		};
	}

	/** Whether a gRPC answer with {@code grpcStatus} in its headers is retried. */
	boolean matchesGrpc(int grpcStatus) {
		return status == GRPC + grpcStatus;
	}

	boolean matchesFailure(Throwable error) {
		return switch (name) {
			case "connect-failure" -> isConnectFailure(error);
			case "reset" -> !isConnectFailure(error) && error instanceof IOException;
			case "timeout" -> error instanceof PerTryTimeoutException
					|| error instanceof org.springframework.cloud.gateway.support.TimeoutException;
			case "5xx", "gateway-error" -> error instanceof IOException || error instanceof PerTryTimeoutException
					|| error instanceof org.springframework.cloud.gateway.support.TimeoutException;
			default -> false;
		};
	}

	static boolean isConnectFailure(Throwable error) {
		return error instanceof ConnectException || error instanceof UnknownHostException;
	}

	@Override
	public String toString() {
		return name;
	}

	/** An attempt that took longer than the per-try timeout; a 504 when no retry follows. */
	static final class PerTryTimeoutException extends java.util.concurrent.TimeoutException {

		PerTryTimeoutException(java.time.Duration timeout) {
			super("per-try timeout of " + timeout + " exceeded");
		}

		@Override
		public synchronized Throwable fillInStackTrace() {
			return this;
		}

	}

}
