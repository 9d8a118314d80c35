package io.meshgate.policy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An upstream that never answers: it reads each connection to its end and records the exact
 * bytes, so a test can tell a request that arrived complete from one whose connection was cut.
 */
public final class RawUpstream implements AutoCloseable {

	/** What one connection carried before it ended. */
	public record Connection(String bytes) {

		/** The request ended with the last chunk of a chunked body. */
		public boolean terminated() {
			return bytes.endsWith("0\r\n\r\n");
		}

	}

	private final ServerSocket server;

	private final Queue<Connection> ended = new ConcurrentLinkedQueue<>();

	public RawUpstream() {
		try {
			server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		daemon(this::accept);
	}

	private void accept() {
		while (!server.isClosed()) {
			try {
				Socket socket = server.accept();
				daemon(() -> record(socket));
			}
			catch (IOException closed) {
				return;
			}
		}
	}

	private static void daemon(Runnable task) {
		Thread thread = new Thread(task, "raw-upstream");
		thread.setDaemon(true);
		thread.start();
	}

	private void record(Socket socket) {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		try (socket; InputStream in = socket.getInputStream()) {
			in.transferTo(received);
		}
		catch (IOException reset) {
			// a reset ends the connection as a close does
		}
		ended.add(new Connection(received.toString(StandardCharsets.ISO_8859_1)));
	}

	public String url() {
		return "http://127.0.0.1:" + server.getLocalPort();
	}

	/** The connections that ended so far, first ended first. */
	public List<Connection> ended() {
		return List.copyOf(ended);
	}

	@Override
	public void close() {
		try {
			server.close();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
