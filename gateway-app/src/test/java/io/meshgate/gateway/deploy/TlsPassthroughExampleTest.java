package io.meshgate.gateway.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.https.HttpsListener;
import io.meshgate.policy.testing.TestPki;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/l4.md's TLS passthrough example, run as documented: {@code config/tls-passthrough/start-backend.sh}
 * makes the certificates and starts {@code openssl s_server}, the gateway starts with
 * {@code --spring.config.additional-location=file:config/tls-passthrough/gateway.yml}, and the
 * documented clients see, through the gateway's HTTPS port, the backend's certificate for
 * {@code backend.example.test} and the gateway's own for any other name. Ports are chosen at
 * start (the documented 9443 and 8443 may be taken): the script's and the file's variables and
 * {@code meshgate.https.port=0} are the only changes.
 */
class TlsPassthroughExampleTest {

	static final Path EXAMPLE = Path.of("..", "config", "tls-passthrough");

	private static final Pattern ACCEPT = Pattern.compile("ACCEPT 127\\.0\\.0\\.1:(\\d+)");

	@TempDir
	Path certificates;

	@Test
	void theClientSeesTheBackendsCertificateForThePassthroughNameAndTheGatewaysForOthers() throws Exception {
		ProcessBuilder script = new ProcessBuilder("sh", EXAMPLE.resolve("start-backend.sh").toString())
			.redirectErrorStream(true);
		script.environment().put("PASSTHROUGH_EXAMPLE_DIR", certificates.toString());
		script.environment().put("PASSTHROUGH_EXAMPLE_BACKEND_PORT", "0");
		Process backend = script.start();
		try {
			int backendPort = acceptedPort(backend);
			try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(MeshgateApplication.class).run(
					"--spring.config.additional-location=file:" + EXAMPLE.resolve("gateway.yml"),
					"--PASSTHROUGH_EXAMPLE_DIR=" + certificates, "--PASSTHROUGH_EXAMPLE_BACKEND_PORT=" + backendPort,
					"--meshgate.https.port=0", "--server.port=0", "--management.server.port=0",
					"--meshgate.store.path=target/stores/passthrough-example-" + UUID.randomUUID())) {
				int port = gateway.getBean(HttpsListener.class).port();
				X509Certificate backendCertificate = certificate("backend.crt");
				X509Certificate gatewayCertificate = certificate("gateway.crt");

				assertThat(run("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername",
						"backend.example.test")).as("the documented s_client line").contains("subject=CN = backend.example.test");
				assertThat(run("curl", "-s", "--cacert", certificates.resolve("backend.crt").toString(), "--resolve",
						"backend.example.test:" + port + ":127.0.0.1", "https://backend.example.test:" + port + "/"))
					.as("the documented curl line, verified against the backend's certificate")
					.contains("s_server");

				assertThat(run("curl", "-s", "--cacert", certificates.resolve("gateway.crt").toString(),
						"https://localhost:" + port + "/demo/"))
					.as("the documented curl line for a name the gateway terminates")
					.contains("\"service\":\"demo\"");

				assertThat(run("bash", "-c", "printf '\\0\\0\\0\\0\\7\\n\\5hello' | curl -s --http2 --cacert "
						+ certificates.resolve("gateway.crt") + " -H 'content-type: application/grpc' -H 'te: trailers'"
						+ " --data-binary @- https://localhost:" + port + "/meshgate.demo.Echo/Say"))
					.as("the documented gRPC call over TLS the gateway terminates")
					.contains("hello")
					.contains("demo-grpc-a");

				assertThat(peerCertificate("backend.example.test", backendCertificate, port))
					.as("TLS not terminated by the gateway: the backend's own certificate")
					.isEqualTo(backendCertificate);
				assertThat(peerCertificate("localhost", gatewayCertificate, port))
					.as("every other name terminated by the gateway")
					.isEqualTo(gatewayCertificate);
			}
		}
		finally {
			backend.destroy();
			backend.waitFor(10, TimeUnit.SECONDS);
		}
	}

	/** The port {@code openssl s_server} says it accepts on, once the script has made the certificates. */
	private static int acceptedPort(Process backend) throws Exception {
		BufferedReader output = new BufferedReader(new InputStreamReader(backend.getInputStream(), StandardCharsets.UTF_8));
		List<String> lines = new ArrayList<>();
		CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
			try {
				for (String line; (line = output.readLine()) != null;) {
					lines.add(line);
					Matcher accept = ACCEPT.matcher(line);
					if (accept.find()) {
						return Integer.parseInt(accept.group(1));
					}
				}
				throw new IllegalStateException("start-backend.sh ended: " + lines);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		return port.get(30, TimeUnit.SECONDS);
	}

	private X509Certificate certificate(String file) throws Exception {
		try (var in = Files.newInputStream(certificates.resolve(file))) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

	/** The first certificate the HTTPS port presents for {@code serverName}, to a client trusting only {@code trusted}. */
	private static X509Certificate peerCertificate(String serverName, X509Certificate trusted, int port) throws IOException {
		try (SSLSocket socket = (SSLSocket) TestPki.trusting(trusted).getSocketFactory().createSocket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
			socket.setSoTimeout(10_000);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setServerNames(List.of(new SNIHostName(serverName)));
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			return (X509Certificate) socket.getSession().getPeerCertificates()[0];
		}
	}

	/** Runs a documented client command with nothing on its input; its output, both streams. */
	private static String run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
			.start();
		CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
			try {
				return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", command))
			.isTrue();
		return output.get(5, TimeUnit.SECONDS);
	}

}
