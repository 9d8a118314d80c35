package io.meshgate.policy.security.peer;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.PeerIdentity;

/**
 * What a TLS session says about every request on it, derived at its first request and kept in the
 * session ({@link SSLSession#putValue}): the SNI name the client asked for, and the identity of the
 * client certificate the handshake verified with its {@code x-forwarded-client-cert} element. A
 * peer certificate is present only when the server's trust manager accepted it: the listener asked
 * for one and verified it against its CAs, else the handshake failed.
 *
 * @param serverName the SNI name, lower case; null when the client sent none
 * @param peer the verified client certificate's identity; null without one
 * @param xfcc the {@code x-forwarded-client-cert} element for {@code peer}; null without one
 * @param identity {@code peer} as a request's whole identity, before anything else is verified
 * (the usual case at the edge): no allocation per request; null without a peer
 */
record PeerConnection(String serverName, PeerIdentity peer, String xfcc, Identity identity) {

	static final String SESSION_KEY = "io.meshgate.policy.security.peer.PeerConnection";

	static PeerConnection of(SSLSession session) {
		if (session.getValue(SESSION_KEY) instanceof PeerConnection known) {
			return known;
		}
		PeerConnection derived = derive(session);
		session.putValue(SESSION_KEY, derived);
		return derived;
	}

	private static PeerConnection derive(SSLSession session) {
		String serverName = serverName(session);
		X509Certificate client = first(peerCertificates(session));
		if (client == null) {
			return new PeerConnection(serverName, null, null, null);
		}
		PeerIdentity peer = PeerCertificates.identity(client);
		X509Certificate served = first(session.getLocalCertificates());
		List<String> by = served == null ? List.of() : PeerCertificates.uriSans(served);
		return new PeerConnection(serverName, peer, XfccHeader.of(by, peer), Identity.ANONYMOUS.withPeer(peer));
	}

	private static Certificate[] peerCertificates(SSLSession session) {
		try {
			return session.getPeerCertificates();
		}
		catch (SSLPeerUnverifiedException none) {
			return null;
		}
	}

	private static X509Certificate first(Certificate[] certificates) {
		return certificates != null && certificates.length > 0 && certificates[0] instanceof X509Certificate x509
				? x509 : null;
	}

	private static String serverName(SSLSession session) {
		if (session instanceof ExtendedSSLSession extended) {
			for (SNIServerName name : extended.getRequestedServerNames()) {
				if (name instanceof SNIHostName host) {
					return host.getAsciiName().toLowerCase(Locale.ROOT);
				}
			}
		}
		return null;
	}

}
