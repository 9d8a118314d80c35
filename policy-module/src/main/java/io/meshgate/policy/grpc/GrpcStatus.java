package io.meshgate.policy.grpc;

import org.springframework.http.HttpHeaders;

/**
 * gRPC status codes, as the {@code grpc-status} header or trailer carries them, and what
 * Meshgate makes of them: which count as the upstream's failures, and which code a gateway-made
 * HTTP error becomes for a gRPC client.
 */
public final class GrpcStatus {

	public static final String HEADER = "grpc-status";

	public static final String MESSAGE_HEADER = "grpc-message";

	/** No status (yet): the call is not over, or the answer carried none. */
	public static final int NONE = -1;

	public static final int OK = 0;

	public static final int CANCELLED = 1;

	public static final int UNKNOWN = 2;

	public static final int DEADLINE_EXCEEDED = 4;

	public static final int PERMISSION_DENIED = 7;

	public static final int RESOURCE_EXHAUSTED = 8;

	public static final int UNIMPLEMENTED = 12;

	public static final int INTERNAL = 13;

	public static final int UNAVAILABLE = 14;

	public static final int UNAUTHENTICATED = 16;

	/** The canonical names, by code: the {@code grpc_status} metric tag. */
	private static final String[] NAMES = { "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
			"NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
			"ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED" };

	private GrpcStatus() {
	}

	/** The code's canonical name; codes outside the 17 defined ones read as {@code UNKNOWN}. */
	public static String name(int code) {
		return code >= 0 && code < NAMES.length ? NAMES[code] : "UNKNOWN";
	}

	/**
	 * The code in a {@code grpc-status} value: at most two digits, else {@link #NONE} (a value
	 * the peer wrote is parsed without allocation and never trusted further).
	 */
	public static int parse(String value) {
		if (value == null || value.isEmpty() || value.length() > 2) {
			return NONE;
		}
		int code = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return NONE;
			}
			code = code * 10 + (c - '0');
		}
		return code;
	}

	/** The status in {@code headers}, or {@link #NONE}. */
	public static int in(HttpHeaders headers) {
		return parse(headers.getFirst(HEADER));
	}

	/**
	 * Whether the code says the upstream failed, for the circuit breaker and outlier detection:
	 * {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED} and {@code INTERNAL}. Other codes answer the
	 * caller's request (not found, invalid argument, permission denied): the server works.
	 */
	public static boolean failure(int code) {
		return code == UNAVAILABLE || code == DEADLINE_EXCEEDED || code == INTERNAL;
	}

	/** {@link #failure(int)} of a code given by its name, as the {@code grpc_status} tag holds it. */
	public static boolean failure(String name) {
		for (int code = 0; code < NAMES.length; code++) {
			if (NAMES[code].equals(name)) {
				return failure(code);
			}
		}
		return false;
	}

	/**
	 * The code as the HTTP status the breaker and outlier detection count by: 503 for
	 * {@code UNAVAILABLE}, 504 for {@code DEADLINE_EXCEEDED}, 500 for {@code INTERNAL} (Envoy's
	 * mapping), 200 for any other code.
	 */
	public static int asHttpOutcome(int code) {
		return switch (code) {
			case UNAVAILABLE -> 503;
			case DEADLINE_EXCEEDED -> 504;
			case INTERNAL -> 500;
			default -> 200;
		};
	}

	/**
	 * The code a gateway-made HTTP error becomes for a gRPC client: the gRPC project's mapping
	 * ("HTTP to gRPC Status Code Mapping"), with 504 (the gateway's own timer expired) as
	 * {@code DEADLINE_EXCEEDED}, 429 (rate limited) and 413 (too large to retry) as
	 * {@code RESOURCE_EXHAUSTED}.
	 */
	public static int forGatewayError(int httpStatus) {
		return switch (httpStatus) {
			case 400, 500 -> INTERNAL;
			case 401 -> UNAUTHENTICATED;
			case 403 -> PERMISSION_DENIED;
			case 404 -> UNIMPLEMENTED;
			case 413, 429 -> RESOURCE_EXHAUSTED;
			case 421, 502, 503 -> UNAVAILABLE;
			case 504 -> DEADLINE_EXCEEDED;
			default -> UNKNOWN;
		};
	}

}
