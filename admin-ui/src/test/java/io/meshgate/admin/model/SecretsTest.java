package io.meshgate.admin.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Secrets are masked in every answer and kept when a write sends the mask back. */
class SecretsTest {

	static Map<String, Object> upstream(String name, String password, String key) {
		return new java.util.LinkedHashMap<>(Map.of("name", name, "tls", new java.util.LinkedHashMap<>(
				Map.of("mode", "MUTUAL", "keyPassword", password, "privateKey", key, "certificate", "/certs/gw.crt"))));
	}

	@Test
	void masksSecretFieldsAndInlinePrivateKeysButNotPaths() {
		Map<String, Object> tree = Map.of("upstreams", List.of(upstream("a", "s3cret",
				"-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----"), upstream("b", "x", "/certs/b.key")));

		String masked = Secrets.mask(tree).toString();

		assertThat(masked).doesNotContain("s3cret").doesNotContain("MIIE").contains("keyPassword=******")
			.contains("privateKey=/certs/b.key").contains("certificate=/certs/gw.crt");
	}

	@Test
	void aWriteSendingTheMaskBackKeepsTheStoredSecretMatchedByName() {
		List<Object> stored = List.of(upstream("a", "first", "/k"), upstream("b", "second", "/k"));
		List<Object> edited = new ArrayList<>(List.of(upstream("b", Secrets.MASK, "/k"), upstream("a", Secrets.MASK, "/k")));
		List<ConfigError> errors = new ArrayList<>();

		Secrets.restore(Map.of("upstreams", edited), Map.of("upstreams", stored), "", errors);

		assertThat(errors).isEmpty();
		assertThat(edited.get(0).toString()).contains("keyPassword=second");
		assertThat(edited.get(1).toString()).contains("keyPassword=first");
	}

	@Test
	void aMaskWithNothingStoredBehindItIsAnError() {
		List<ConfigError> errors = new ArrayList<>();

		Secrets.restore(Map.of("upstreams", List.of(upstream("new", Secrets.MASK, "/k"))), Map.of("upstreams", List.of()),
				"", errors);

		assertThat(errors).containsExactly(new ConfigError("upstreams[0].tls.keyPassword",
				"keyPassword: ****** (expected: the secret itself; reads hide it, and there is no stored value to keep)"));
	}

}
