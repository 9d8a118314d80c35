package io.meshgate.policy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One connection to the gateway on a plain socket, for requests whose exact bytes matter
 * (broken framing, bodies that never come).
 */
public final class RawClient implements AutoCloseable {

	private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");

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
	 * Sends {@code text} one byte every {@code every}, then {@code a} forever (a header value that
	 * never ends), until the returned handle is closed or the connection fails: a slowloris client.
	 */
	public Trickle trickle(String text, Duration every) {
		ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
		AtomicInteger sent = new AtomicInteger();
		sender.scheduleAtFixedRate(() -> {
			int i = sent.getAndIncrement();
			send(new byte[] { (byte) (i < text.length() ? text.charAt(i) : 'a') });
		}, 0, every.toMillis(), TimeUnit.MILLISECONDS);
		return sender::shutdownNow;
	}

	/** A {@link #trickle} under way; closing it stops the sending. */
	public interface Trickle extends AutoCloseable {

		@Override
		void close();

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

	/**
	 * One HTTP/1.1 answer with a {@code Content-Length}, read on a connection that stays open
	 * (keep-alive); fails if it does not come within {@code wait}.
	 */
	public String readAnswer(Duration wait) {
		try {
			socket.setSoTimeout((int) wait.toMillis());
			InputStream in = socket.getInputStream();
			StringBuilder head = new StringBuilder();
			while (head.indexOf("\r\n\r\n") < 0) {
				int b = in.read();
				if (b < 0) {
					throw new IllegalStateException("connection closed after: " + head);
				}
				head.append((char) b);
			}
			Matcher length = CONTENT_LENGTH.matcher(head);
			int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
			return head + new String(in.readNBytes(bodyLength), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
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
