package io.meshgate.policy.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts a server certificate that chains to the upstream's CAs (the JDK's PKIX checks) and, when
 * the policy names {@code subjectAltNames}, carries one of them as a DNS or URI SAN (SPIFFE IDs
 * such as {@code spiffe://cluster.local/ns/shop/sa/orders}): URIs exactly, DNS names ignoring case
 * and with a wildcard on either side standing for one label. A mismatch fails the handshake with
 * a message naming what was found and what was expected, and calls {@code onFailure}.
 */
final class SubjectAltNameTrustManager extends X509ExtendedTrustManager {

	private static final int DNS = 2;

	private static final int URI = 6;

	private final X509TrustManager chain;

	private final List<String> expected;

	private final Runnable onFailure;

	private volatile X509Certificate lastServerCertificate;

	SubjectAltNameTrustManager(List<X509Certificate> cas, List<String> expected, Runnable onFailure) {
		this.chain = TrustAnchors.pkix("tls.caCertificates", cas);
		this.expected = expected;
		this.onFailure = onFailure;
	}

	@Override
	public void checkServerTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
		try {
			chain.checkServerTrusted(certificates, authType);
			checkSubjectAltNames(certificates[0]);
			lastServerCertificate = certificates[0];
		}
		catch (CertificateException ex) {
			onFailure.run();
			throw ex;
		}
	}

	@Override
	public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket)
			throws CertificateException {
		checkServerTrusted(certificates, authType);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
			throws CertificateException {
		checkServerTrusted(certificates, authType);
	}

	private void checkSubjectAltNames(X509Certificate certificate) throws CertificateException {
		if (expected.isEmpty()) {
			return;
		}
		List<String> found = subjectAltNames(certificate);
		for (String name : found) {
			for (String wanted : expected) {
				if (matches(wanted, name)) {
					return;
				}
			}
		}
		throw new CertificateException(
				"server certificate subjectAltNames " + found + " match none of " + expected);
	}

	/** A URI (it has a scheme) matches exactly; a DNS name as {@link ServerName#dnsMatches} says. */
	private static boolean matches(String wanted, String found) {
		boolean uri = wanted.contains(":");
		return uri ? wanted.equals(found) : !found.contains(":") && ServerName.dnsMatches(wanted, found);
	}

	static List<String> subjectAltNames(X509Certificate certificate) throws CertificateParsingException {
		List<String> names = new ArrayList<>();
		Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
		if (entries != null) {
			for (List<?> entry : entries) {
				int type = (Integer) entry.get(0);
				if (type == DNS || type == URI) {
					names.add(String.valueOf(entry.get(1)));
				}
			}
		}
		return names;
	}

	/** The last server certificate that passed, for the actuator (subject and expiry). */
	X509Certificate lastServerCertificate() {
		return lastServerCertificate;
	}

	@Override
	public void checkClientTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
		throw new CertificateException("the gateway's client trust manager does not check clients");
	}

	@Override
	public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket)
			throws CertificateException {
		checkClientTrusted(certificates, authType);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
			throws CertificateException {
		checkClientTrusted(certificates, authType);
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return chain.getAcceptedIssuers();
	}

}
