package io.meshgate.gateway.https;

import java.net.Socket;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import io.meshgate.gateway.https.ClientCertificateMetrics.Outcome;
import io.meshgate.policy.security.peer.PeerCertificates;
import io.meshgate.policy.tls.TrustAnchors;

/**
 * Verifies a client's certificate chain: the JDK's PKIX trust manager over the configured CAs
 * (signature, validity, basic constraints, key usage, {@code clientAuth} extended key usage when
 * present), then, when {@code subjectAltNames} are listed, an exact match of one of them with a
 * URI or DNS SAN of the leaf. Every check is counted by outcome. With no CAs it trusts nothing:
 * a listener whose CAs could not be loaded refuses every certificate rather than skip the check.
 */
final class ClientTrustManager extends X509ExtendedTrustManager {

	private final X509ExtendedTrustManager pkix;

	private final List<String> subjectAltNames;

	private final ClientCertificateMetrics metrics;

	ClientTrustManager(List<X509Certificate> cas, List<String> subjectAltNames, ClientCertificateMetrics metrics) {
		this.pkix = cas.isEmpty() ? null : TrustAnchors.pkix("caCertificates", cas);
		this.subjectAltNames = List.copyOf(subjectAltNames);
		this.metrics = metrics;
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		check(chain, () -> pkix.checkClientTrusted(chain, authType, engine));
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		check(chain, () -> pkix.checkClientTrusted(chain, authType, socket));
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		check(chain, () -> pkix.checkClientTrusted(chain, authType));
	}

	private void check(X509Certificate[] chain, Check pkixCheck) throws CertificateException {
		if (pkix == null) {
			metrics.count(Outcome.UNTRUSTED);
			throw new CertificateException("no CA certificates to verify client certificates with");
		}
		try {
			pkixCheck.run();
		}
		catch (CertificateException ex) {
			metrics.count(expired(ex) ? Outcome.EXPIRED : Outcome.UNTRUSTED);
			throw ex;
		}
		if (!subjectAltNames.isEmpty() && !listed(chain[0])) {
			metrics.count(Outcome.SUBJECT_ALT_NAME);
			throw new CertificateException("client certificate carries none of the accepted subjectAltNames");
		}
		metrics.count(Outcome.VERIFIED);
	}

	private boolean listed(X509Certificate leaf) {
		for (String uri : PeerCertificates.uriSans(leaf)) {
			if (subjectAltNames.contains(uri)) {
				return true;
			}
		}
		for (String dns : PeerCertificates.dnsSans(leaf)) {
			if (subjectAltNames.contains(dns)) {
				return true;
			}
		}
		return false;
	}

	private static boolean expired(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof CertificateExpiredException || cause instanceof CertificateNotYetValidException
					|| cause instanceof CertPathValidatorException path
							&& (path.getReason() == BasicReason.EXPIRED || path.getReason() == BasicReason.NOT_YET_VALID)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		checkServerTrusted(chain, authType);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		checkServerTrusted(chain, authType);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		throw new CertificateException("the HTTPS listener's client trust manager does not check servers");
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return pkix == null ? new X509Certificate[0] : pkix.getAcceptedIssuers();
	}

	@FunctionalInterface
	private interface Check {

		void run() throws CertificateException;

	}

}
