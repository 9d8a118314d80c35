package io.meshgate.gateway.admin;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.meshgate.gateway.testing.OwnResourcesApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No {@code meshgate.admin.users}: only the demo gets a generated password; any other start
 * fails, naming the key, and prints no password.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminWithoutUsersTest {

	private static final String GENERATED = "Meshgate admin login: user 'admin', password '";

	@Test
	void withTheDemoOffAStartWithoutUsersFailsAndPrintsNoPassword(CapturedOutput output) {
		assertThatThrownBy(() -> start("--meshgate.demo.enabled=false"))
			.hasStackTraceContaining("meshgate.admin.users: none (expected: at least one user");

		assertThat(output.getAll()).doesNotContain(GENERATED);
	}

	@Test
	void theDemoPrintsAGeneratedPasswordOnce(CapturedOutput output) {
		try (ConfigurableApplicationContext demo = start("--meshgate.demo.enabled=true")) {
			assertThat(output.getOut()).containsOnlyOnce(GENERATED);
		}
	}

	/** Started as an application, not a test context, with Reactor Netty resources of its own. */
	private static ConfigurableApplicationContext start(String demo) {
		return OwnResourcesApplication.run("--server.port=0",
				"--management.server.port=0", "--meshgate.store.path=target/stores/no-users-" + UUID.randomUUID(), demo);
	}

}
