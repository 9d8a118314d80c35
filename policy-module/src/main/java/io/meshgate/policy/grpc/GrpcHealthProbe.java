package io.meshgate.policy.grpc;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The wire form of one {@code grpc.health.v1.Health/Check} call, without a protobuf runtime:
 * {@code HealthCheckRequest {string service = 1;}} and {@code HealthCheckResponse {ServingStatus
 * status = 1;}} (SERVING = 1), each in gRPC's length-prefixed message frame. The request is
 * encoded once per health-check policy; a response is read within {@link #MAX_RESPONSE_BYTES}.
 */
public final class GrpcHealthProbe {

	/** The method's path. */
	public static final String PATH = "/grpc.health.v1.Health/Check";

	/** A health answer is two bytes of message; anything over this is not one. */
	public static final int MAX_RESPONSE_BYTES = 1024;

	/** gRPC service names as {@code .proto} files declare them: {@code package.Service}. */
	private static final Pattern SERVICE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

	private static final int MAX_SERVICE_LENGTH = 255;

	private static final int SERVING = 1;

	private GrpcHealthProbe() {
	}

	/** Whether {@code service} can be asked for: a dotted name of at most 255 characters. */
	public static boolean validService(String service) {
		return service.length() <= MAX_SERVICE_LENGTH && SERVICE.matcher(service).matches();
	}

	/** The request's frame for {@code service} ({@code ""}: the server as a whole). */
	public static byte[] request(String service) {
		byte[] name = service.getBytes(StandardCharsets.US_ASCII);
		// field 1, length-delimited; a name under 128 bytes has a one-byte length, longer ones two
		int lengthBytes = name.length < 128 ? 1 : 2;
		int message = name.length == 0 ? 0 : 1 + lengthBytes + name.length;
		byte[] frame = new byte[5 + message];
		frame[1] = (byte) (message >>> 24);
		frame[2] = (byte) (message >>> 16);
		frame[3] = (byte) (message >>> 8);
		frame[4] = (byte) message;
		if (message > 0) {
			frame[5] = 0x0A;
			if (lengthBytes == 1) {
				frame[6] = (byte) name.length;
			}
			else {
				frame[6] = (byte) (0x80 | (name.length & 0x7F));
				frame[7] = (byte) (name.length >>> 7);
			}
			System.arraycopy(name, 0, frame, 5 + 1 + lengthBytes, name.length);
		}
		return frame;
	}

	/**
	 * Whether {@code body}, the answer's messages, is exactly one uncompressed
	 * {@code HealthCheckResponse} whose status is SERVING. Malformed answers are not serving.
	 */
	public static boolean serving(byte[] body) {
		if (body.length < 5 || body[0] != 0) {
			return false;
		}
		long length = ((body[1] & 0xFFL) << 24) | ((body[2] & 0xFF) << 16) | ((body[3] & 0xFF) << 8) | (body[4] & 0xFF);
		if (length != body.length - 5) {
			return false;
		}
		int status = 0;
		int[] at = { 5 };
		while (at[0] < body.length) {
			long tag = varint(body, at);
			if (tag < 0 || (tag & 7) != 0) {
				// HealthCheckResponse has one varint field; anything else is not its encoding
				return false;
			}
			long value = varint(body, at);
			if (value < 0) {
				return false;
			}
			if (tag >>> 3 == 1) {
				status = (int) value;
			}
		}
		return status == SERVING;
	}

	/** The varint at {@code at[0]}, which moves past it; -1 when it is cut off or over 63 bits. */
	private static long varint(byte[] body, int[] at) {
		long value = 0;
		for (int shift = 0; shift < 63; shift += 7) {
			if (at[0] >= body.length) {
				return -1;
			}
			int next = body[at[0]++];
			value |= (long) (next & 0x7F) << shift;
			if ((next & 0x80) == 0) {
				return value;
			}
		}
		return -1;
	}

}
