package io.meshgate.admin.model;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshgate.admin.store.Yaml;
import io.meshgate.policy.l4.L4Backend;
import io.meshgate.policy.l4.L4ConnectionPolicy;
import io.meshgate.policy.l4.TcpRoute;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.upstream.UpstreamProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Top-level {@code tcpRoutes} and {@code tlsPassthroughRoutes}: bound like every kind, errors with their paths. */
class L4RoutesBindingTest {

	static final String UPSTREAMS = """
			upstreams: [{name: pg, protocol: TCP, endpoints: ["tcp://127.0.0.1:5432"]}]
			routes: []
			""";

	@Test
	void bindsTcpAndPassthroughRoutes() {
		MeshConfig config = ConfigBinder.bind(Yaml.read(UPSTREAMS + """
				tcpRoutes: [{name: pg, port: 15432, backends: [{upstream: pg}], connection: {idleTimeout: 10m}}]
				tlsPassthroughRoutes: [{name: vault, hosts: [Vault.Example.com], backends: [{upstream: pg, weight: 2}]}]
				"""), MeshConfig.EMPTY);

		assertThat(config.upstreams().get(0).protocol()).isEqualTo(UpstreamProtocol.TCP);
		assertThat(config.tcpRoutes()).containsExactly(new TcpRoute("pg", 15432, List.of(new L4Backend("pg", 1)),
				new L4ConnectionPolicy(null, Duration.ofMinutes(10), null)));
		assertThat(config.tlsPassthroughRoutes().get(0).hosts()).containsExactly("vault.example.com");
	}

	@Test
	void everyInvalidFieldIsReportedWithItsPath() {
		InvalidConfigException error = catchThrowableOfType(InvalidConfigException.class,
				() -> ConfigBinder.bind(Yaml.read(UPSTREAMS + """
						tcpRoutes:
						  - {name: a, port: 70000, backends: [{upstream: pg}]}
						  - {name: b, port: 15433, backends: [{upstream: pg}], connection: {maxConnections: 0}}
						"""), MeshConfig.EMPTY));

		assertThat(error.errors()).containsExactly(new ConfigError("tcpRoutes[a].port", "port: 70000 (expected: 1-65535)"),
				new ConfigError("tcpRoutes[b].connection.maxConnections",
						"connection.maxConnections: 0 (expected: >= 1)"));
	}

}
