package io.meshgate.gateway.kubernetes;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * What a BackendTLSPolicy's {@code validation} trusts, or why it cannot be used, with the reasons
 * Gateway API v1 gives for its status:
 * <ul>
 * <li>a {@code caCertificateRefs} entry of another kind than a core ConfigMap is
 * {@code ResolvedRefs=False InvalidKind}; a ConfigMap that does not exist, lacks {@code ca.crt} or
 * holds no PEM certificate there is {@code ResolvedRefs=False InvalidCACertificateRef}; the valid
 * entries are still used, and when none is valid the policy is {@code Accepted=False NoValidCACertificate};</li>
 * <li>{@code wellKnownCACertificates} other than {@code System}, or set together with
 * {@code caCertificateRefs}, or neither set, is {@code Accepted=False Invalid}.</li>
 * </ul>
 * A policy that is not accepted is still the one its Service uses (no other policy steps in):
 * requests to the Service fail with 500, as the specification asks of a connection that cannot
 * be verified.
 *
 * @param caPem the PEM certificates to trust; null when the policy cannot be used
 * @param acceptedReason null when accepted, else the {@code Accepted=False} reason
 * @param refsReason null when every reference resolved, else the {@code ResolvedRefs=False} reason
 * @param message what is wrong, naming the references; empty when nothing is
 */
public record BackendTlsValidation(String caPem, String acceptedReason, String refsReason, String message) {

	private static final String CA_KEY = "ca.crt";

	public static BackendTlsValidation of(BackendTlsPolicy policy, ClusterSnapshot cluster) {
		String wellKnown = policy.wellKnownCaCertificates() == null || policy.wellKnownCaCertificates().isEmpty() ? null
				: policy.wellKnownCaCertificates();
		if (wellKnown != null || policy.caCertificateRefs().isEmpty()) {
			if (!"System".equals(wellKnown) || !policy.caCertificateRefs().isEmpty()) {
				return new BackendTlsValidation(null, "Invalid", null, "validation.wellKnownCACertificates: " + wellKnown
						+ " (expected: System, or caCertificateRefs instead, not both)");
			}
			return new BackendTlsValidation(SystemCaCertificates.pem(), null, null, "");
		}
		List<String> pems = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		String refsReason = null;
		for (int i = 0; i < policy.caCertificateRefs().size(); i++) {
			BackendTlsPolicy.CaRef ref = policy.caCertificateRefs().get(i);
			String where = "validation.caCertificateRefs[" + i + "]";
			if (!ref.isConfigMap()) {
				refsReason = refsReason == null ? "InvalidKind" : refsReason;
				problems.add(where + ": " + (ref.group() == null ? "" : ref.group()) + "/" + ref.kind()
						+ " (expected: a core ConfigMap)");
				continue;
			}
			String pem = cluster.data("ConfigMap", policy.namespace(), ref.name()).map(data -> data.get(CA_KEY)).orElse(null);
			if (pem == null || !holdsCertificates(pem)) {
				refsReason = refsReason == null ? "InvalidCACertificateRef" : refsReason;
				problems.add(where + ": ConfigMap " + ref.name() + " (expected: one in " + policy.namespace()
						+ " with PEM certificates under " + CA_KEY + ")");
				continue;
			}
			pems.add(pem);
		}
		String message = String.join("; ", problems);
		if (pems.isEmpty()) {
			return new BackendTlsValidation(null, "NoValidCACertificate", refsReason, message);
		}
		return new BackendTlsValidation(String.join("\n", pems), null, refsReason, message);
	}

	public boolean usable() {
		return caPem != null;
	}

	private static boolean holdsCertificates(String pem) {
		try {
			return !CertificateFactory.getInstance("X.509")
				.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)))
				.isEmpty();
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			return false;
		}
	}

}
