package io.meshgate.policy.edge;

import java.net.URI;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * A request URL with the scheme and host a trusted proxy forwarded ({@code X-Forwarded-Proto} and
 * {@code X-Forwarded-Host}, or {@code Forwarded}'s {@code proto} and {@code host}). A scheme other
 * than {@code http}/{@code https} and a host that is not a plain name, IPv4 or bracketed IPv6
 * address with an optional port are ignored.
 */
final class ForwardedUrl {

	private ForwardedUrl() {
	}

	/** {@code url} with what the proxy forwarded, or null when it forwarded nothing usable. */
	static URI of(URI url, String proto, String host) {
		boolean scheme = "http".equals(proto) || "https".equals(proto);
		int portAt = host == null ? -1 : portSeparator(host);
		boolean validHost = host != null && validHost(host, portAt);
		if (!scheme && !validHost) {
			return null;
		}
		UriComponentsBuilder builder = UriComponentsBuilder.fromUri(url);
		if (scheme) {
			builder.scheme(proto).port(-1); // the proxy's default port for its scheme, unless it forwarded one
		}
		if (validHost) {
			builder.host(portAt < 0 ? host : host.substring(0, portAt))
				.port(portAt < 0 ? -1 : Integer.parseInt(host.substring(portAt + 1)));
		}
		return builder.build(true).toUri();
	}

	/** The index of the colon before a port, or -1. */
	private static int portSeparator(String host) {
		int colon = host.lastIndexOf(':');
		return colon > host.lastIndexOf(']') ? colon : -1;
	}

	private static boolean validHost(String host, int portAt) {
		int end = portAt < 0 ? host.length() : portAt;
		if (end == 0 || end > 253) {
			return false;
		}
		boolean bracketed = host.charAt(0) == '[';
		if (bracketed && (host.charAt(end - 1) != ']' || CidrSet.address(host.substring(1, end - 1)) == null)) {
			return false;
		}
		for (int i = 0; i < end && !bracketed; i++) {
			char c = host.charAt(i);
			if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-')) {
				return false;
			}
		}
		if (portAt < 0) {
			return true;
		}
		String port = host.substring(portAt + 1);
		if (port.isEmpty() || port.length() > 5) {
			return false;
		}
		for (int i = 0; i < port.length(); i++) {
			if (port.charAt(i) < '0' || port.charAt(i) > '9') {
				return false;
			}
		}
		return Integer.parseInt(port) <= 65535;
	}

}
