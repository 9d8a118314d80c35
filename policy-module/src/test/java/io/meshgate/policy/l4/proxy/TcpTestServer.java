package io.meshgate.policy.l4.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw TCP server on a loopback port for L4 tests, one thread per connection. On accept it
 * writes its name and a newline (so a test sees which endpoint a connection reached), then echoes
 * every byte until the client's FIN, then sends its own FIN. {@link #stalled()} makes one that
 * reads nothing until {@link #release()}, and then only counts what it reads.
 */
final class TcpTestServer implements AutoCloseable {

	private final String name;

	private final boolean stall;

	private final ServerSocket server;

	private final CountDownLatch released = new CountDownLatch(1);

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicLong received = new AtomicLong();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private TcpTestServer(String name, boolean stall) {
		this.name = name;
		this.stall = stall;
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		daemon(this::accept);
	}

	static TcpTestServer echo(String name) {
		return new TcpTestServer(name, false);
	}

	static TcpTestServer stalled() {
		return new TcpTestServer("stalled", true);
	}

	int port() {
		return server.getLocalPort();
	}

	String endpoint() {
		return "tcp://127.0.0.1:" + port();
	}

	int accepted() {
		return accepted.get();
	}

	long received() {
		return received.get();
	}

	void release() {
		released.countDown();
	}

	private void accept() {
		while (!server.isClosed()) {
			try {
				Socket socket = server.accept();
				accepted.incrementAndGet();
				sockets.add(socket);
				daemon(() -> serve(socket));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
			if (stall) {
				released.await();
			}
			else {
				out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
			byte[] buffer = new byte[64 * 1024];
			for (int n; (n = in.read(buffer)) != -1;) {
				received.addAndGet(n);
				if (!stall) {
					out.write(buffer, 0, n);
					out.flush();
				}
			}
			socket.shutdownOutput();
		}
		catch (IOException | InterruptedException ex) {
			// the client or the test went away
		}
	}

	private static void daemon(Runnable work) {
		Thread thread = new Thread(work, "tcp-test-server");
		thread.setDaemon(true);
		thread.start();
	}

	/** A loopback port nothing listens on (bound, then closed). */
	static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static InetSocketAddress loopback(int port) {
		return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
	}

	@Override
	public void close() throws IOException {
		released.countDown();
		server.close();
		for (Socket socket : sockets) {
			socket.close();
		}
	}

}
