package io.meshgate.gateway.admin;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.gateway.testing.AdminClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An editor cannot point an upstream at cloud metadata or at the gateway's own ports, which a
 * public route would hand to any internet client, unless the upstream opts in.
 */
class UpstreamAddressesTest extends AdminTestSupport {

	@Test
	void linkLocalAndMetadataEndpointsAreRefusedUnlessAllowed() {
		for (String endpoint : List.of("http://169.254.169.254", "http://169.254.10.1:8080", "http://[fd00:ec2::254]",
				"http://[fe80::1]:80", "http://[::ffff:169.254.169.254]", "http://metadata.google.internal")) {
			for (String dryRun : List.of("?dryRun=true", "")) {
				AdminClient.Answer refused = editor.put("/api/upstreams/meta" + dryRun, upstream("meta", endpoint), null);
				assertThat(refused.status()).as(endpoint + ": " + refused.body()).isEqualTo(400);
				assertThat(refused.body()).as(endpoint)
					.contains("upstreams[meta].endpoints[0]")
					.contains("(expected: not a link-local or metadata address; set allowLinkLocal: true to allow)");
			}
		}
		AdminClient.Answer metadata = editor.put("/api/upstreams/meta", upstream("meta", "http://169.254.169.254"), null);
		assertThat(metadata.body()).contains("endpoints[0]: http://169.254.169.254 (expected: not a link-local");

		Map<String, Object> allowed = new LinkedHashMap<>(upstream("meta", "http://169.254.169.254"));
		allowed.put("allowLinkLocal", true);
		AdminClient.Answer optedIn = editor.put("/api/upstreams/meta", allowed, null);
		assertThat(optedIn.status()).as(optedIn.body()).isEqualTo(200);
	}

	@Test
	void theGatewaysOwnPortsAreRefusedAsEndpointsUnlessAllowed() {
		for (String endpoint : List.of("http://127.0.0.1:" + adminPort, "http://localhost:" + ingressPort,
				"http://0.0.0.0:" + adminPort, "http://[::1]:" + ingressPort)) {
			for (String dryRun : List.of("?dryRun=true", "")) {
				AdminClient.Answer refused = editor.put("/api/upstreams/self" + dryRun, upstream("self", endpoint), null);
				assertThat(refused.status()).as(endpoint + ": " + refused.body()).isEqualTo(400);
				assertThat(refused.body()).as(endpoint).contains("upstreams[self].endpoints[0]: ")
					.contains("(expected: not the gateway's own port");
			}
		}
		// the route that would have put the admin API on the ingress port does not exist
		AdminClient.Answer route = editor.post("/api/routes", route("admin", "/admin/**", Map.of("self", 1)), null);
		assertThat(route.status()).isEqualTo(400);
		assertThat(ingress.get("/admin/api/config").statusCode()).isEqualTo(404);

		Map<String, Object> allowed = new LinkedHashMap<>(upstream("self", "http://127.0.0.1:" + ingressPort));
		allowed.put("allowGatewayPorts", true);
		AdminClient.Answer optedIn = editor.put("/api/upstreams/self", allowed, null);
		assertThat(optedIn.status()).as(optedIn.body()).isEqualTo(200);
		// loopback on other ports stays what tests and the demo use
		assertThat(editor.put("/api/upstreams/local", upstream("local", "http://127.0.0.1:9"), null).status())
			.isEqualTo(200);
	}


	@Test
	void aHostNameThatResolvesToTheGatewaysOwnPortIsRefusedWhenConnecting() throws Exception {
		// this machine's name is not an address, so the edit passes; it resolves to the machine itself
		String name = InetAddress.getLocalHost().getHostName();
		assumeTrue(name.chars().anyMatch(Character::isLetter) && !name.equalsIgnoreCase("localhost"),
				"the host name is a name other than localhost");
		AdminClient.Answer stored = editor.put("/api/upstreams/self", upstream("self", "http://" + name + ":" + adminPort),
				null);
		assertThat(stored.status()).as(stored.body()).isEqualTo(200);
		assertThat(editor.post("/api/routes", route("admin", "/admin/**", Map.of("self", 1)), null).status())
			.isEqualTo(200);

		// an internet client on the ingress port: the admin port is never reached (it would answer 401)
		var answer = ingress.get("/admin/api/config");

		assertThat(answer.statusCode()).as(answer.body()).isIn(502, 503);
	}

}
