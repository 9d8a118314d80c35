package io.meshgate.admin.security;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminLoginPropertiesTest {

	@Test
	void defaults() {
		AdminLoginProperties login = AdminLoginProperties.defaults();

		assertThat(login.maxConcurrentChecks())
			.isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
		assertThat(login.maxQueuedChecks()).isEqualTo(8);
		assertThat(login.maxFailuresPerUser()).isEqualTo(5);
		assertThat(login.maxFailuresPerAddress()).isEqualTo(20);
		assertThat(login.failureWindow()).isEqualTo(Duration.ofMinutes(15));
	}

	@Test
	void maxConcurrentChecksAtLeastOne() {
		assertThatThrownBy(() -> new AdminLoginProperties(0, null, null, null, null))
			.hasMessage("login.maxConcurrentChecks: 0 (expected: >= 1)");
	}

	@Test
	void maxQueuedChecksAtLeastOne() {
		assertThatThrownBy(() -> new AdminLoginProperties(null, 0, null, null, null))
			.hasMessage("login.maxQueuedChecks: 0 (expected: >= 1)");
	}

	@Test
	void maxFailuresPerUserAtLeastOne() {
		assertThatThrownBy(() -> new AdminLoginProperties(null, null, 0, null, null))
			.hasMessage("login.maxFailuresPerUser: 0 (expected: >= 1)");
	}

	@Test
	void maxFailuresPerAddressAtLeastOne() {
		assertThatThrownBy(() -> new AdminLoginProperties(null, null, null, -1, null))
			.hasMessage("login.maxFailuresPerAddress: -1 (expected: >= 1)");
	}

	@Test
	void failureWindowPositive() {
		assertThatThrownBy(() -> new AdminLoginProperties(null, null, null, null, Duration.ZERO))
			.hasMessage("login.failureWindow: PT0S (expected: > 0)");
	}

}
