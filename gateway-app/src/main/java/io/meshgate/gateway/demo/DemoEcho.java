package io.meshgate.gateway.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The demo gRPC service's two messages in protobuf's wire form, each in gRPC's length-prefixed
 * frame (a flag byte, 0 for uncompressed, then a 4-byte big-endian length), without a protobuf
 * runtime:
 *
 * <pre>
 * package meshgate.demo;
 * service Echo { rpc Say (EchoRequest) returns (EchoReply); }
 * message EchoRequest { string text = 1; }
 * message EchoReply { string text = 1; string endpoint = 2; }
 * </pre>
 *
 * A request frame is read whole and at most {@link #MAX_FRAME_BYTES} long; a frame that is not
 * one uncompressed message of known wire types is refused with {@link IllegalArgumentException}.
 */
public final class DemoEcho {

	/** The largest request message the demo reads. */
	public static final int MAX_MESSAGE_BYTES = 4096;

	static final int MAX_FRAME_BYTES = 5 + MAX_MESSAGE_BYTES;

	private static final int LENGTH_DELIMITED = 2;

	private DemoEcho() {
	}

	/** A message with {@code strings} as its fields 1, 2, …: {@code EchoRequest}, {@code EchoReply}. */
	public static byte[] message(String... strings) {
		ByteArrayOutputStream message = new ByteArrayOutputStream();
		for (int i = 0; i < strings.length; i++) {
			string(message, i + 1, strings[i]);
		}
		return message.toByteArray();
	}

	/** {@code message} in gRPC's frame. */
	public static byte[] frame(byte[] message) {
		byte[] frame = new byte[5 + message.length];
		frame[1] = (byte) (message.length >>> 24);
		frame[2] = (byte) (message.length >>> 16);
		frame[3] = (byte) (message.length >>> 8);
		frame[4] = (byte) message.length;
		System.arraycopy(message, 0, frame, 5, message.length);
		return frame;
	}

	/** The message of a frame that holds exactly one, uncompressed. */
	static byte[] unframe(byte[] frame) {
		if (frame.length < 5 || frame[0] != 0) {
			throw new IllegalArgumentException("not an uncompressed frame");
		}
		int length = ((frame[1] & 0xFF) << 24) | ((frame[2] & 0xFF) << 16) | ((frame[3] & 0xFF) << 8) | (frame[4] & 0xFF);
		if (length != frame.length - 5) {
			throw new IllegalArgumentException("not one message");
		}
		return java.util.Arrays.copyOfRange(frame, 5, frame.length);
	}

	/**
	 * A message's string fields 1 and 2 ({@code ""} where absent): an {@code EchoRequest}'s text, an
	 * {@code EchoReply}'s text and endpoint. Fields of other numbers are skipped.
	 */
	public static String[] strings(byte[] message) {
		String[] strings = { "", "" };
		int[] at = { 0 };
		while (at[0] < message.length) {
			long tag = varint(message, at);
			int wireType = (int) (tag & 7);
			switch (wireType) {
				case 0 -> varint(message, at);
				case 1 -> skip(message, at, 8);
				case 5 -> skip(message, at, 4);
				case LENGTH_DELIMITED -> {
					long size = varint(message, at);
					int start = at[0];
					skip(message, at, size);
					if (tag >>> 3 == 1 || tag >>> 3 == 2) {
						strings[(int) (tag >>> 3) - 1] = new String(message, start, (int) size, StandardCharsets.UTF_8);
					}
				}
				default -> throw new IllegalArgumentException("wire type " + wireType);
			}
		}
		return strings;
	}

	private static long varint(byte[] bytes, int[] at) {
		long value = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			if (at[0] >= bytes.length) {
				throw new IllegalArgumentException("a varint past the end");
			}
			byte b = bytes[at[0]++];
			value |= (long) (b & 0x7F) << shift;
			if (b >= 0) {
				return value;
			}
		}
		throw new IllegalArgumentException("a varint over 10 bytes");
	}

	private static void skip(byte[] bytes, int[] at, long count) {
		if (count < 0 || count > bytes.length - at[0]) {
			throw new IllegalArgumentException("a field past the end");
		}
		at[0] += (int) count;
	}

	private static void string(ByteArrayOutputStream message, int field, String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		message.write(field << 3 | LENGTH_DELIMITED);
		for (int length = bytes.length; ; length >>>= 7) {
			if (length < 0x80) {
				message.write(length);
				break;
			}
			message.write(0x80 | (length & 0x7F));
		}
		message.writeBytes(bytes);
	}

}
