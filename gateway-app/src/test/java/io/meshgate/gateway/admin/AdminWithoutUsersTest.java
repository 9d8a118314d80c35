package io.meshgate.gateway.admin;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

import io.meshgate.gateway.MeshgateApplication;

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

	/**
	 * Started as an application, not a test context: its Reactor Netty resources are its own, so
	 * that closing it does not dispose the global event loops the cached test contexts' servers run
	 * on (what Spring Boot's test support does for test contexts).
	 */
	private static ConfigurableApplicationContext start(String demo) {
		return new SpringApplicationBuilder(MeshgateApplication.class)
			.initializers(context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
				@Override
				public Object postProcessBeforeInitialization(Object bean, String name) {
					if (bean instanceof ReactorResourceFactory resources) {
						resources.setUseGlobalResources(false);
					}
					return bean;
				}
			}))
			.run("--server.port=0",
				"--management.server.port=0", "--meshgate.store.path=target/stores/no-users-" + UUID.randomUUID(), demo);
	}

}
