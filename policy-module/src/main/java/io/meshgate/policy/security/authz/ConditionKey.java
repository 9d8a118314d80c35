package io.meshgate.policy.security.authz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.PeerIdentity;

/**
 * The attribute a condition's {@code key} names (Istio's condition keys Meshgate knows), parsed
 * once when the policy is built, and how to read it from a request. A claim is read as the token
 * gave it: a string, number, boolean, or list of them.
 */
final class ConditionKey {

	static final String EXPECTED = "request.headers[<name>], request.auth.claims[<name>] (nested: [a][b]), "
			+ "request.auth.principal, request.auth.audiences, request.auth.presenter or source.principal";

	private static final String HEADERS = "request.headers";

	private static final String CLAIMS = "request.auth.claims";

	private enum Kind {

		HEADER, CLAIM, REQUEST_PRINCIPAL, PEER_PRINCIPAL

	}

	private final Kind kind;

	/** The header name (lower case), or the claim's path of names. */
	private final String[] names;

	private ConditionKey(Kind kind, String... names) {
		this.kind = kind;
		this.names = names;
	}

	static ConditionKey of(String key) {
		String text = key == null ? "" : key.trim();
		switch (text) {
			case "request.auth.principal":
				return new ConditionKey(Kind.REQUEST_PRINCIPAL);
			case "source.principal":
				return new ConditionKey(Kind.PEER_PRINCIPAL);
			case "request.auth.audiences":
				return new ConditionKey(Kind.CLAIM, "aud");
			case "request.auth.presenter":
				return new ConditionKey(Kind.CLAIM, "azp");
			default:
				break;
		}
		if (text.startsWith(HEADERS + "[")) {
			List<String> names = bracketed(text.substring(HEADERS.length()));
			if (names != null && names.size() == 1 && names.get(0).chars().allMatch(ConditionKey::tokenChar)) {
				// interned: a request's facts keep the header read last by this name's identity
				return new ConditionKey(Kind.HEADER, names.get(0).toLowerCase(Locale.ROOT).intern());
			}
		}
		if (text.startsWith(CLAIMS + "[")) {
			List<String> names = bracketed(text.substring(CLAIMS.length()));
			if (names != null) {
				return new ConditionKey(Kind.CLAIM, names.toArray(String[]::new));
			}
		}
		throw new IllegalArgumentException("key: " + key + " (expected: " + EXPECTED + ")");
	}

	/** {@code [a][b]} as {@code [a, b]}; {@code null} unless the text is only non-empty bracketed names. */
	private static List<String> bracketed(String text) {
		List<String> names = new ArrayList<>();
		int at = 0;
		while (at < text.length()) {
			int close = text.indexOf(']', at);
			if (text.charAt(at) != '[' || close < at + 2 || text.substring(at + 1, close).indexOf('[') >= 0) {
				return null;
			}
			names.add(text.substring(at + 1, close));
			at = close + 1;
		}
		return names.isEmpty() ? null : names;
	}

	private static boolean tokenChar(int c) {
		return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
	}

	/**
	 * The attribute in {@code request}: a string, or for a claim the claim's value as the token
	 * gave it; {@code null} when absent.
	 */
	Object read(RequestFacts request) {
		Identity identity = request.identity();
		return switch (kind) {
			case HEADER -> request.header(names[0]);
			case REQUEST_PRINCIPAL -> identity.requestPrincipal();
			case PEER_PRINCIPAL -> {
				PeerIdentity peer = identity.peer();
				yield peer == null ? null : peer.principal();
			}
			case CLAIM -> claim(identity.claims());
		};
	}

	private Object claim(Map<String, Object> claims) {
		Object value = claims;
		for (String name : names) {
			if (!(value instanceof Map<?, ?> map)) {
				return null;
			}
			value = map.get(name);
		}
		return value instanceof Map<?, ?> ? null : value;
	}

}
