package io.meshgate.policy.edge;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An HTTP/2 request whose DATA frames do not add up to its content-length is malformed (RFC 9113
 * §8.1.1): its stream is reset with PROTOCOL_ERROR, with one log line, never answered 500 with a
 * stack trace. Frames written by hand over h2c with prior knowledge, since no client sends a
 * wrong content-length.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "meshgate.ingress.request-body-timeout=1s", "server.http2.enabled=true" })
class Http2MalformedBodyTest extends GatewayTest {

	static final int HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, GOAWAY = 0x7;

	/** HPACK: the static table's {@code :status 200}. */
	static final int STATUS_200 = 0x88;

	/** What {@link #exchange} returns for a stream reset with PROTOCOL_ERROR. */
	static final int RESET_PROTOCOL_ERROR = -1;

	@BeforeEach
	void route() {
		apply(List.of(Upstream.of("svc", start("svc").url())), Route.of("svc", "/svc/**", Backend.of("svc", 1)));
	}

	@Test
	void dataShorterThanContentLengthResetsTheStreamWithOneLogLine(CapturedOutput output) throws IOException {
		double before = counter(MeshMetrics.INGRESS_MALFORMED, "protocol", "h2");

		int status = exchange(3, 10);

		assertThat(status).isEqualTo(RESET_PROTOCOL_ERROR);
		assertThat(counter(MeshMetrics.INGRESS_MALFORMED, "protocol", "h2")).isEqualTo(before + 1);
		assertThat(output.getOut().lines().filter(line -> line.contains("Malformed HTTP/2 request"))).hasSize(1);
		assertThat(output.getOut()).doesNotContain("Unexpected error", "\tat ");
	}

	@Test
	void matchingContentLengthIsProxied() throws IOException {
		assertThat(exchange(10, 10)).isEqualTo(STATUS_200);
	}

	/**
	 * Sends POST /svc/x on stream 1 with {@code content-length: declared} and {@code sent} bytes of
	 * DATA, and returns the first byte of the answer's header block (an indexed {@code :status}), or
	 * {@link #RESET_PROTOCOL_ERROR}.
	 */
	private int exchange(int sent, int declared) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			frame(out, SETTINGS, 0, 0, new byte[0]);
			ByteArrayOutputStream block = new ByteArrayOutputStream();
			block.write(new byte[] { (byte) 0x83, (byte) 0x86 }); // :method POST, :scheme http
			literal(block, new byte[] { 0x04 }, "/svc/x"); // :path
			literal(block, new byte[] { 0x01 }, "gw"); // :authority
			literal(block, new byte[] { 0x0f, 0x0d }, String.valueOf(declared)); // content-length (index 28)
			frame(out, HEADERS, 0x4, 1, block.toByteArray()); // END_HEADERS
			frame(out, 0x0, 0x1, 1, "x".repeat(sent).getBytes(StandardCharsets.US_ASCII)); // DATA, END_STREAM
			DataInputStream in = new DataInputStream(socket.getInputStream());
			while (true) {
				int length = (in.readUnsignedShort() << 8) | in.readUnsignedByte();
				int type = in.readUnsignedByte();
				int flags = in.readUnsignedByte();
				int stream = in.readInt() & 0x7fffffff;
				byte[] payload = in.readNBytes(length);
				if (type == SETTINGS && (flags & 0x1) == 0) {
					frame(out, SETTINGS, 0x1, 0, new byte[0]);
				}
				else if (stream == 1 && type == HEADERS) {
					return payload[0] & 0xff;
				}
				else if (stream == 1 && type == RST_STREAM) {
					int error = ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
							| (payload[3] & 0xff);
					assertThat(error).as("RST_STREAM error code").isEqualTo(0x1);
					return RESET_PROTOCOL_ERROR;
				}
				else if (type == GOAWAY) {
					throw new AssertionError("connection closed before an answer");
				}
			}
		}
	}

	private static void literal(ByteArrayOutputStream block, byte[] name, String value) throws IOException {
		block.write(name);
		block.write(value.length());
		block.write(value.getBytes(StandardCharsets.US_ASCII));
	}

	private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
		out.write(new byte[] { (byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
				(byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
				(byte) stream });
		out.write(payload);
		out.flush();
	}

}
