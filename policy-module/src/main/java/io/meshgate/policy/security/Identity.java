package io.meshgate.policy.security;

import java.util.Map;

import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;

/**
 * Who is calling, as far as the gateway has verified it: the request's
 * {@link ExchangeAttributes#IDENTITY}. Each part is set by the one component that verifies it:
 * the HTTPS listener's client-certificate check sets {@code peer}, JWT authentication sets
 * {@code requestPrincipal} and {@code claims}, API-key authentication sets {@code consumer}.
 * Authorization policies, identity-based route matches and rate-limit or stickiness keys read
 * it, and nothing else decides who the caller is: headers a client sends never become an
 * identity. Immutable: a component that adds a part stores a new {@code Identity}.
 *
 * @param peer the verified client certificate's identity; {@code null} without one
 * @param requestPrincipal {@code iss/sub} of the verified JWT (Istio's request principal);
 * {@code null} without one
 * @param claims the verified JWT's claims as JSON values (String, Number, Boolean, List, Map);
 * empty without one
 * @param consumer the consumer an API key (or a provider's claim mapping) named; {@code null}
 * without one
 * @param token what the edge made of a token of a configured JWT provider: verified (then
 * {@code requestPrincipal} and {@code claims} are its) or why not; {@code null} without such a
 * token. A route's authentication answers 401 with the failure.
 */
public record Identity(PeerIdentity peer, String requestPrincipal, Map<String, Object> claims, String consumer,
		TokenVerdict token) {

	/** Nobody verified: no certificate, no token, no key. */
	public static final Identity ANONYMOUS = new Identity(null, null, Map.of(), null, null);

	public Identity {
		claims = claims == null ? Map.of() : Map.copyOf(claims);
	}

	/** An identity without a token verdict. */
	public Identity(PeerIdentity peer, String requestPrincipal, Map<String, Object> claims, String consumer) {
		this(peer, requestPrincipal, claims, consumer, null);
	}

	/** The identity verified for this request so far; {@link #ANONYMOUS} before any was. */
	public static Identity of(ServerWebExchange exchange) {
		return exchange.getAttribute(ExchangeAttributes.IDENTITY) instanceof Identity identity ? identity : ANONYMOUS;
	}

	/** Stores {@code identity} as this request's identity. */
	public static void set(ServerWebExchange exchange, Identity identity) {
		exchange.getAttributes().put(ExchangeAttributes.IDENTITY, identity);
	}

	public Identity withPeer(PeerIdentity peer) {
		return new Identity(peer, requestPrincipal, claims, consumer, token);
	}

	/** This identity with a verified token's principal ({@code iss/sub}) and claims. */
	public Identity withToken(String requestPrincipal, Map<String, Object> claims) {
		return new Identity(peer, requestPrincipal, claims, consumer, token);
	}

	/**
	 * This identity with the verdict on a provider's token: verified, with its principal
	 * ({@code iss/sub}) and claims, or rejected, with none.
	 */
	public Identity withToken(TokenVerdict token, String requestPrincipal, Map<String, Object> claims) {
		return new Identity(peer, requestPrincipal, claims, consumer, token);
	}

	public Identity withConsumer(String consumer) {
		return new Identity(peer, requestPrincipal, claims, consumer, token);
	}

	public boolean anonymous() {
		return peer == null && requestPrincipal == null && consumer == null;
	}

	/** Claims are verified but may hold personal data: printed by name only. */
	@Override
	public String toString() {
		return "Identity[peer=" + (peer == null ? null : peer.principal()) + ", requestPrincipal=" + requestPrincipal
				+ ", claims=" + claims.keySet() + ", consumer=" + consumer + ", token=" + token + "]";
	}

}
