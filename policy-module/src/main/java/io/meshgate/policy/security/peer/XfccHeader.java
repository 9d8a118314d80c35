package io.meshgate.policy.security.peer;

import java.util.List;

import io.meshgate.policy.security.PeerIdentity;

/**
 * One element of Envoy's {@code x-forwarded-client-cert} header for a verified client certificate,
 * with the fields Envoy's {@code set_current_client_cert_details} (subject, uri, dns) and Istio's
 * gateways send, in Envoy's order: {@code By} (each URI SAN of the certificate the gateway served
 * on the connection), {@code Hash} (SHA-256 of the client certificate, hex), {@code Subject}
 * (RFC 2253, always double-quoted), {@code URI} and {@code DNS} (one pair per SAN). A value that
 * holds {@code ,}, {@code ;}, {@code =} or {@code "} is double-quoted, with {@code "} and
 * {@code \} inside escaped by a backslash, as Envoy's header documentation asks; so a SAN cannot
 * start a field or an element of its own. Control characters (which a header cannot carry) become
 * {@code ?}.
 */
final class XfccHeader {

	static final String NAME = "x-forwarded-client-cert";

	private XfccHeader() {
	}

	static String of(List<String> by, PeerIdentity peer) {
		StringBuilder header = new StringBuilder(256);
		for (String uri : by) {
			field(header, "By", uri, false);
		}
		field(header, "Hash", peer.sha256(), false);
		field(header, "Subject", peer.subject() == null ? "" : peer.subject(), true);
		for (String uri : peer.uriSans()) {
			field(header, "URI", uri, false);
		}
		for (String dns : peer.dnsSans()) {
			field(header, "DNS", dns, false);
		}
		return header.toString();
	}

	private static void field(StringBuilder header, String key, String value, boolean alwaysQuoted) {
		if (!header.isEmpty()) {
			header.append(';');
		}
		header.append(key).append('=');
		if (!alwaysQuoted && !needsQuotes(value)) {
			for (int i = 0; i < value.length(); i++) {
				header.append(control(value.charAt(i)) ? '?' : value.charAt(i));
			}
			return;
		}
		header.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				header.append('\\');
			}
			header.append(control(c) ? '?' : c);
		}
		header.append('"');
	}

	private static boolean control(char c) {
		return c < 0x20 || c == 0x7f;
	}

	private static boolean needsQuotes(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == ',' || c == ';' || c == '=' || c == '"' || c == '\\') {
				return true;
			}
		}
		return false;
	}

}
