package io.meshgate.policy.observe;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.rewrite.HeaderModifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The one masking rule: secret fields, and secret headers by name. */
class MaskingTest {

	@Test
	void secretHeadersByExactNameOrByAWordInTheName() {
		for (String name : List.of("Authorization", "proxy-authorization", "Cookie", "SET-COOKIE", "X-Auth-Token",
				"X-Api-Key", "x-client-secret", "X-Password")) {
			assertThat(Masking.secretHeader(name)).as(name).isTrue();
		}
		for (String name : List.of("X-Env", "Accept", "X-Cookies-Enabled-Flag", "X-Authorized-By")) {
			assertThat(Masking.secretHeader(name)).as(name).isFalse();
		}
	}

	@Test
	void treesMaskHeaderValuesInHeaderMapsAndSecretFieldsButNotOtherKeys() {
		Map<String, Object> route = Map.of("requestHeaders",
				Map.of("set", Map.of("Authorization", "Bearer t0k", "X-Env", "prod"), "add", Map.of("X-Api-Key", "k3y")),
				"match", Map.of("headers", Map.of("X-Auth-Token", "t0k2")), "rateLimit",
				Map.of("keyOn", "header:x-user"), "tls", Map.of("privateKey", "/certs/gw.key", "token", "t0k3"));

		String masked = Masking.tree(route).toString();

		assertThat(masked).doesNotContain("t0k").doesNotContain("k3y")
			.contains("X-Env=prod", "keyOn=header:x-user", "privateKey=/certs/gw.key", "Authorization=******");
	}

	@Test
	void gatewayArgumentsMaskHeaderModifiersAndSecretHeaderPatterns() {
		assertThat(Masking.arguments(Map.of("set[Authorization]", "Bearer t0k", "add[X-Env]", "prod")))
			.containsEntry("set[Authorization]", Masking.MASK)
			.containsEntry("add[X-Env]", "prod");
		assertThat(Masking.arguments(Map.of("header", "Cookie", "regexp", "session=t0k")))
			.containsEntry("header", "Cookie")
			.containsEntry("regexp", Masking.MASK);
		assertThat(Masking.arguments(Map.of("header", "X-Env", "regexp", "prod"))).containsEntry("regexp", "prod");
	}

	@Test
	void headerModifiersPrintMasked() {
		HeaderModifier modifier = new HeaderModifier(Map.of("Authorization", "Bearer t0k"), Map.of("X-Env", "prod"),
				List.of("X-Debug"));

		assertThat(modifier.toString())
			.isEqualTo("HeaderModifier[set={Authorization=******}, add={X-Env=prod}, remove=[X-Debug]]");
	}

}
