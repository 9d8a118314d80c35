package io.meshgate.policy.error;

import org.springframework.http.HttpStatusCode;

/**
 * The fixed, Meshgate-written message of an error answer for each status. A framework's reason
 * phrase or exception text can carry request data (Spring's WebSocket handshake lists every
 * request header, credentials added by a route included), so it never reaches a client: error
 * bodies say only what is written here.
 */
public final class ErrorTexts {

	/** The text of a request Meshgate could not parse: bad framing, bad headers, bad chunk. */
	public static final String MALFORMED = "the request is malformed";

	/** The text of a 404 that no route matched; the path is not repeated (it is the client's text). */
	public static final String NO_ROUTE = "no route matches the request";

	private ErrorTexts() {
	}

	public static String of(HttpStatusCode status) {
		return switch (status.value()) {
			case 400 -> MALFORMED;
			case 401 -> "authentication required";
			case 403 -> "access denied";
			case 404 -> NO_ROUTE;
			case 405 -> "method not allowed";
			case 406 -> "no acceptable representation";
			case 408 -> "the request was not received in time";
			case 413 -> "the request body is too large";
			case 414 -> "the request line is too long";
			case 415 -> "unsupported media type";
			case 429 -> "too many requests";
			case 431 -> "the request headers are too large";
			case 501 -> "not implemented";
			case 502 -> "the upstream failed";
			case 503 -> "service unavailable";
			case 504 -> "the upstream did not answer in time";
			default -> status.is4xxClientError() ? "the request was refused" : "internal error";
		};
	}

}
