package io.meshgate.gateway.kubernetes;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The CAs the JVM trusts by default, as PEM: what a BackendTLSPolicy's
 * {@code wellKnownCACertificates: System} means. Read once; the JVM's trust store does not change
 * while it runs.
 */
final class SystemCaCertificates {

	private static volatile String pem;

	private SystemCaCertificates() {
	}

	static String pem() {
		String result = pem;
		if (result == null) {
			result = read();
			pem = result;
		}
		return result;
	}

	private static String read() {
		try {
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init((KeyStore) null);
			Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] { '\n' });
			StringBuilder pem = new StringBuilder();
			for (X509Certificate ca : Stream.of(factory.getTrustManagers())
				.filter(X509TrustManager.class::isInstance)
				.flatMap(manager -> Stream.of(((X509TrustManager) manager).getAcceptedIssuers()))
				.collect(Collectors.toList())) {
				pem.append("-----BEGIN CERTIFICATE-----\n")
					.append(base64.encodeToString(ca.getEncoded()))
					.append("\n-----END CERTIFICATE-----\n");
			}
			return pem.toString();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The JVM's trusted CA certificates cannot be read", ex);
		}
	}

}
