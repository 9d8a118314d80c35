package io.meshgate.gateway.https;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TLS ClientHello written byte by byte, offering exactly one version and one cipher suite,
 * whatever this JVM's own TLS client would allow, and the type of the first record the server
 * answers with: {@link #SERVER_HELLO} (a handshake record: the offer was taken) or {@link #ALERT}.
 */
final class RawClientHello {

	static final int SERVER_HELLO = 22;

	static final int ALERT = 21;

	static final int TLS_1_1 = 0x0302;

	static final int TLS_1_2 = 0x0303;

	private RawClientHello() {
	}

	/** The first record's content type, or -1 when the server closed without answering. */
	static int answer(int port, String sniName, int version, int cipherSuite) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(record(hello(sniName, version, cipherSuite)));
			socket.getOutputStream().flush();
			DataInputStream in = new DataInputStream(socket.getInputStream());
			try {
				return in.readUnsignedByte();
			}
			catch (EOFException closed) {
				return -1;
			}
		}
	}

	/** The bytes of a TLS 1.2 ClientHello record naming {@code sniName} (none when null). */
	static byte[] bytes(String sniName) {
		return record(hello(sniName, TLS_1_2, 0xc02b));
	}

	private static byte[] record(byte[] handshake) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(22);
		u16(out, 0x0301); // record-layer version as clients send it
		u16(out, handshake.length);
		out.writeBytes(handshake);
		return out.toByteArray();
	}

	private static byte[] hello(String sniName, int version, int cipherSuite) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		u16(body, version);
		body.writeBytes(new byte[32]); // client random: fixed, nothing depends on it here
		body.write(0); // no session id
		u16(body, 2);
		u16(body, cipherSuite);
		body.write(1); // compression methods: null only
		body.write(0);
		byte[] extensions = extensions(sniName);
		u16(body, extensions.length);
		body.writeBytes(extensions);
		ByteArrayOutputStream handshake = new ByteArrayOutputStream();
		handshake.write(1); // client_hello
		u24(handshake, body.size());
		handshake.writeBytes(body.toByteArray());
		return handshake.toByteArray();
	}

	private static byte[] extensions(String sniName) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		if (sniName != null) {
			byte[] name = sniName.getBytes(StandardCharsets.US_ASCII);
			extension(out, 0x0000, 2 + 3 + name.length);
			u16(out, 3 + name.length);
			out.write(0); // host_name
			u16(out, name.length);
			out.writeBytes(name);
		}
		extension(out, 0x000a, 6); // supported_groups: x25519, secp256r1
		u16(out, 4);
		u16(out, 0x001d);
		u16(out, 0x0017);
		extension(out, 0x000b, 2); // ec_point_formats: uncompressed
		out.write(1);
		out.write(0);
		extension(out, 0x000d, 8); // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
		u16(out, 6);
		u16(out, 0x0403);
		u16(out, 0x0804);
		u16(out, 0x0401);
		extension(out, 0xff01, 1); // renegotiation_info: empty, a first handshake
		out.write(0);
		return out.toByteArray();
	}

	private static void extension(ByteArrayOutputStream out, int type, int length) {
		u16(out, type);
		u16(out, length);
	}

	private static void u16(ByteArrayOutputStream out, int value) {
		out.write(value >>> 8);
		out.write(value & 0xff);
	}

	private static void u24(ByteArrayOutputStream out, int value) {
		out.write(value >>> 16);
		u16(out, value & 0xffff);
	}

}
