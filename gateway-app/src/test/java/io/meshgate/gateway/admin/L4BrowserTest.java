package io.meshgate.gateway.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import io.meshgate.gateway.testing.AdminClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The L4 lists of the admin UI in headless Chromium: TCP routes with their port, backends and the
 * connections counted by the gateway's own meters, edited through the form; TLS passthrough
 * routes with their hosts. A real TCP echo server stands behind the route.
 */
class L4BrowserTest extends BrowserTestSupport {

	private ServerSocket echo;

	private Thread echoing;

	@AfterEach
	void stopEcho() throws IOException {
		if (echo != null) {
			echo.close();
		}
	}

	@Test
	void aTcpRouteIsListedWithItsLiveConnectionsAndEditedThroughTheForm() throws Exception {
		int echoPort = startEcho();
		int routePort = freePort();
		assertThat(editor.post("/api/upstreams", Map.of("name", "echo", "protocol", "TCP", "endpoints",
				List.of("tcp://127.0.0.1:" + echoPort)), null).status()).isEqualTo(200);
		AdminClient.Answer created = editor.post("/api/tcpRoutes",
				Map.of("name", "echo-route", "port", routePort, "backends", List.of(Map.of("upstream", "echo"))), null);
		assertThat(created.status()).as(created.body()).isEqualTo(200);
		login();

		open("#/tcpRoutes");
		WebElement row = waitFor(By.cssSelector("tr[data-item='echo-route']"));
		assertThat(row.getText()).contains(String.valueOf(routePort)).contains("echo");

		assertThat(roundTrip(routePort, "ping")).isEqualTo("ping");
		await().atMost(Duration.ofSeconds(10)).until(() -> cell("echo-route", "Connections").startsWith("1 relayed"));
		screenshot("l4-tcp-routes");

		int movedPort = freePort();
		waitFor(By.cssSelector("tr[data-item='echo-route'] a.edit-item")).click();
		WebElement port = waitFor(By.id("tcp-port"));
		assertThat(port.getDomProperty("value")).isEqualTo(String.valueOf(routePort));
		setValue(port, String.valueOf(movedPort));
		browser.findElement(By.id("save-item")).click();
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-item='echo-route']"));

		assertThat(editor.get("/api/tcpRoutes/echo-route").body()).contains("\"port\":" + movedPort);
		assertThat(roundTrip(movedPort, "moved")).isEqualTo("moved");
	}

	@Test
	void aTlsPassthroughRouteIsListedWithItsHosts() throws Exception {
		int echoPort = startEcho();
		assertThat(editor.post("/api/upstreams", Map.of("name", "vault", "protocol", "TCP", "endpoints",
				List.of("tcp://127.0.0.1:" + echoPort)), null).status()).isEqualTo(200);
		AdminClient.Answer created = editor.post("/api/tlsPassthroughRoutes", Map.of("name", "vault",
				"hosts", List.of("vault.example.com"), "backends", List.of(Map.of("upstream", "vault"))), null);
		assertThat(created.status()).as(created.body()).isEqualTo(200);
		login();

		open("#/tlsPassthroughRoutes");
		WebElement row = waitFor(By.cssSelector("tr[data-item='vault']"));
		assertThat(row.getText()).contains("vault.example.com").contains("vault");
		assertThat(cell("vault", "Open")).isEqualTo("0");
	}

	private void open(String hash) {
		browser.get("http://localhost:" + adminPort + "/" + hash);
		browser.navigate().refresh();
	}

	/** Writes {@code text} through the gateway's TCP port and reads back as many bytes. */
	private static String roundTrip(int port, String text) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			byte[] sent = text.getBytes(StandardCharsets.US_ASCII);
			socket.getOutputStream().write(sent);
			byte[] back = socket.getInputStream().readNBytes(sent.length);
			return new String(back, StandardCharsets.US_ASCII);
		}
	}

	/** A TCP server on loopback that writes back what each connection sends, one connection at a time. */
	private int startEcho() throws IOException {
		echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		echoing = new Thread(() -> {
			while (!echo.isClosed()) {
				try (Socket connection = echo.accept()) {
					InputStream in = connection.getInputStream();
					OutputStream out = connection.getOutputStream();
					byte[] buffer = new byte[4096];
					for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
						out.write(buffer, 0, read);
					}
				}
				catch (IOException closed) {
					// the test closed the server, or a client went away: take the next one
				}
			}
		}, "tcp-echo");
		echoing.setDaemon(true);
		echoing.start();
		return echo.getLocalPort();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
