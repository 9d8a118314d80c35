package io.meshgate.policy.security.apikey;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.meshgate.policy.security.CredentialHash;

/**
 * The consumers' API keys in force, by hash: a presented key is hashed once and looked up, so a
 * request costs one SHA-256 and one map lookup whatever the number of keys, and no key is ever
 * compared as text. Replaced whole when the configuration is applied.
 */
public final class ApiKeys {

	private volatile Map<CredentialHash, String> consumers = Map.of();

	/** Makes {@code consumers}' keys the ones in force. */
	public void apply(List<Consumer> consumers) {
		Map<CredentialHash, String> byHash = new HashMap<>();
		for (Consumer consumer : consumers) {
			for (String hash : consumer.apiKeys()) {
				byHash.put(CredentialHash.parse(hash), consumer.name());
			}
		}
		this.consumers = Map.copyOf(byHash);
	}

	/** The consumer whose key {@code key} is; {@code null} if none. */
	public String consumerOf(String key) {
		return consumers.get(CredentialHash.of(key));
	}

}
