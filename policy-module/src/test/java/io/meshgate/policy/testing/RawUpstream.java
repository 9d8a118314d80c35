package io.meshgate.policy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.awaitility.Awaitility.await;

/**
 * An upstream that never answers: it reads each connection to its end and records the exact
 * bytes, so a test can tell a request that arrived complete from one whose connection was cut.
 */
public final class RawUpstream implements AutoCloseable {

	/** What one connection carried so far, and whether the gateway ended it (closed or reset). */
	public record Connection(String bytes, boolean ended) {

		/** The request ended with the last chunk of a chunked body. */
		public boolean terminated() {
			return bytes.endsWith("0\r\n\r\n");
		}

	}

	private static final class Recording {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private volatile boolean ended;

		synchronized Connection snapshot() {
			return new Connection(bytes.toString(StandardCharsets.ISO_8859_1), ended);
		}

		synchronized void add(byte[] buffer, int length) {
			bytes.write(buffer, 0, length);
		}

	}

	private final ServerSocket server;

	private final Queue<Recording> connections = new ConcurrentLinkedQueue<>();

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
				Recording recording = new Recording();
				connections.add(recording);
				daemon(() -> record(socket, recording));
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

	private static void record(Socket socket, Recording recording) {
		byte[] buffer = new byte[8192];
		try (socket; InputStream in = socket.getInputStream()) {
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				recording.add(buffer, n);
			}
		}
		catch (IOException reset) {
			// a reset ends the connection as a close does
		}
		recording.ended = true;
	}

	public String url() {
		return "http://127.0.0.1:" + server.getLocalPort();
	}

	/** Every connection the gateway opened, first opened first. */
	public List<Connection> connections() {
		return connections.stream().map(Recording::snapshot).toList();
	}

	/** Waits (at most 5 s) until a connection carried {@code text}. */
	public void awaitReceived(String text) {
		await().atMost(Duration.ofSeconds(5)).until(() -> connections().stream().anyMatch(c -> c.bytes().contains(text)));
	}

	/** Waits (at most 10 s) until the gateway ended its one connection, and returns it. */
	public Connection awaitOnlyConnectionEnded() {
		await().atMost(Duration.ofSeconds(10)).until(() -> connections().size() == 1 && connections().get(0).ended());
		return connections().get(0);
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
