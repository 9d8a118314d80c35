package io.meshgate.gateway.https;

/**
 * Refuses TLS renegotiation that a client starts (TLS 1.2 and older; TLS 1.3 has none): each one
 * makes the server redo a full handshake, a cheap way for a client to burn the gateway's CPU, and
 * nothing Meshgate serves needs it. The JDK's TLS server reads
 * {@code jdk.tls.rejectClientInitiatedRenegotiation} once per JVM, at its first server handshake,
 * so {@link #refuse()} must run before any TLS server in the JVM answers a client:
 * {@code MeshgateApplication} calls it before Spring starts. An explicit
 * {@code -Djdk.tls.rejectClientInitiatedRenegotiation=false} is left as it is (the opt-out).
 */
public final class ClientRenegotiation {

	static final String PROPERTY = "jdk.tls.rejectClientInitiatedRenegotiation";

	private ClientRenegotiation() {
	}

	public static void refuse() {
		if (System.getProperty(PROPERTY) == null) {
			System.setProperty(PROPERTY, "true");
		}
	}

}
