package io.meshgate.policy.security;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** How a claim is found by its name or path, and how its value reads as text. */
class ClaimPathTest {

	private static final Map<String, Object> CLAIMS = Map.of("sub", "alice", "realm",
			Map.of("roles", List.of("user", "admin"), "tenant", Map.of("id", 7L)), "https://example.com/roles",
			List.of("ops"), "ratio", 2.50, "big", new BigDecimal("1E+3"), "nested", List.of(List.of("x")));

	@Test
	void aNameIsATopLevelClaimFirstThenAPath() {
		assertThat(ClaimPath.of("claim", "sub").find(CLAIMS)).isEqualTo("alice");
		assertThat(ClaimPath.of("claim", "realm.tenant.id").find(CLAIMS)).isEqualTo(7L);
		assertThat(ClaimPath.of("claim", "https://example.com/roles").find(CLAIMS)).isEqualTo(List.of("ops"));
		assertThat(ClaimPath.of("claim", "realm.missing.id").find(CLAIMS)).isNull();
		assertThat(ClaimPath.of("claim", "sub.x").find(CLAIMS)).as("a string has no members").isNull();
		assertThat(ClaimPath.of("claim", "realm.").find(CLAIMS)).isNull();
	}

	@Test
	void valuesReadAsTheirJsonText() {
		assertThat(ClaimPath.of("claim", "realm.tenant.id").key(CLAIMS)).isEqualTo("7");
		assertThat(ClaimPath.of("claim", "ratio").key(CLAIMS)).isEqualTo("2.5");
		assertThat(ClaimPath.of("claim", "big").key(CLAIMS)).isEqualTo("1000");
		assertThat(ClaimPath.of("claim", "realm.roles").key(CLAIMS)).isEqualTo("user,admin");
		assertThat(ClaimPath.of("claim", "realm").key(CLAIMS)).isNull();
		assertThat(ClaimPath.of("claim", "nested").key(CLAIMS)).isNull();
		assertThat(ClaimPath.of("claim", "realm.roles").anyMatches(CLAIMS, "admin"::equals)).isTrue();
		assertThat(ClaimPath.of("claim", "nested").anyMatches(CLAIMS, "x"::equals)).isFalse();
	}

	@Test
	void aNameIsNotBlankNorPadded() {
		assertThatIllegalArgumentException().isThrownBy(() -> ClaimPath.of("claim", " "))
			.withMessage("claim:   (expected: a claim name, or a path of names separated by dots, as realm.roles)");
		assertThatIllegalArgumentException().isThrownBy(() -> ClaimPath.of("claim", "sub "))
			.withMessageStartingWith("claim: sub  (expected: ");
	}

}
