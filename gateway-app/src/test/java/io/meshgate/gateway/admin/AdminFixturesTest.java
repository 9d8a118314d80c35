package io.meshgate.gateway.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.meshgate.admin.store.Yaml;
import io.meshgate.gateway.testing.AdminClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Payload fixtures under {@code src/test/resources/admin/fixtures}: every valid one is accepted
 * and applied; every invalid one is rejected with exactly its listed errors (path and message),
 * and changes nothing.
 */
class AdminFixturesTest extends AdminTestSupport {

	private static final Path FIXTURES = Path.of("src/test/resources/admin/fixtures");

	@TestFactory
	Stream<DynamicTest> validPayloadsAreApplied() throws IOException {
		return fixtures("valid").map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
			emptyConfiguration();
			Map<String, Object> fixture = Yaml.read(Files.readString(file));
			long before = editor.get("/api/config").version();

			AdminClient.Answer answer = editor.put("/api/config", fixture.get("config"), "\"" + before + "\"");

			assertThat(answer.status()).as(answer.body()).isEqualTo(200);
			assertThat(answer.version()).isEqualTo(before + 1);
		}));
	}

	@TestFactory
	Stream<DynamicTest> invalidPayloadsAreRejectedWithTheirPathsAndMessages() throws IOException {
		return fixtures("invalid").map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
			Map<String, Object> fixture = Yaml.read(Files.readString(file));
			AdminClient.Answer before = editor.get("/api/config");

			AdminClient.Answer answer = editor.put("/api/config", fixture.get("config"), before.etag());

			assertThat(answer.status()).as(answer.body()).isEqualTo(400);
			@SuppressWarnings("unchecked")
			List<Object> expected = (List<Object>) fixture.get("errors");
			@SuppressWarnings("unchecked")
			List<Object> errors = (List<Object>) answer.json().get("errors");
			assertThat(errors).as(answer.body()).containsExactlyInAnyOrderElementsOf(expected);
			AdminClient.Answer after = editor.get("/api/config");
			assertThat(after.etag()).isEqualTo(before.etag());
			assertThat(after.body()).isEqualTo(before.body());
		}));
	}

	private static Stream<Path> fixtures(String kind) throws IOException {
		List<Path> files;
		try (Stream<Path> list = Files.list(FIXTURES.resolve(kind))) {
			files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
		}
		assertThat(files).isNotEmpty();
		return files.stream();
	}

}
