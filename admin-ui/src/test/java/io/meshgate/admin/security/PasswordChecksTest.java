package io.meshgate.admin.security;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordChecksTest {

	@Test
	void theDummyHashCostsAsMuchAsTheDearestConfiguredOne() {
		String cheap = new BCryptPasswordEncoder(4).encode("x");
		String dear = "{bcrypt}" + new BCryptPasswordEncoder(6).encode("y");

		assertThat(PasswordChecks.highestCost(List.of(cheap, dear))).isEqualTo(6);
		assertThat(PasswordChecks.highestCost(List.of())).isEqualTo(10);
	}

}
