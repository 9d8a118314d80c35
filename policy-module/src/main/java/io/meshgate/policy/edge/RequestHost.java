package io.meshgate.policy.edge;

import java.util.Locale;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;

/**
 * The request's host as every host match reads it, normalized once per request: the
 * {@code Host} header (HTTP/2's {@code :authority} arrives as it) without its port, whatever the
 * port, and without one trailing dot, in lower case. A header that is not a host name or a
 * bracketed IPv6 literal, optionally followed by {@code :} and up to five digits, is no host
 * (the empty string), which no host pattern matches: the header is the client's text, so its
 * length is bounded before it is read and nothing in it is interpreted beyond this.
 */
public final class RequestHost {

	/** A name of 253 characters, a trailing dot, {@code :} and five digits. */
	static final int MAX_HEADER_LENGTH = HostNames.MAX_NAME_LENGTH + 1 + 6;

	private static final int MAX_PORT_DIGITS = 5;

	private RequestHost() {
	}

	/** The normalized host, computed at the first call of a request and kept in {@link ExchangeAttributes#REQUEST_HOST}. */
	public static String of(ServerWebExchange exchange) {
		if (exchange.getAttributes().get(ExchangeAttributes.REQUEST_HOST) instanceof String host) {
			return host;
		}
		String host = normalize(exchange.getRequest().getHeaders().getFirst(HttpHeaders.HOST));
		exchange.getAttributes().put(ExchangeAttributes.REQUEST_HOST, host);
		return host;
	}

	/**
	 * @param header a {@code Host} header's value, or null
	 * @return its host in lower case without port or trailing dot; the header itself when that is
	 * what it already is; the empty string when it is missing or malformed
	 */
	public static String normalize(String header) {
		if (header == null || header.isEmpty() || header.length() > MAX_HEADER_LENGTH) {
			return "";
		}
		int length = header.length();
		int hostEnd;
		boolean ipv6 = header.charAt(0) == '[';
		if (ipv6) {
			hostEnd = header.indexOf(']') + 1;
			if (hostEnd == 0) {
				return "";
			}
		}
		else {
			int colon = header.indexOf(':');
			hostEnd = colon < 0 ? length : colon;
		}
		if (!isPort(header, hostEnd, length)) {
			return "";
		}
		int nameEnd = !ipv6 && hostEnd > 1 && header.charAt(hostEnd - 1) == '.' ? hostEnd - 1 : hostEnd;
		if (ipv6 ? !HostNames.isIpv6Literal(header, 0, nameEnd) : !HostNames.isDnsName(header, 0, nameEnd)) {
			return "";
		}
		boolean upper = false;
		for (int i = 0; i < nameEnd && !upper; i++) {
			char c = header.charAt(i);
			upper = c >= 'A' && c <= 'Z';
		}
		if (nameEnd == length && !upper) {
			return header;
		}
		String name = header.substring(0, nameEnd);
		return upper ? name.toLowerCase(Locale.ROOT) : name;
	}

	/** Whether {@code header[from, to)} is empty or {@code :} and at most five digits (an empty port included). */
	private static boolean isPort(String header, int from, int to) {
		if (from == to) {
			return true;
		}
		if (header.charAt(from) != ':' || to - from - 1 > MAX_PORT_DIGITS) {
			return false;
		}
		for (int i = from + 1; i < to; i++) {
			char c = header.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

}
