package io.meshgate.policy.upstream.state;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

import io.meshgate.policy.tls.UpstreamTls;
import io.meshgate.policy.upstream.UpstreamRuntime;
import io.meshgate.policy.upstream.state.UpstreamStateContributor;

/**
 * The TLS mode and the certificates' subjects and expiry in {@code /actuator/mesh}; never keys.
 */
public final class TlsStateContributor implements UpstreamStateContributor {

	@Override
	public String name() {
		return "tls";
	}

	@Override
	public Map<String, Object> upstreamState(UpstreamRuntime upstream) {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("mode", upstream.spec().tls().mode().name());
		UpstreamTls tls = upstream.tls();
		if (tls != null) {
			state.put("subjectAltNames", tls.policy().subjectAltNames());
			state.put("clientCertificate", describe(tls.clientCertificate()));
			state.put("serverCertificate", describe(tls.serverCertificate()));
		}
		return state;
	}

	private static Map<String, Object> describe(X509Certificate certificate) {
		if (certificate == null) {
			return null;
		}
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("subject", certificate.getSubjectX500Principal().getName());
		description.put("issuer", certificate.getIssuerX500Principal().getName());
		description.put("notAfter", certificate.getNotAfter().toInstant().toString());
		return description;
	}

}
