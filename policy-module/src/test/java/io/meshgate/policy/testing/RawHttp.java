package io.meshgate.policy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 requests written byte for byte on a plain socket: the request target goes out exactly
 * as given ({@code //secret}, {@code /a/../b}), which {@code java.net.http} would read as an
 * authority or refuse.
 */
public final class RawHttp {

	private static final int TIMEOUT_MILLIS = 10_000;

	/**
	 * A response: status code, headers (names in lower case, the first value of each) and body
	 * (ISO-8859-1, as bytes).
	 */
	public record Response(int status, Map<String, String> headers, String body) {

	}

	private RawHttp() {
	}

	/** {@code GET target} on a fresh connection to the loopback port, which is closed after the response. */
	public static Response get(int port, String target) {
		return send(port, "GET", target, Map.of("Host", "127.0.0.1:" + port));
	}

	/**
	 * {@code method target} with exactly these headers ({@code Host} included, or not) and no
	 * body, on a fresh connection to the loopback port, which is closed after the response.
	 */
	public static Response send(int port, String method, String target, Map<String, String> headers) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
			socket.setSoTimeout(TIMEOUT_MILLIS);
			StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
			headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
			request.append("Connection: close\r\n\r\n");
			socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			String response = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
			int headersEnd = response.indexOf("\r\n\r\n");
			Map<String, String> received = new LinkedHashMap<>();
			response.substring(0, headersEnd < 0 ? response.length() : headersEnd).lines().skip(1).forEach(line -> {
				int colon = line.indexOf(':');
				if (colon > 0) {
					received.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
							line.substring(colon + 1).trim());
				}
			});
			return new Response(Integer.parseInt(response.substring(9, 12)), received,
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
