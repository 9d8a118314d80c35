package io.meshgate.admin.store;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** YAML is read within bounds: no recursive alias, a limited number of aliases and expanded size. */
class YamlBoundsTest {

	@Test
	void sharedBlocksThroughAnchorsAreRead() {
		Map<String, Object> tree = Yaml.read("""
				check: &check {path: /healthz}
				upstreams:
				  - {name: a, healthCheck: *check}
				  - {name: b, healthCheck: *check}
				""");

		assertThat((List<?>) tree.get("upstreams")).hasSize(2);
	}

	@Test
	void recursiveAliasesAreRefusedInSequencesAndMappings() {
		for (String text : List.of("upstreams: &a [*a]\n", "a: &a {b: *a}\n", "a: &a [x, [y, *a]]\n")) {
			assertThatIllegalArgumentException().as(text)
				.isThrownBy(() -> Yaml.read(text))
				.withMessage("document: a recursive alias (expected: no *anchor inside the node its &anchor names)");
		}
	}

	@Test
	void moreAliasesThanTheLimitAreRefused() {
		String text = "x: &a y\nlist: [" + "*a,".repeat(YamlBounds.MAX_ALIASES) + "*a]\n";

		assertThatIllegalArgumentException().isThrownBy(() -> Yaml.read(text))
			.withMessage("document: more than 1000 aliases (expected: at most 1000 uses of *anchor)");
	}

	@Test
	void aDocumentLargerThanTheLimitOnceExpandedIsRefused() {
		StringBuilder text = new StringBuilder("l0: &l0 [\"" + "x".repeat(1000) + "\"]\n");
		for (int level = 1; level <= 30; level++) {
			text.append("l").append(level).append(": &l").append(level).append(" [*l").append(level - 1)
				.append(", *l").append(level - 1).append("]\n");
		}

		assertThatIllegalArgumentException().isThrownBy(() -> Yaml.read(text.toString()))
			.withMessage("document: larger than 8388608 characters with its aliases expanded (expected: at most 8388608)");
	}

}
