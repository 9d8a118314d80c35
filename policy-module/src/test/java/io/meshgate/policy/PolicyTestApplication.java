package io.meshgate.policy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The smallest gateway application: Spring Cloud Gateway plus the policy module, and a meter
 * registry to read the policies' counters from.
 */
@SpringBootApplication
public class PolicyTestApplication {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

}
