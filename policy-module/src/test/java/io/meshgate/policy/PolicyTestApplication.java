package io.meshgate.policy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import io.meshgate.policy.testing.TestIdentityFilter;

/**
 * The smallest gateway application: Spring Cloud Gateway plus the policy module, a meter
 * registry to read the policies' counters from, and an identity a test can give a request
 * ({@link TestIdentityFilter}), standing in for the edge's certificate and token checks.
 */
@SpringBootApplication
public class PolicyTestApplication {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	@Bean
	TestIdentityFilter testIdentityFilter() {
		return new TestIdentityFilter();
	}

}
