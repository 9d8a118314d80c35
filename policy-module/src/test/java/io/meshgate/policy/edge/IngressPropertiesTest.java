package io.meshgate.policy.edge;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngressPropertiesTest {

	@Test
	void deadlinesDefaultToTenAndThirtySeconds() {
		IngressProperties defaults = new IngressProperties(null, null, null, null, null);

		assertThat(defaults.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(defaults.requestBodyTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(defaults.h2cPriorKnowledge()).isTrue();
	}

	@Test
	void deadlinesThatAreNotPositiveAreRefusedTogether() {
		assertThatThrownBy(() -> new IngressProperties(null, null, Duration.ZERO, Duration.ofSeconds(-1), null))
			.hasMessage("meshgate.ingress.request-header-timeout: PT0S (expected: a positive duration, as in 10s); "
					+ "meshgate.ingress.request-body-timeout: PT-1S (expected: a positive duration, as in 30s)");
	}

}
