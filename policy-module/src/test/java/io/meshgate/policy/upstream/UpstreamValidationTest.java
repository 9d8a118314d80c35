package io.meshgate.policy.upstream;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.discovery.KubernetesDiscovery;
import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.lb.LoadBalancerPolicy;
import io.meshgate.policy.lb.LoadBalancerPolicy.Type;
import io.meshgate.policy.tls.TlsPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** One test per invalid argument of an upstream, each with its message. */
class UpstreamValidationTest {

	static final List<EndpointSpec> ONE = List.of(EndpointSpec.of("http://127.0.0.1:9001"));

	@Test
	void nameMustBeADnsLabel() {
		assertThatIllegalArgumentException().isThrownBy(() -> Upstream.of("Orders_V2", ONE))
			.withMessage("name: Orders_V2 (expected: a DNS label, lower case letters, digits and '-', at most 63)");
	}

	@Test
	void nameIsRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> Upstream.of(null, ONE))
			.withMessageStartingWith("name: null (expected: a DNS label");
	}

	@Test
	void needsEndpointsOrDiscovery() {
		assertThatIllegalArgumentException().isThrownBy(() -> Upstream.of("orders", List.of()))
			.withMessage("endpoints: 0 (expected: a non-empty endpoints list or a discovery block, exactly one of them)");
	}

	@Test
	void cannotHaveBothEndpointsAndDiscovery() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Upstream("orders", ONE, KubernetesDiscovery.of("orders"), null, null, null, null, null, null, null, null, null))
			.withMessage("endpoints: 1 (expected: a non-empty endpoints list or a discovery block, exactly one of them)");
	}

	@Test
	void linkLocalAndMetadataEndpointsNeedAllowLinkLocal() {
		for (String endpoint : List.of("http://169.254.169.254", "http://[fd00:ec2::254]", "http://[fe80::1%25eth0]:80",
				"http://[::ffff:169.254.169.254]", "http://metadata.google.internal", "http://METADATA.GOOGLE.INTERNAL.")) {
			assertThatIllegalArgumentException().as(endpoint)
				.isThrownBy(() -> Upstream.of("meta", "http://127.0.0.1:9001", endpoint))
				.withMessageStartingWith("endpoints[1]: ")
				.withMessageEndingWith(" (expected: not a link-local or metadata address; set allowLinkLocal: true to allow)");
		}
		Upstream allowed = new Upstream("meta", List.of(EndpointSpec.of("http://169.254.169.254")), null, null, null,
				null, null, null, true, null, null, null);
		assertThat(allowed.allowLinkLocal()).isTrue();
		assertThat(allowed.allowGatewayPorts()).isFalse();
		assertThat(Upstream.of("near", "http://169.253.1.1", "http://10.0.0.1", "http://fd00.example.com").allowLinkLocal())
			.isFalse();
	}

	@Test
	void theGatewaysOwnPortsOnItsOwnHostNeedAllowGatewayPorts() {
		GatewayPorts ports = new GatewayPorts(8080, 8081, null, 0);
		assertThat(ports.ports()).containsExactly(8080, 8081);
		for (String endpoint : List.of("http://127.0.0.1:8081", "http://localhost:8080", "http://LocalHost.:8080",
				"http://0.0.0.0:8081",
				"http://[::1]:8080", "http://127.0.0.2:8081")) {
			assertThatIllegalArgumentException().as(endpoint)
				.isThrownBy(() -> ports.check(Upstream.of("self", endpoint)))
				.withMessage("upstreams[self].endpoints[0]: " + endpoint + " (expected: not the gateway's own port "
						+ endpoint.substring(endpoint.lastIndexOf(':') + 1)
						+ " on its own host; set allowGatewayPorts: true to allow)");
		}
		ports.check(Upstream.of("other", "http://127.0.0.1:9001", "http://192.0.2.10:8081"));
		ports.check(new Upstream("self", List.of(EndpointSpec.of("http://127.0.0.1:8081")), null, null, null, null,
				null, null, null, true, null, null));
	}

	@Test
	void endpointsMustBeDistinct() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Upstream.of("orders", "http://127.0.0.1:9001", "http://127.0.0.1:9001/"))
			.withMessage("endpoints: http://127.0.0.1:9001 (expected: each endpoint once)");
	}

	@Test
	void defaultsToRoundRobin() {
		assertThat(Upstream.of("orders", ONE).loadBalancer().policy()).isEqualTo(Type.ROUND_ROBIN);
	}

	@Test
	void endpointNeedsHttpHttpsOrTcpScheme() {
		assertThatIllegalArgumentException().isThrownBy(() -> EndpointSpec.of("ftp://10.0.0.1:80"))
			.withMessage("uri: ftp://10.0.0.1:80 (expected: http://host:port, https://host:port or tcp://host:port)");
	}

	@Test
	void endpointNeedsHost() {
		assertThatIllegalArgumentException().isThrownBy(() -> EndpointSpec.of("http:///x"))
			.withMessage("uri: http:///x (expected: a host, as in http://host:port)");
	}

	@Test
	void endpointHasNoPath() {
		assertThatIllegalArgumentException().isThrownBy(() -> EndpointSpec.of("http://10.0.0.1:80/api"))
			.withMessage("uri: http://10.0.0.1:80/api (expected: scheme, host and port only, no path)");
	}

	@Test
	void endpointMustParse() {
		assertThatIllegalArgumentException().isThrownBy(() -> EndpointSpec.of("http://bad host"))
			.withMessage("uri: http://bad host (expected: http://host:port)");
	}

	@Test
	void endpointWeightWithinRange() {
		URI uri = URI.create("http://10.0.0.1:80");
		assertThatIllegalArgumentException().isThrownBy(() -> new EndpointSpec(uri, 0))
			.withMessage("weight: 0 (expected: 1-1000)");
		assertThatIllegalArgumentException().isThrownBy(() -> new EndpointSpec(uri, 1001))
			.withMessage("weight: 1001 (expected: 1-1000)");
		assertThat(new EndpointSpec(uri, null).weight()).isEqualTo(1);
	}

	@Test
	void ringHashNeedsHashOn() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LoadBalancerPolicy(Type.RING_HASH, null))
			.withMessage("hashOn: null (expected: header:<name>, cookie:<name>, client-address, claim:<name>, consumer, principal or request-principal with RING_HASH)");
	}

	@Test
	void hashOnOnlyWithRingHash() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LoadBalancerPolicy(Type.LEAST_REQUEST, HashKey.of("header:x-user")))
			.withMessage("hashOn: header:x-user (expected: only with policy RING_HASH)");
	}

	@Test
	void hashOnSyntax() {
		assertThatIllegalArgumentException().isThrownBy(() -> HashKey.of("query:user"))
			.withMessage("hashOn: query:user (expected: header:<name>, cookie:<name>, client-address, claim:<name>, consumer, principal or request-principal)");
		assertThatIllegalArgumentException().isThrownBy(() -> HashKey.of("header:"))
			.withMessage("hashOn: header: (expected: header:<name>, cookie:<name>, client-address, claim:<name>, consumer, principal or request-principal)");
		assertThat(HashKey.of("Cookie:session")).hasToString("cookie:session");
		assertThat(HashKey.of("client-address")).hasToString("client-address");
	}

	@Test
	void discoveryNeedsAServiceName() {
		assertThatIllegalArgumentException().isThrownBy(() -> KubernetesDiscovery.of("Orders"))
			.withMessage("discovery.serviceId: Orders (expected: a Service name)");
	}

	@Test
	void discoveryNamespaceIsADnsLabel() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new KubernetesDiscovery("orders", "Shop!", null, Map.of()))
			.withMessage("discovery.namespace: Shop! (expected: a namespace name)");
	}

	@Test
	void protocolMatchesTheUpstreamsTls() {
		Upstream plain = Upstream.of("grpc", "http://127.0.0.1:9000");
		assertThat(plain.protocol()).isEqualTo(UpstreamProtocol.HTTP1);
		assertThat(plain.withProtocol(UpstreamProtocol.H2C).protocol()).isEqualTo(UpstreamProtocol.H2C);
		assertThatIllegalArgumentException().isThrownBy(() -> plain.withProtocol(UpstreamProtocol.H2))
			.withMessage("protocol: H2 (expected: H2 with tls mode SIMPLE or MUTUAL; H2C for cleartext HTTP/2)");
		TlsPolicy tls = new TlsPolicy(TlsPolicy.Mode.SIMPLE, java.nio.file.Path.of("/certs/ca.crt"), null, null, null, null);
		assertThatIllegalArgumentException().isThrownBy(() -> plain.withTls(tls).withProtocol(UpstreamProtocol.H2C))
			.withMessage("protocol: H2C (expected: H2C without tls; H2 or AUTO for HTTP/2 over TLS)");
		assertThat(UpstreamProtocol.AUTO.clientProtocols(false)).containsExactly(reactor.netty.http.HttpProtocol.HTTP11);
		assertThat(UpstreamProtocol.AUTO.clientProtocols(true)).containsExactly(reactor.netty.http.HttpProtocol.H2,
				reactor.netty.http.HttpProtocol.HTTP11);
	}

}
