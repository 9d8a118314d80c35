package io.meshgate.gateway.deploy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ssl.pem.PemContent;

import io.meshgate.policy.tls.TlsMaterial;
import io.meshgate.policy.tls.TlsPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo PKI script makes material that Meshgate accepts for MUTUAL TLS with SPIFFE names. */
class DemoPkiTest {

	@TempDir
	Path out;

	@Test
	void scriptMakesACaAGatewayClientCertificateAndAnUpstreamWithSpiffeNames() throws Exception {
		Process script = new ProcessBuilder("bash", Path.of("..", "config", "pki", "make-demo-pki.sh").toString(),
				out.toString())
			.redirectErrorStream(true)
			.start();
		assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(script.exitValue()).as(new String(script.getInputStream().readAllBytes())).isZero();

		TlsMaterial material = TlsMaterial.load(new TlsPolicy(TlsPolicy.Mode.MUTUAL, out.resolve("ca.crt"),
				out.resolve("gateway.crt"), out.resolve("gateway.key"),
				List.of("spiffe://cluster.local/ns/shop/sa/orders"), null), Instant.now());

		assertThat(material.certificate().getSubjectAlternativeNames())
			.anySatisfy(san -> assertThat(san.get(1)).isEqualTo("spiffe://cluster.local/ns/meshgate/sa/gateway"));
		var orders = PemContent.load(out.resolve("orders.crt")).getCertificates().get(0);
		assertThat(orders.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList())
			.contains("orders-mtls", "spiffe://cluster.local/ns/shop/sa/orders");
		orders.verify(material.caCertificates().get(0).getPublicKey());
	}

}
