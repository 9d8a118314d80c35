package io.meshgate.policy.testing;

import java.util.random.RandomGenerator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.meshgate.policy.config.MeshPolicyAutoConfiguration;

/**
 * Every application context started by a test (this module's, and those of the modules that use
 * its test jar) draws from one {@link SeededRandom} instead of the per-thread generator, so that
 * no test depends on unseeded chance. Listed in this test jar's
 * {@code META-INF/spring/…AutoConfiguration.imports}; the gateway's own {@code meshRandom} bean
 * steps back because it is {@code @ConditionalOnMissingBean}. A test that scripts its own draws
 * (a {@code RandomGenerator} bean of its configuration) keeps it.
 */
@AutoConfiguration(before = MeshPolicyAutoConfiguration.class)
public class SeededRandomAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(RandomGenerator.class)
	SeededRandom seededRandom() {
		return new SeededRandom(SeededRandom.SEED);
	}

}
