package io.meshgate.policy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One connection to the gateway on a plain socket, for requests whose exact bytes matter
 * (broken framing, bodies that never come).
 */
public final class RawClient implements AutoCloseable {

	private final Socket socket;

	public RawClient(int port) {
		try {
			socket = new Socket(InetAddress.getLoopbackAddress(), port);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Over a socket the test opened itself (a TLS one, with the protocols it chose). */
	public RawClient(Socket socket) {
		this.socket = socket;
	}

	public RawClient send(String bytes) {
		return send(bytes.getBytes(StandardCharsets.ISO_8859_1));
	}

	public RawClient send(byte[] bytes) {
		try {
			socket.getOutputStream().write(bytes);
			socket.getOutputStream().flush();
			return this;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Everything the gateway sends until it closes the connection, or {@code null} if it is still
	 * open after {@code wait}.
	 */
	public String readUntilClosed(Duration wait) {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		try {
			socket.setSoTimeout((int) wait.toMillis());
			InputStream in = socket.getInputStream();
			in.transferTo(received);
			return received.toString(StandardCharsets.ISO_8859_1);
		}
		catch (SocketTimeoutException stillOpen) {
			return null;
		}
		catch (IOException reset) {
			return received.toString(StandardCharsets.ISO_8859_1);
		}
	}

	/** The body of an HTTP/1.1 answer, the text after its headers. */
	public static String body(String answer) {
		int end = answer.indexOf("\r\n\r\n");
		return end < 0 ? "" : answer.substring(end + 4);
	}

	@Override
	public void close() {
		try {
			socket.close();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
