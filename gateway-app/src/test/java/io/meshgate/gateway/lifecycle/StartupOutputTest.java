package io.meshgate.gateway.lifecycle;

import java.io.IOException;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.https.HttpsListener;
import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.policy.testing.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What a start prints and answers when nothing is wrong: the demo's admin password before any
 * port answers, no Micrometer warning about a gauge registered twice (an upstream with a health
 * check, built as a dry run and then applied), {@code /actuator/health} without Spring Cloud's
 * discovery components, and an HTTPS port without a certificate that refuses handshakes without
 * a stack trace in the log for each.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "meshgate.demo.enabled=true", "meshgate.https.port=0",
				"meshgate.store.path=target/stores/startup-${random.uuid}",
				"meshgate.upstreams[0].name=checked", "meshgate.upstreams[0].endpoints[0]=http://127.0.0.1:9",
				"meshgate.upstreams[0].health-check.path=/healthz" })
@ExtendWith(OutputCaptureExtension.class)
class StartupOutputTest {

	static final String PASSWORD_LINE = "Meshgate admin login: user 'admin', password '";

	@LocalServerPort
	int port;

	@LocalManagementPort
	int adminPort;

	@Autowired
	HttpsListener https;

	@Test
	void theGeneratedPasswordIsPrintedBeforeAnyPortServes(CapturedOutput output) {
		assertThat(new GatewayClient(port).get("/demo/").statusCode()).isEqualTo(200);

		String all = output.getAll();
		assertThat(all).containsOnlyOnce(PASSWORD_LINE);
		assertThat(all.indexOf(PASSWORD_LINE)).isLessThan(all.indexOf("Netty started on port"));
	}

	@Test
	void noGaugeIsRegisteredTwice(CapturedOutput output) {
		await().until(() -> output.getAll().contains("Started "));

		assertThat(output.getAll()).doesNotContain("has been already registered");
	}

	@Test
	void healthListsNoDiscoveryComponents() {
		AdminClient.Answer health = AdminClient.anonymous(adminPort).get("/actuator/health");

		assertThat(health.status()).isEqualTo(200);
		assertThat(health.body()).doesNotContain("discovery").doesNotContain("Discovery").doesNotContain("UNKNOWN");
	}

	@Test
	void aHandshakeOnTheHttpsPortWithoutACertificateFailsWithoutAStackTrace(CapturedOutput output) throws Exception {
		SSLSocketFactory sockets = SSLContext.getDefault().getSocketFactory();
		for (int i = 0; i < 3; i++) {
			try (SSLSocket socket = (SSLSocket) sockets.createSocket("127.0.0.1", https.port())) {
				socket.setSoTimeout(5000);
				socket.setEnabledProtocols(new String[] { "TLSv1.3" });
				javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
				parameters.setApplicationProtocols(new String[] { "h2", "http/1.1" });
				socket.setSSLParameters(parameters);
				assertThatThrownBy(socket::startHandshake).isInstanceOf(IOException.class);
			}
		}

		assertThat(output.getAll()).doesNotContain("TLS handshake failed").doesNotContain("SSLHandshakeException");
		assertThat(List.of(output.getAll().split("\n"))).noneMatch(line -> line.startsWith("\tat "));
	}

}
