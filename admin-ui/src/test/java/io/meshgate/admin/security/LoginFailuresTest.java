package io.meshgate.admin.security;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class LoginFailuresTest {

	final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	final LoginFailures failures = new LoginFailures(3, Duration.ofMinutes(10), clock);

	@Test
	void aKeyIsLockedAtTheLimitUntilTheWindowFromItsFirstFailureEnds() {
		assertThat(failures.failed("alice")).isEqualTo(1);
		clock.advance(Duration.ofMinutes(4));
		failures.failed("alice");
		assertThat(failures.lockedFor("alice")).isZero();
		assertThat(failures.failed("alice")).isEqualTo(3);

		assertThat(failures.lockedFor("alice")).isEqualTo(Duration.ofMinutes(6));
		assertThat(failures.lockedFor("bob")).isZero();
		clock.advance(Duration.ofMinutes(6));
		assertThat(failures.lockedFor("alice")).isZero();
	}

	@Test
	void aFailureAfterTheWindowStartsANewOne() {
		failures.failed("alice");
		failures.failed("alice");
		clock.advance(Duration.ofMinutes(10));

		assertThat(failures.failed("alice")).isEqualTo(1);
		assertThat(failures.lockedFor("alice")).isZero();
	}

	@Test
	void successClearsTheCount() {
		failures.failed("alice");
		failures.failed("alice");
		failures.succeeded("alice");

		assertThat(failures.failed("alice")).isEqualTo(1);
	}

	@Test
	void rotatingKeysNeverGrowsPastTheBound() {
		for (int i = 0; i < 3 * LoginFailures.MAX_KEYS; i++) {
			failures.failed("name-" + i);
		}

		assertThat(failures.keys()).isLessThanOrEqualTo(LoginFailures.MAX_KEYS);
	}

}
