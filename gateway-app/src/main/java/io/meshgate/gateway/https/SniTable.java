package io.meshgate.gateway.https;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An immutable lookup from an SNI host name to a certificate, swapped whole when certificates
 * change so that a handshake never sees half an update.
 */
record SniTable(Map<String, LoadedCertificate> exact, Map<String, LoadedCertificate> wildcards,
		LoadedCertificate fallback, List<LoadedCertificate> served) {

	/** @param certificates in priority order: the first to claim a name keeps it */
	static SniTable build(List<LoadedCertificate> certificates, LoadedCertificate bundle) {
		Map<String, LoadedCertificate> exact = new HashMap<>();
		Map<String, LoadedCertificate> wildcards = new HashMap<>();
		LoadedCertificate fallback = null;
		for (LoadedCertificate certificate : certificates) {
			if (certificate.hostnames().isEmpty() && fallback == null) {
				fallback = certificate;
			}
			for (String hostname : certificate.hostnames()) {
				if (hostname.startsWith("*.")) {
					wildcards.putIfAbsent(hostname.substring(2), certificate);
				}
				else {
					exact.putIfAbsent(hostname, certificate);
				}
			}
		}
		List<LoadedCertificate> served = new ArrayList<>(certificates);
		if (bundle != null) {
			served.add(bundle);
		}
		return new SniTable(Map.copyOf(exact), Map.copyOf(wildcards), fallback != null ? fallback : bundle,
				List.copyOf(served));
	}

	/** @param hostname the SNI name, or null when the client sent none */
	LoadedCertificate select(String hostname) {
		if (hostname == null || hostname.isEmpty()) {
			return fallback;
		}
		String name = hostname.toLowerCase(Locale.ROOT);
		if (name.endsWith(".")) {
			name = name.substring(0, name.length() - 1);
		}
		LoadedCertificate match = exact.get(name);
		if (match == null) {
			int dot = name.indexOf('.');
			match = dot > 0 ? wildcards.get(name.substring(dot + 1)) : null;
		}
		return match != null ? match : fallback;
	}

}
