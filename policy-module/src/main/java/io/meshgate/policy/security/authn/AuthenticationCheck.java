package io.meshgate.policy.security.authn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.server.reactive.ServerHttpRequest;

import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.TokenVerdict;
import io.meshgate.policy.security.apikey.ApiKeys;
import io.meshgate.policy.security.jwt.JwtProviders;

/**
 * What a route's {@link AuthenticationPolicy} decides for a request: a function of the policy,
 * the identity the edge verified ({@link Identity#token()}) and the credentials the request
 * carries, with no effect of its own. The route's filter enforces and counts the decision; the
 * admin API's route tester explains it. Built once per route; deciding allocates nothing (the
 * decision accepting a consumer's key is made the first time it is needed).
 */
public final class AuthenticationCheck {

	/** What became of the request's credentials, in the order they are looked at. */
	public enum Outcome {

		/** A token of one of the route's providers verified. */
		JWT_VERIFIED("jwt", "success", null, null),

		/** A token of one of the route's providers (or too malformed to name one) was refused. */
		JWT_REJECTED("jwt", null, "invalid_token", null),

		/** A token verified for another provider, or of an issuer no provider has. */
		ISSUER_NOT_ACCEPTED("jwt", "issuer-not-accepted", "invalid_token", "the token's issuer is not accepted"),

		/** An API key of a consumer. */
		API_KEY_ACCEPTED("api-key", "success", null, null),

		/** An API key no consumer has. */
		API_KEY_INVALID("api-key", "invalid-key", "invalid_key", "the API key is not valid"),

		/** No credential, and the route's {@code jwt.allowMissing} lets the request through. */
		MISSING_ALLOWED(null, "missing-allowed", null, null),

		/** No credential, and one is required. */
		MISSING(null, "missing", null, "authentication required");

		private final String method;

		private final String tag;

		private final String error;

		private final String description;

		Outcome(String method, String tag, String error, String description) {
			this.method = method;
			this.tag = tag;
			this.error = error;
			this.description = description;
		}

		/** Whether the request goes on to the route's next filter. */
		public boolean passes() {
			return this == JWT_VERIFIED || this == API_KEY_ACCEPTED || this == MISSING_ALLOWED;
		}

		/** The RFC 6750 error code of a refused credential; {@code null} when none was presented or it passed. */
		public String error() {
			return error;
		}

	}

	/**
	 * An outcome, and the consumer of an accepted API key ({@code null} otherwise). Every outcome
	 * but an accepted key has one shared instance; an accepted key, one per consumer and route.
	 */
	public record Decision(Outcome outcome, String consumer) {

		private static final Decision[] SHARED = shared();

		private static Decision[] shared() {
			Outcome[] outcomes = Outcome.values();
			Decision[] shared = new Decision[outcomes.length];
			for (Outcome outcome : outcomes) {
				shared[outcome.ordinal()] = new Decision(outcome, null);
			}
			return shared;
		}

		static Decision of(Outcome outcome) {
			return SHARED[outcome.ordinal()];
		}

	}

	private static final String REALM = "realm=\"meshgate\"";

	private final AuthenticationPolicy policy;

	private final Set<String> providers;

	private final JwtProviders tokens;

	private final ApiKeys keys;

	/** Decisions accepting a key, by consumer: as many as there are consumers whose keys this route took. */
	private final Map<String, Decision> accepted = new ConcurrentHashMap<>();

	public AuthenticationCheck(AuthenticationPolicy policy, JwtProviders tokens, ApiKeys keys) {
		this.policy = policy;
		this.providers = policy.jwt() == null ? Set.of() : Set.copyOf(policy.jwt().providers());
		this.tokens = tokens;
		this.keys = keys;
	}

	public AuthenticationPolicy policy() {
		return policy;
	}

	/**
	 * The decision on {@code request}, whose identity the edge recorded in {@code identity}. A
	 * presented credential that fails is refused even where a missing one would pass.
	 */
	public Decision decide(Identity identity, ServerHttpRequest request) {
		if (policy.jwt() != null) {
			TokenVerdict token = identity.token();
			if (token != null && (token.provider() == null || providers.contains(token.provider()))) {
				return Decision.of(token.verified() ? Outcome.JWT_VERIFIED : Outcome.JWT_REJECTED);
			}
			if (token != null || tokens.present(request)) {
				return Decision.of(Outcome.ISSUER_NOT_ACCEPTED);
			}
		}
		if (policy.apiKey() != null) {
			String key = request.getHeaders().getFirst(policy.apiKey().fromHeader());
			if (key != null) {
				String consumer = keys.consumerOf(key);
				return consumer == null ? Decision.of(Outcome.API_KEY_INVALID) : accepted(consumer);
			}
		}
		return Decision.of(policy.jwt() != null && policy.jwt().allowMissing() ? Outcome.MISSING_ALLOWED : Outcome.MISSING);
	}

	/** The decision accepting {@code consumer}'s key: made once per consumer, found after that without allocating. */
	private Decision accepted(String consumer) {
		Decision decision = accepted.get(consumer);
		return decision != null ? decision
				: accepted.computeIfAbsent(consumer, name -> new Decision(Outcome.API_KEY_ACCEPTED, name));
	}

	/** The method of {@code outcome} as counted: {@code jwt} or {@code api-key}. */
	public String method(Outcome outcome) {
		return outcome.method != null ? outcome.method : policy.jwt() != null ? "jwt" : "api-key";
	}

	/** The provider of the token the decision is about, as counted; {@code none} without one. */
	public static String provider(Outcome outcome, Identity identity) {
		TokenVerdict token = identity.token();
		return "jwt".equals(outcome.method) && token != null && token.provider() != null ? token.provider() : "none";
	}

	/** The outcome as counted ({@code meshgate.authn.requests{outcome}}): a token's failure by its own name. */
	public static String tag(Outcome outcome, Identity identity) {
		return outcome == Outcome.JWT_REJECTED ? identity.token().failure().outcome() : outcome.tag;
	}

	/** The fixed text of a 401; {@code null} for an outcome that passes. */
	public static String description(Outcome outcome, Identity identity) {
		return outcome == Outcome.JWT_REJECTED ? identity.token().failure().description() : outcome.description;
	}

	/**
	 * The {@code WWW-Authenticate} values of a 401: a challenge per accepted credential,
	 * {@code Bearer} (RFC 6750) for tokens, {@code ApiKey} for keys, the error code only on the
	 * challenge of the credential that was presented.
	 */
	public List<String> challenges(Outcome outcome, Identity identity) {
		String error = outcome.error;
		String detail = error == null ? ""
				: ", error=\"" + error + "\", error_description=\"" + description(outcome, identity) + "\"";
		List<String> challenges = new ArrayList<>(2);
		if (policy.jwt() != null) {
			challenges.add("Bearer " + REALM + ("invalid_key".equals(error) ? "" : detail));
		}
		if (policy.apiKey() != null) {
			challenges.add("ApiKey " + REALM + ", header=\"" + policy.apiKey().fromHeader() + "\""
					+ ("invalid_token".equals(error) ? "" : detail));
		}
		return challenges;
	}

	@Override
	public String toString() {
		return policy.toString();
	}

}
