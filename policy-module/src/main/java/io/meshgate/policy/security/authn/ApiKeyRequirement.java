package io.meshgate.policy.security.authn;

import java.util.regex.Pattern;

import io.meshgate.policy.schema.Example;
import io.meshgate.policy.schema.NeverEmpty;

/**
 * The API key a route requires: {@code apiKey: {fromHeader: x-api-key}}. The key must be one of
 * a consumer's ({@code consumers}); the consumer becomes the request's identity. The header is
 * removed before the request goes upstream: upstreams and their logs never see keys.
 *
 * @param fromHeader the request header carrying the key; default {@code x-api-key}
 */
@NeverEmpty
public record ApiKeyRequirement(@Example("x-api-key") String fromHeader) {

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");

	public static final String DEFAULT_HEADER = "x-api-key";

	public ApiKeyRequirement {
		fromHeader = fromHeader == null ? DEFAULT_HEADER : fromHeader;
		if (!TOKEN.matcher(fromHeader).matches()) {
			throw new IllegalArgumentException("fromHeader: " + fromHeader + " (expected: a header name)");
		}
	}

}
