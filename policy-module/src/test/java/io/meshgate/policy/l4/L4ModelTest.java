package io.meshgate.policy.l4;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.health.HealthCheckPolicy;
import io.meshgate.policy.lb.LoadBalancerPolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.upstream.EndpointSpec;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The L4 records and their checks across a configuration, one test per refusal with its message. */
class L4ModelTest {

	private static final Upstream PG = Upstream.tcp("pg", "tcp://10.0.0.7:5432");

	private static final Upstream WEB = Upstream.of("web", "http://10.0.0.8:8080");

	private static MeshConfig config(List<Upstream> upstreams, List<Route> routes, List<TcpRoute> tcp,
			List<TlsPassthroughRoute> tls) {
		return new MeshConfig(upstreams, routes).withL4(tcp, tls);
	}

	@Test
	void defaultsAreFilledIn() {
		TcpRoute route = new TcpRoute("pg", 15432, List.of(new L4Backend("pg", null)), null);
		assertThat(route.backends().get(0).weight()).isEqualTo(1);
		assertThat(route.connection()).isEqualTo(new L4ConnectionPolicy(Duration.ofSeconds(5), Duration.ofHours(1), 1024));
		TlsPassthroughRoute passthrough = TlsPassthroughRoute.of("vault", List.of("Vault.Example.COM", "*.v.example.com"),
				L4Backend.of("pg", 1));
		assertThat(passthrough.hosts()).containsExactly("vault.example.com", "*.v.example.com");
	}

	@Test
	void aTcpEndpointNeedsAPort() {
		assertThatIllegalArgumentException().isThrownBy(() -> EndpointSpec.of("tcp://10.0.0.7"))
			.withMessage("uri: tcp://10.0.0.7 (expected: a port, as in tcp://host:5432)");
	}

	@Test
	void tcpEndpointsOnlyWithProtocolTcp() {
		assertThatIllegalArgumentException().isThrownBy(() -> Upstream.of("pg", "tcp://10.0.0.7:5432"))
			.withMessage("endpoints[0]: tcp://10.0.0.7:5432 (expected: http:// or https://; tcp:// only with protocol TCP)");
		assertThatIllegalArgumentException().isThrownBy(() -> Upstream.tcp("web", "http://10.0.0.7:80"))
			.withMessage("endpoints[0]: http://10.0.0.7:80 (expected: tcp://host:port with protocol TCP)");
	}

	@Test
	void aTcpUpstreamChecksByConnectingAndHashesOnTheClientAddressOnly() {
		assertThatIllegalArgumentException().isThrownBy(() -> PG.withHealthCheck(HealthCheckPolicy.of("/healthz")))
			.withMessage("healthCheck.path: /healthz (expected: none with protocol TCP; the check is a TCP connect)");
		assertThatIllegalArgumentException().isThrownBy(() -> PG.withLoadBalancer(LoadBalancerPolicy.ringHash("header:x-user")))
			.withMessage("loadBalancer.hashOn: header:x-user (expected: client-address with protocol TCP; a connection has no headers)");
		assertThat(PG.withLoadBalancer(LoadBalancerPolicy.ringHash("client-address")).protocol())
			.isEqualTo(UpstreamProtocol.TCP);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WEB.withHealthCheck(new HealthCheckPolicy(null, null, null, null, null, null, null)))
			.withMessage("healthCheck.path: null (expected: a path starting with /; only a gRPC check or a TCP upstream checks without one)");
	}

	@Test
	void routeFieldsAreChecked() {
		assertThatIllegalArgumentException().isThrownBy(() -> TcpRoute.of("pg", 0, L4Backend.of("pg", 1)))
			.withMessage("port: 0 (expected: 1-65535)");
		assertThatIllegalArgumentException().isThrownBy(() -> TcpRoute.of("Pg!", 15432, L4Backend.of("pg", 1)))
			.withMessage("name: Pg! (expected: a DNS label, lower case letters, digits and '-', at most 63)");
		assertThatIllegalArgumentException().isThrownBy(() -> TcpRoute.of("pg", 15432, L4Backend.of("pg", 0)))
			.withMessage("backends: 1 (expected: at least one backend with a weight above 0)");
		assertThatIllegalArgumentException().isThrownBy(() -> L4Backend.of("pg", -1))
			.withMessage("weight: -1 (expected: >= 0)");
		assertThatIllegalArgumentException().isThrownBy(() -> TlsPassthroughRoute.of("v", List.of(), L4Backend.of("pg", 1)))
			.withMessage("hosts: [] (expected: at least one host name)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TlsPassthroughRoute.of("v", List.of("vault.example.com:443"), L4Backend.of("pg", 1)))
			.withMessageStartingWith("hosts[0]: vault.example.com:443 (expected: a host name");
		assertThatIllegalArgumentException().isThrownBy(() -> new L4ConnectionPolicy(Duration.ZERO, null, null))
			.withMessage("connection.connectTimeout: PT0S (expected: 1ms to 5m)");
		assertThatIllegalArgumentException().isThrownBy(() -> new L4ConnectionPolicy(null, null, 0))
			.withMessage("connection.maxConnections: 0 (expected: >= 1)");
	}

	@Test
	void l4RoutesUseTcpUpstreamsAndHttpRoutesDoNot() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> config(List.of(PG, WEB), List.of(), List.of(TcpRoute.of("a", 1000, L4Backend.of("web", 1))),
					List.of()))
			.withMessage("tcpRoutes[a].backends[0].upstream: web (expected: one of the upstreams with protocol TCP [pg])");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> config(List.of(PG, WEB), List.of(Route.of("r", "/**", Backend.of("pg", 1))), List.of(),
					List.of()))
			.withMessage("routes[r].backends[0].upstream: pg (expected: an HTTP upstream; a TCP upstream serves "
					+ "tcpRoutes and tlsPassthroughRoutes only)");
	}

	@Test
	void portsHostsAndNamesAreUnique() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> config(List.of(PG), List.of(), List.of(TcpRoute.of("a", 1000, L4Backend.of("pg", 1)),
					TcpRoute.of("b", 1000, L4Backend.of("pg", 1))), List.of()))
			.withMessage("tcpRoutes[b].port: 1000 (expected: a port no other TCP route listens on; a does)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> config(List.of(PG), List.of(), List.of(),
					List.of(TlsPassthroughRoute.of("a", List.of("x.example.com"), L4Backend.of("pg", 1)),
							TlsPassthroughRoute.of("b", List.of("X.example.com"), L4Backend.of("pg", 1)))))
			.withMessage("tlsPassthroughRoutes[b].hosts[0]: x.example.com (expected: a host no other passthrough "
					+ "route takes; a does)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> config(List.of(PG), List.of(), List.of(TcpRoute.of("a", 1000, L4Backend.of("pg", 1)),
					TcpRoute.of("a", 1001, L4Backend.of("pg", 1))), List.of()))
			.withMessage("tcpRoutes[a].name: a (expected: unique)");
	}

}
