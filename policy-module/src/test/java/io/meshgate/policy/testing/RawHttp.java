package io.meshgate.policy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 requests written byte for byte on a plain socket: the request target goes out exactly
 * as given ({@code //secret}, {@code /a/../b}), which {@code java.net.http} would read as an
 * authority or refuse.
 */
public final class RawHttp {

	private static final int TIMEOUT_MILLIS = 10_000;

	/** A response: status code and body (ISO-8859-1, as bytes). */
	public record Response(int status, String body) {

	}

	private RawHttp() {
	}

	/** {@code GET target} on a fresh connection to the loopback port, which is closed after the response. */
	public static Response get(int port, String target) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
			socket.setSoTimeout(TIMEOUT_MILLIS);
			String request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			String response = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
			int headersEnd = response.indexOf("\r\n\r\n");
			return new Response(Integer.parseInt(response.substring(9, 12)),
					headersEnd < 0 ? "" : response.substring(headersEnd + 4));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] readAll(InputStream in) throws IOException {
		return in.readAllBytes();
	}

}
