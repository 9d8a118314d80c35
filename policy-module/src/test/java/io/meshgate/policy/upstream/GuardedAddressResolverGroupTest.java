package io.meshgate.policy.upstream;

import java.net.InetAddress;
import java.util.List;

import io.netty.resolver.DefaultAddressResolverGroup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a resolved address may be: the same bounds as an endpoint written as an address. */
class GuardedAddressResolverGroupTest {

	private static final GatewayPorts PORTS = new GatewayPorts(8080, 8081);

	@Test
	void aNameResolvingToMetadataOrTheGatewayIsRefusedUnlessAnOptedInUpstreamNamesIt() throws Exception {
		Upstream plain = Upstream.of("plain", "http://imds.example:80", "http://self.example:8081");
		GuardedAddressResolverGroup guard = new GuardedAddressResolverGroup(DefaultAddressResolverGroup.INSTANCE,
				PORTS, () -> List.of(plain));

		assertThat(guard.refused("imds.example", InetAddress.getByName("169.254.169.254"), 80))
			.isEqualTo("imds.example resolves to 169.254.169.254, a link-local or metadata address (allowLinkLocal is false)");
		assertThat(guard.refused("self.example", InetAddress.getByName("127.0.0.1"), 8081))
			.isEqualTo("self.example resolves to 127.0.0.1, the gateway's own port 8081 (allowGatewayPorts is false)");
		assertThat(guard.refused("api.example", InetAddress.getByName("127.0.0.1"), 9001)).isNull();
		assertThat(guard.refused("api.example", InetAddress.getByName("192.0.2.10"), 8081)).isNull();
	}

	@Test
	void anOptedInUpstreamAllowsItsOwnHostAndPortOnly() throws Exception {
		Upstream imds = new Upstream("imds", List.of(EndpointSpec.of("http://IMDS.example:80")), null, null, null, null,
				null, null, true, null, null, null);
		GuardedAddressResolverGroup guard = new GuardedAddressResolverGroup(DefaultAddressResolverGroup.INSTANCE,
				PORTS, () -> List.of(imds));

		assertThat(guard.refused("imds.example", InetAddress.getByName("169.254.169.254"), 80)).isNull();
		assertThat(guard.refused("imds.example", InetAddress.getByName("169.254.169.254"), 8080)).isNotNull();
		assertThat(guard.refused("other.example", InetAddress.getByName("169.254.169.254"), 80)).isNotNull();
		assertThat(guard.refused("imds.example", InetAddress.getByName("127.0.0.1"), 8081)).isNotNull();
	}

}
