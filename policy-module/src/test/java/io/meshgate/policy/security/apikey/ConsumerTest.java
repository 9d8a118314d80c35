package io.meshgate.policy.security.apikey;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.security.CredentialHash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ConsumerTest {

	@Test
	void aKeyHashIsTheSha256OfTheKeyInLowerCaseHex() {
		// printf %s test | sha256sum
		assertThat(CredentialHash.text("test"))
			.isEqualTo("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
		assertThat(CredentialHash.of("test")).isEqualTo(CredentialHash.parse(CredentialHash.text("test")))
			.isNotEqualTo(CredentialHash.of("Test"))
			.hasToString("CredentialHash");
	}

	@Test
	void aPlainKeyIsRefusedAndNotEchoed() {
		assertThatIllegalArgumentException().isThrownBy(() -> Consumer.of("shop", "my-secret-key"))
			.withMessage("apiKeys[0]: not a key hash (expected: sha256: and 64 lower-case hex digits, the SHA-256 of "
					+ "the key; plain keys are never stored)")
			.withMessageNotContaining("my-secret-key");
	}

	@Test
	void aNameIsRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> Consumer.of(" x"))
			.withMessage("name:  x (expected: letters, digits, '-', '_', '.' or '@', at most 128)");
	}

	@Test
	void aKeyBelongsToOneConsumer() {
		String hash = CredentialHash.text("k");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConfig(List.of(), List.of(), List.of(),
					List.of(Consumer.of("a", hash), Consumer.of("b", hash)), List.of()))
			.withMessage("consumers[b].apiKeys[0]: a hash another consumer has (expected: each key belongs to one "
					+ "consumer)");
	}

	@Test
	void keysAreLookedUpByHash() {
		ApiKeys keys = new ApiKeys();
		keys.apply(List.of(Consumer.of("a", CredentialHash.text("key-a")), Consumer.of("b", CredentialHash.text("key-b"))));

		assertThat(keys.consumerOf("key-b")).isEqualTo("b");
		assertThat(keys.consumerOf("key-c")).isNull();
	}

}
