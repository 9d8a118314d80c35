package io.meshgate.policy.hash;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;

/**
 * What part of a request identifies a client for hashing: {@code header:x-user},
 * {@code cookie:session} or {@code client-address}.
 */
public record HashKey(Source source, String name) {

	public enum Source {
		HEADER, COOKIE, CLIENT_ADDRESS
	}

	private static final String EXPECTED = "header:<name>, cookie:<name> or client-address";

	public HashKey {
		Objects.requireNonNull(source, "source");
		if (source == Source.CLIENT_ADDRESS) {
			name = null;
		}
		else if (name == null || name.isBlank()) {
			throw new IllegalArgumentException(
					"hashOn: " + source.name().toLowerCase(Locale.ROOT) + ": (expected: " + EXPECTED + ")");
		}
	}

	/** Parses {@code header:x-user}; also how configuration binding converts a string (by convention). */
	public static HashKey of(String text) {
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException("hashOn: " + text + " (expected: " + EXPECTED + ")");
		}
		String trimmed = text.trim();
		if (trimmed.equalsIgnoreCase("client-address")) {
			return new HashKey(Source.CLIENT_ADDRESS, null);
		}
		int colon = trimmed.indexOf(':');
		if (colon > 0) {
			String kind = trimmed.substring(0, colon).toLowerCase(Locale.ROOT);
			String name = trimmed.substring(colon + 1).trim();
			if (kind.equals("header") && !name.isEmpty()) {
				return new HashKey(Source.HEADER, name);
			}
			if (kind.equals("cookie") && !name.isEmpty()) {
				return new HashKey(Source.COOKIE, name);
			}
		}
		throw new IllegalArgumentException("hashOn: " + text + " (expected: " + EXPECTED + ")");
	}

	/** The key's value in a request, or {@code null} when the request does not carry it. */
	public String valueIn(HttpHeaders headers, MultiValueMap<String, ?> cookies, InetSocketAddress client) {
		return switch (source) {
			case HEADER -> headers.getFirst(name);
			case COOKIE -> cookieValue(cookies.get(name));
			case CLIENT_ADDRESS -> client == null ? null
					: client.getAddress() != null ? client.getAddress().getHostAddress() : client.getHostString();
		};
	}

	private static String cookieValue(List<?> values) {
		if (values == null || values.isEmpty()) {
			return null;
		}
		Object first = values.get(0);
		return first instanceof HttpCookie cookie ? cookie.getValue() : String.valueOf(first);
	}

	@Override
	public String toString() {
		return switch (source) {
			case HEADER -> "header:" + name;
			case COOKIE -> "cookie:" + name;
			case CLIENT_ADDRESS -> "client-address";
		};
	}

}
