package io.meshgate.policy.security.apikey;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.meshgate.policy.schema.Example;
import io.meshgate.policy.security.CredentialHash;

/**
 * A client of the gateway known by its API keys (Kong's and APISIX's consumer, Envoy Gateway's
 * {@code apiKeyAuth} credentials), at the top level of the configuration. A request presenting
 * one of its keys on a route with {@code authentication.apiKey} has this consumer as its
 * identity ({@code security.Identity#consumer}), which authorization policies and rate-limit
 * keys read.
 *
 * <pre>
 * consumers:
 *   - name: shop-frontend
 *     apiKeys: ["sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"]
 * </pre>
 *
 * Only hashes are stored: {@code sha256:} and the lower-case hex SHA-256 of the key's UTF-8
 * bytes ({@code printf %s "$KEY" | sha256sum}). Keys must be random (at least 128 bits, e.g.
 * {@code openssl rand -hex 32}): a fast hash is safe only for keys nobody can guess
 * ({@code docs/design/api-key-hashes.md}).
 *
 * @param name the consumer's name, the identity requests with its keys get
 * @param apiKeys hashes of its keys; several while one is being replaced; default none
 */
public record Consumer(@Example("shop-frontend") String name,
		@Example("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") List<String> apiKeys) {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_.@]{0,127}");

	public Consumer {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"name: " + name + " (expected: letters, digits, '-', '_', '.' or '@', at most 128)");
		}
		apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < apiKeys.size(); i++) {
			String hash = apiKeys.get(i);
			if (!CredentialHash.valid(hash)) {
				// the value may be a key pasted by mistake: never echoed
				throw new IllegalArgumentException("apiKeys[" + i + "]: not a key hash (expected: sha256: and 64 "
						+ "lower-case hex digits, the SHA-256 of the key; plain keys are never stored)");
			}
			if (!seen.add(hash)) {
				throw new IllegalArgumentException("apiKeys[" + i + "]: " + hash + " (expected: unique)");
			}
		}
	}

	public static Consumer of(String name, String... apiKeyHashes) {
		return new Consumer(name, List.of(apiKeyHashes));
	}

}
