package io.meshgate.gateway.https;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.tcp.SslProvider;

/**
 * What a handshake gets for its SNI name: a certificate (chosen by the certificates' host names)
 * and the client-certificate requirement (chosen by the requirements' host names, independently),
 * paired in one TLS context. Immutable, swapped whole when either changes, so that a handshake
 * never sees half an update; every pair's context is built here, never during a handshake.
 */
record SniTable(HostTable<Handshake> handshakes, HostTable<ClientTrust> trusts, List<LoadedCertificate> served) {

	private static final Log log = LogFactory.getLog(SniTable.class);

	/**
	 * @param provider the TLS context of the pair; null when none could be built or there is no
	 * certificate (the handshake fails)
	 */
	record Handshake(LoadedCertificate certificate, ClientTrust trust, SslProvider provider) {

	}

	/**
	 * @param certificates in priority order: the first to claim a name keeps it
	 * @param bundle the last resort certificate; null for none
	 */
	static SniTable build(List<LoadedCertificate> certificates, LoadedCertificate bundle, HostTable<ClientTrust> trusts) {
		HostTable.Builder<LoadedCertificate> byName = new HostTable.Builder<>();
		certificates.forEach(certificate -> byName.add(certificate.hostnames(), certificate));
		HostTable<LoadedCertificate> chosen = byName.fallback(bundle).build();
		Map<Pair, Handshake> pairs = new HashMap<>();
		Map<String, Handshake> exact = new HashMap<>();
		Set<String> names = new HashSet<>(chosen.exact().keySet());
		names.addAll(trusts.exact().keySet());
		for (String name : names) {
			exact.put(name, pair(chosen.select(name), trusts.select(name), pairs));
		}
		Map<String, Handshake> wildcards = new HashMap<>();
		Set<String> suffixes = new HashSet<>(chosen.wildcards().keySet());
		suffixes.addAll(trusts.wildcards().keySet());
		for (String suffix : suffixes) {
			wildcards.put(suffix, pair(chosen.wildcards().getOrDefault(suffix, chosen.fallback()),
					trusts.wildcards().getOrDefault(suffix, trusts.fallback()), pairs));
		}
		Handshake fallback = pair(chosen.fallback(), trusts.fallback(), pairs);
		List<LoadedCertificate> served = new ArrayList<>(certificates);
		if (bundle != null) {
			served.add(bundle);
		}
		Set<ClientTrust> live = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
		pairs.keySet().forEach(pair -> {
			if (pair.trust() != null) {
				live.add(pair.trust());
			}
		});
		served.forEach(certificate -> certificate.contexts().retain(live));
		return new SniTable(new HostTable<>(Map.copyOf(exact), Map.copyOf(wildcards), fallback), trusts,
				List.copyOf(served));
	}

	private static Handshake pair(LoadedCertificate certificate, ClientTrust trust, Map<Pair, Handshake> pairs) {
		return pairs.computeIfAbsent(new Pair(certificate, trust), pair -> {
			if (certificate == null) {
				return new Handshake(null, trust, null);
			}
			try {
				return new Handshake(certificate, trust, certificate.provider(trust));
			}
			catch (IllegalStateException ex) {
				log.warn("HTTPS certificate " + certificate.name() + " not served with " + trust + ": " + ex.getMessage());
				return new Handshake(certificate, trust, null);
			}
		});
	}

	/** Certificates and requirements compared by identity: a reload is a new one. */
	private record Pair(LoadedCertificate certificate, ClientTrust trust) {

		@Override
		public boolean equals(Object other) {
			return other instanceof Pair pair && pair.certificate == certificate && pair.trust == trust;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(certificate) * 31 + System.identityHashCode(trust);
		}

	}

	/** @param hostname the SNI name, or null when the client sent none */
	Handshake select(String hostname) {
		return handshakes.select(hostname);
	}

	/** The client-certificate requirement for a host name (SNI or request host); null for none. */
	ClientTrust trust(String hostname) {
		return trusts.select(hostname);
	}

}
