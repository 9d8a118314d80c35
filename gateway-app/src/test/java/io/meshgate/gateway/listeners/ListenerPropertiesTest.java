package io.meshgate.gateway.listeners;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@code meshgate.listeners.*}: defaults, the ports served, and one test per invalid value. */
class ListenerPropertiesTest {

	@Test
	void defaultsServeTheIngressPortAs80AndTheHttpsListenerAs443Only() {
		ServedPorts served = new ListenerProperties(null, null, null).served();

		assertThat(served).isEqualTo(ServedPorts.DEFAULT);
		assertThat(served.refusal(80, "HTTP")).isNull();
		assertThat(served.refusal(443, "HTTPS")).isNull();
		assertThat(served.refusal(8080, "HTTP"))
			.isEqualTo("port: 8080 (expected: one of [80], the HTTP ports this gateway serves; meshgate.listeners.ports opens more)");
		assertThat(served.refusal(80, "HTTPS")).isEqualTo("port: 80 (expected: 443, the port this gateway serves HTTPS on)");
		assertThat(served.refusal(443, "HTTP")).startsWith("port: 443 (expected: one of [80]");
		assertThat(served.refusal(null, "HTTP")).startsWith("port: null (expected: one of [80]");
	}

	@Test
	void furtherPortsAreServedAsHttp() {
		ServedPorts served = new ListenerProperties(80, 443, Map.of(8080, 18080, 8090, 0)).served();

		assertThat(served.extra()).isEqualTo(Set.of(8080, 8090));
		assertThat(served.refusal(8090, "HTTP")).isNull();
		assertThat(served.refusal(8080, "HTTPS")).startsWith("port: 8080 (expected: 443");
	}

	@Test
	void aPortMapsFromAnEnvironmentVariableAsTheManifestsSetIt() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("MESHGATE_LISTENERS_PORTS_8080", "18080")));
		ListenerProperties bound = new Binder(ConfigurationPropertySources.get(environment))
			.bindOrCreate("meshgate.listeners", ListenerProperties.class);

		assertThat(bound.ports()).isEqualTo(Map.of(8080, 18080));
	}

	@Test
	void refusesAListenerPortOutOfRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ListenerProperties(0, null, null))
			.withMessage("http-port: 0 (expected: a listener port 1-65535)");
		assertThatIllegalArgumentException().isThrownBy(() -> new ListenerProperties(null, 65536, null))
			.withMessage("https-port: 65536 (expected: a listener port 1-65535)");
		assertThatIllegalArgumentException().isThrownBy(() -> new ListenerProperties(null, null, Map.of(70000, 1)))
			.withMessage("ports: 70000 (expected: a listener port 1-65535)");
	}

	@Test
	void refusesTheSamePortForHttpAndHttps() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ListenerProperties(8080, 8080, null))
			.withMessage("https-port: 8080 (expected: another port than http-port)");
	}

	@Test
	void refusesAFurtherPortThatTheIngressOrHttpsPortServes() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ListenerProperties(null, null, Map.of(443, 18443)))
			.withMessage("ports: 443 (expected: a listener port other than http-port and https-port, which their servers serve)");
	}

	@Test
	void refusesALocalPortOutOfRangeOrTwice() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ListenerProperties(null, null, Map.of(8080, -1)))
			.withMessage("ports.8080: -1 (expected: a local port 0-65535)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ListenerProperties(null, null, new java.util.TreeMap<>(Map.of(8080, 18080, 8090, 18080))))
			.withMessage("ports.8090: 18080 (expected: a local port no other listener port maps to)");
	}

}
