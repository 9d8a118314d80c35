package io.meshgate.policy.l4.proxy;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.meshgate.policy.l4.L4Backend;
import io.meshgate.policy.l4.TcpRoute;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.upstream.GatewayPorts;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A TCP route's port is the gateway's own, as the ingress and admin ports are: an upstream whose
 * endpoint is that port on the gateway's host would relay the gateway's connections back into it.
 */
class TcpRoutePortGuardTest extends GatewayTest {

	private final int listenPort = TcpTestServer.closedPort();

	@Autowired
	GatewayPorts gatewayPorts;

	@Test
	void anUpstreamAtATcpRoutesOwnPortIsRefusedChangedOrNot() {
		TcpTestServer echo = closeAfter(TcpTestServer.echo("a"));
		Upstream loop = Upstream.tcp("loop", "tcp://127.0.0.1:" + listenPort);
		Upstream http = Upstream.of("back", "http://localhost:" + listenPort);
		MeshConfig looping = new MeshConfig(List.of(Upstream.tcp("echo", echo.endpoint()), loop), List.of())
			.withL4(List.of(TcpRoute.of("front", listenPort, L4Backend.of("echo", 1))), List.of());
		String refusal = "upstreams[loop].endpoints[0]: tcp://127.0.0.1:" + listenPort + " (expected: not the port of the"
				+ " gateway's TCP route " + listenPort + " on its own host; set allowGatewayPorts: true to allow)";

		assertThatIllegalArgumentException().isThrownBy(() -> routing.check(looping)).withMessage(refusal);
		assertThatIllegalArgumentException().isThrownBy(() -> routing.apply(looping)).withMessage(refusal);

		// the upstream runs before the route exists; the route that makes it a loop is refused, the upstream unchanged
		routing.apply(new MeshConfig(List.of(Upstream.tcp("echo", echo.endpoint()), loop), List.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> routing.apply(looping)).withMessage(refusal);
		assertThat(routing.current().tcpRoutes()).isEmpty();

		// an HTTP upstream at the port is refused as well
		MeshConfig httpLoop = new MeshConfig(List.of(Upstream.tcp("echo", echo.endpoint()), http), List.of())
			.withL4(List.of(TcpRoute.of("front", listenPort, L4Backend.of("echo", 1))), List.of());
		assertThatIllegalArgumentException().isThrownBy(() -> routing.apply(httpLoop))
			.withMessageStartingWith("upstreams[back].endpoints[0]: http://localhost:" + listenPort);

		// discovered and resolved endpoints are checked against the ports of the routes in force
		routing.apply(new MeshConfig(List.of(Upstream.tcp("echo", echo.endpoint())), List.of())
			.withL4(List.of(TcpRoute.of("front", listenPort, L4Backend.of("echo", 1))), List.of()));
		assertThat(gatewayPorts.isGateway("127.0.0.1", listenPort)).isTrue();
		routing.apply(MeshConfig.EMPTY);
		assertThat(gatewayPorts.isGateway("127.0.0.1", listenPort)).isFalse();
	}

}
