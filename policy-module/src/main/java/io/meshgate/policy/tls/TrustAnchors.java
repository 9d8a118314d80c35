package io.meshgate.policy.tls;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust manager over given CA certificates only (never the JVM's trust store): the
 * chain checks both sides of Meshgate's TLS start from, upstream servers' certificates and the
 * HTTPS listener's client certificates.
 */
public final class TrustAnchors {

	private TrustAnchors() {
	}

	/** @throws IllegalArgumentException {@code field: cannot build a trust store (…)} */
	public static X509ExtendedTrustManager pkix(String field, List<X509Certificate> cas) {
		try {
			KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			for (int i = 0; i < cas.size(); i++) {
				store.setCertificateEntry("ca-" + i, cas.get(i));
			}
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(store);
			for (TrustManager manager : factory.getTrustManagers()) {
				if (manager instanceof X509ExtendedTrustManager x509) {
					return x509;
				}
			}
			throw new IllegalStateException("no X509ExtendedTrustManager");
		}
		catch (Exception ex) {
			throw new IllegalArgumentException(field + ": cannot build a trust store (" + ex + ")", ex);
		}
	}

}
