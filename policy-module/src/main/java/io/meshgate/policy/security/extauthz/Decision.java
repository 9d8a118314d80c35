package io.meshgate.policy.security.extauthz;

import java.util.List;
import java.util.Map;

/**
 * The auth service's decision, as the gateway applies it and as the decision cache keeps it: only
 * what the policy lets through of the answer is held, never the rest of it.
 *
 * @param allowed whether the request goes on
 * @param status the status a denied request is answered with; 200 when allowed
 * @param upstreamHeaders headers set on the request to the upstream (allowed only), the policy's
 * {@code headersToUpstreamOnAllow} that the answer carried
 * @param downstreamHeaders headers set on the response to the client: {@code headersToDownstreamOnAllow}
 * or {@code headersToDownstreamOnDeny} that the answer carried
 * @param contentType the denying answer's content type, with {@code includeBodyOnDeny}; else null
 * @param body the denying answer's body, with {@code includeBodyOnDeny}; else empty
 */
record Decision(boolean allowed, int status, List<Map.Entry<String, String>> upstreamHeaders,
		List<Map.Entry<String, String>> downstreamHeaders, String contentType, byte[] body) {

	private static final byte[] NO_BODY = new byte[0];

	/** Allowed with nothing to add: a failure the policy lets through ({@code failOpen}). */
	static final Decision ALLOW = allow(List.of(), List.of());

	Decision {
		body = body == null ? NO_BODY : body;
	}

	static Decision allow(List<Map.Entry<String, String>> upstreamHeaders,
			List<Map.Entry<String, String>> downstreamHeaders) {
		return new Decision(true, 200, upstreamHeaders, downstreamHeaders, null, NO_BODY);
	}

	static Decision deny(int status, List<Map.Entry<String, String>> downstreamHeaders, String contentType, byte[] body) {
		return new Decision(false, status, List.of(), downstreamHeaders, contentType, body);
	}

}
