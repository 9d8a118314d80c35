import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TCP proxy throughput for bench/protocols.sh, JDK only.
 *
 * <pre>
 * java TcpLoad sink PORT                                 reads and drops every byte of every connection
 * java TcpLoad send HOST PORT SECONDS CONNECTIONS        writes 64 KiB at a time on each connection;
 *                                                        prints "bytes=N rate=B/s"
 * </pre>
 *
 * The sink counts nothing (the sender's count of bytes written is what was relayed, less what is
 * in flight in the socket buffers: a few hundred KiB against gigabytes).
 */
public final class TcpLoad {

	static final int WRITE = 64 * 1024;

	public static void main(String[] args) throws Exception {
		if (args[0].equals("sink")) {
			sink(Integer.parseInt(args[1]));
		}
		else {
			send(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]));
		}
	}

	private static void sink(int port) throws IOException {
		try (ServerSocket server = new ServerSocket(port, 128, InetAddress.getLoopbackAddress())) {
			while (true) {
				Socket socket = server.accept();
				Thread drainer = new Thread(() -> drain(socket));
				drainer.setDaemon(true);
				drainer.start();
			}
		}
	}

	private static void drain(Socket socket) {
		byte[] buffer = new byte[WRITE];
		try (socket; InputStream in = socket.getInputStream()) {
			while (in.read(buffer) >= 0) {
				// dropped
			}
		}
		catch (IOException ex) {
			// the sender went away
		}
	}

	private static void send(String host, int port, long seconds, int connections) throws Exception {
		AtomicLong written = new AtomicLong();
		long end = System.nanoTime() + seconds * 1_000_000_000L;
		List<Thread> threads = new ArrayList<>();
		long start = System.nanoTime();
		for (int i = 0; i < connections; i++) {
			Thread sender = new Thread(() -> {
				byte[] chunk = new byte[WRITE];
				try (Socket socket = new Socket()) {
					socket.connect(new InetSocketAddress(host, port), 5000);
					OutputStream out = socket.getOutputStream();
					while (System.nanoTime() < end) {
						out.write(chunk);
						written.addAndGet(chunk.length);
					}
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
			sender.start();
			threads.add(sender);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		double elapsed = (System.nanoTime() - start) / 1e9;
		System.out.printf("bytes=%d rate=%.0f%n", written.get(), written.get() / elapsed);
	}

}
