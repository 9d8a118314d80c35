package io.meshgate.policy.edge;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.meshgate.policy.edge.PathNormalization.EscapedSlashes;
import io.meshgate.policy.edge.PathNormalization.PathParameters;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code meshgate.edge.path} as Spring Boot binds it, and its documented defaults. */
class PathNormalizationTest {

	@Test
	void defaultsAreTheSecureOnes() {
		assertThat(bind(Map.of("meshgate.edge.path.unused", "x")))
			.isEqualTo(new PathNormalization(true, EscapedSlashes.REJECT, PathParameters.REJECT))
			.isEqualTo(PathNormalization.defaults());
	}

	@Test
	void bindsEveryKey() {
		assertThat(bind(Map.of("meshgate.edge.path.merge-slashes", "false", "meshgate.edge.path.escaped-slashes",
				"decode", "meshgate.edge.path.parameters", "STRIP")))
			.isEqualTo(new PathNormalization(false, EscapedSlashes.DECODE, PathParameters.STRIP));
	}

	private static PathNormalization bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties))
			.bindOrCreate("meshgate.edge.path", PathNormalization.class);
	}

}
