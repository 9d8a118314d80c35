package io.meshgate.gateway.https;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLHandshakeException;

import io.netty.util.AsyncMapping;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.tcp.SslProvider;

import io.meshgate.policy.security.peer.ClientCertificateHosts;

/**
 * The certificates the HTTPS listener serves, chosen by SNI for each new handshake. Sources (the
 * Kubernetes controller, one per Secret or Gateway, …) each give their whole set with
 * {@link #replace}; every certificate is checked on its own and a refused one never affects the
 * others. Connections already open keep the certificate they were made with.
 *
 * <p>Selection: an exact host name, then a wildcard of one label ({@code *.example.com} for
 * {@code shop.example.com}, not for {@code a.shop.example.com}), then a default certificate (one
 * without host names), then the {@code meshgate.https.bundle}. Without any, the handshake fails.
 * When two certificates claim one name, the source first in alphabetical order wins, and within a
 * source the first in its list.
 *
 * <p>Client certificates are asked for by SNI name too, chosen the same way but on their own: the
 * requirements of {@code meshgate.https.hosts}, then those sources give with their certificates
 * (a Gateway's frontend validation, for its listener's host name), then
 * {@code meshgate.https.client-certificate}, then that of a source's default certificate.
 */
public class HttpsCertificates implements ClientCertificateHosts {

	private static final Log log = LogFactory.getLog(HttpsCertificates.class);

	private final Clock clock;

	private final TlsProfile tls;

	/** Source → its accepted certificates; guarded by {@code this}. */
	private final Map<String, List<LoadedCertificate>> sources = new TreeMap<>();

	private volatile LoadedCertificate bundle;

	private final ClientCertificateMetrics metrics;

	/** Source → the client-certificate requirements of its certificates; guarded by {@code this}. */
	private final Map<String, List<HostTrust>> sourceTrusts = new TreeMap<>();

	/** {@code meshgate.https.hosts}, then the listener default (no host names); guarded by {@code this}. */
	private List<HostTrust> configuredTrusts = List.of();

	private volatile SniTable table = SniTable.build(List.of(), null, HostTable.empty());

	private volatile int listenerPort = -1;

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	/** Serves the default TLS versions and cipher suites ({@link TlsProfile#DEFAULT}). */
	public HttpsCertificates(Clock clock) {
		this(clock, TlsProfile.DEFAULT, ClientCertificateMetrics.NONE);
	}

	HttpsCertificates(Clock clock, TlsProfile tls) {
		this(clock, tls, ClientCertificateMetrics.NONE);
	}

	HttpsCertificates(Clock clock, TlsProfile tls, ClientCertificateMetrics metrics) {
		this.clock = Objects.requireNonNull(clock, "clock");
		this.tls = Objects.requireNonNull(tls, "tls");
		this.metrics = Objects.requireNonNull(metrics, "metrics");
	}

	ClientCertificateMetrics metrics() {
		return metrics;
	}

	/** The TLS versions and cipher suites every certificate here is served with. */
	TlsProfile tls() {
		return tls;
	}

	/**
	 * Replaces every certificate previously given under this source; an empty list removes them.
	 * Parses PEM and signs a probe, so call it off the event loop. A name given twice in one call
	 * keeps the first; the second is refused under that name.
	 * @return the refused ones: name → reason (never containing key material)
	 */
	public Map<String, String> replace(String source, List<ServerCertificate> certificates) {
		Objects.requireNonNull(source, "source");
		Objects.requireNonNull(certificates, "certificates");
		if (source.isBlank() || source.startsWith(LoadedCertificate.BUNDLE_SOURCE)) {
			throw new IllegalArgumentException(
					"source: '" + source + "' (expected: not blank, not starting with " + LoadedCertificate.BUNDLE_SOURCE + ")");
		}
		Map<String, String> refused = new LinkedHashMap<>();
		List<LoadedCertificate> accepted = new ArrayList<>();
		List<HostTrust> trusts = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (ServerCertificate certificate : certificates) {
			Objects.requireNonNull(certificate, "certificates[]");
			if (!names.add(certificate.name())) {
				refused.put(certificate.name(), "name: " + certificate.name() + " (expected: unique within the source)");
				continue;
			}
			// kept even when the certificate is refused: its host names stay guarded
			if (certificate.clientCertificate() != null) {
				trusts.add(new HostTrust(certificate.hostnames(), loadOrRefuseAll(certificate, refused)));
			}
			try {
				accepted.add(LoadedCertificate.load(source, certificate, clock.instant(), tls));
			}
			catch (IllegalArgumentException ex) {
				refused.put(certificate.name(), ex.getMessage());
			}
			catch (RuntimeException ex) {
				// not a message: it could quote what it failed to read
				refused.put(certificate.name(), "certificateChainPem: not usable (expected: a certificate and key a TLS server can use; "
						+ ex.getClass().getSimpleName() + ")");
			}
		}
		synchronized (this) {
			if (accepted.isEmpty()) {
				sources.remove(source);
			}
			else {
				sources.put(source, List.copyOf(accepted));
			}
			if (trusts.isEmpty()) {
				sourceTrusts.remove(source);
			}
			else {
				sourceTrusts.put(source, List.copyOf(trusts));
			}
			rebuild();
		}
		refused.forEach((name, reason) -> log.warn("HTTPS certificate " + name + " of " + source + " refused: " + reason));
		log.info("HTTPS certificates of " + source + ": " + accepted.size() + " served, " + refused.size() + " refused");
		return refused;
	}

	/**
	 * A requirement that cannot be loaded (its CA ConfigMap missing, no certificate in it) refuses
	 * every client certificate: the host it guards is never served without the check it asked for.
	 */
	private ClientTrust loadOrRefuseAll(ServerCertificate certificate, Map<String, String> refused) {
		try {
			return ClientTrust.load(certificate.name(), certificate.clientCertificate(), metrics);
		}
		catch (IllegalArgumentException ex) {
			refused.put(certificate.name() + " clientCertificate", ex.getMessage()
					+ "; every client certificate is refused for its host names");
			return ClientTrust.refusingAll(certificate.name(), certificate.clientCertificate(), metrics);
		}
	}

	/**
	 * The listener's own requirements ({@code meshgate.https.client-certificate} and
	 * {@code meshgate.https.hosts}), loaded now: reads files, so off the event loop.
	 * @throws IllegalArgumentException naming the key of a requirement that cannot be loaded
	 */
	void configure(ClientCertificate listenerDefault, List<HttpsProperties.Host> hosts) {
		List<HostTrust> loaded = new ArrayList<>();
		for (int i = 0; i < hosts.size(); i++) {
			String key = "meshgate.https.hosts[" + i + "].client-certificate";
			loaded.add(new HostTrust(hosts.get(i).hostnames(), loadConfigured(key, hosts.get(i).clientCertificate())));
		}
		if (listenerDefault != null) {
			loaded.add(new HostTrust(List.of(), loadConfigured("meshgate.https.client-certificate", listenerDefault)));
		}
		synchronized (this) {
			configuredTrusts = List.copyOf(loaded);
			rebuild();
		}
	}

	private ClientTrust loadConfigured(String key, ClientCertificate policy) {
		try {
			return ClientTrust.load(key, policy, metrics);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(key + "." + ex.getMessage(), ex);
		}
	}

	/**
	 * Reloads the listener's own requirements whose CA file changed. A file that cannot be used
	 * leaves the previous CAs in service. Reads files: off the event loop.
	 * @return how many were reloaded
	 */
	int reloadChangedCaFiles() {
		List<HostTrust> current;
		synchronized (this) {
			current = configuredTrusts;
		}
		List<HostTrust> next = new ArrayList<>(current.size());
		int reloaded = 0;
		for (HostTrust entry : current) {
			ClientTrust trust = entry.trust();
			if (trust.changed()) {
				try {
					trust = ClientTrust.load(trust.name(), trust.policy(), metrics);
					reloaded++;
					log.info(trust.name() + ".ca-certificates reloaded");
				}
				catch (IllegalArgumentException ex) {
					log.warn(trust.name() + ".ca-certificates not reloaded, the previous CAs stay in use: " + ex.getMessage());
				}
			}
			next.add(new HostTrust(entry.hostnames(), trust));
		}
		if (reloaded > 0) {
			synchronized (this) {
				if (configuredTrusts == current) {
					configuredTrusts = List.copyOf(next);
					rebuild();
				}
			}
		}
		return reloaded;
	}

	/** The HTTPS listener's port, once it is bound: the misdirected-request check applies there. */
	void listening(int port) {
		this.listenerPort = port;
	}

	@Override
	public boolean misdirected(int localPort, String serverName, String host) {
		SniTable current = table;
		return localPort == listenerPort && !current.trusts().isEmpty()
				&& current.trust(serverName) != current.trust(host);
	}

	/** Every certificate served, in selection order: by source, then as given; the bundle last. */
	public List<CertificateView> list() {
		return table.served().stream().map(LoadedCertificate::view).toList();
	}

	/** Every client-certificate requirement, in selection order: the listener's own, then by source. */
	public synchronized List<ClientCertificateView> clientCertificates() {
		List<HostTrust> all = new ArrayList<>(configuredTrusts);
		sourceTrusts.values().forEach(all::addAll);
		return all.stream().map(entry -> entry.trust().view(entry.hostnames())).toList();
	}

	/** The {@code meshgate.https.bundle} certificate, served when nothing else fits; null for none. */
	synchronized void bundle(LoadedCertificate certificate) {
		this.bundle = certificate;
		rebuild();
	}

	/** The certificate a handshake with this SNI name (null: none sent) gets; null when none fits. */
	LoadedCertificate select(String hostname) {
		return table.select(hostname).certificate();
	}

	/** For Reactor Netty's SNI handler: the provider of each new handshake's certificate. */
	AsyncMapping<String, SslProvider> sniMapping() {
		return (hostname, promise) -> {
			SniTable.Handshake handshake = table.select(hostname);
			if (handshake.certificate() == null) {
				return promise.setFailure(new SSLHandshakeException(hostname == null
						? "no certificate for clients without SNI (no default certificate, no meshgate.https.bundle)"
						: "no certificate for " + hostname + " (no default certificate, no meshgate.https.bundle)"));
			}
			return handshake.provider() == null
					? promise.setFailure(new SSLHandshakeException("no TLS context for " + handshake.certificate().name()))
					: promise.setSuccess(handshake.provider());
		};
	}

	/** Runs after every change of the certificates served. */
	void onChange(Runnable listener) {
		listeners.add(listener);
	}

	private void rebuild() {
		List<LoadedCertificate> all = new ArrayList<>();
		sources.values().forEach(all::addAll);
		HostTable.Builder<ClientTrust> trusts = new HostTable.Builder<>();
		configuredTrusts.forEach(entry -> trusts.add(entry.hostnames(), entry.trust()));
		sourceTrusts.values().forEach(entries -> entries.forEach(entry -> trusts.add(entry.hostnames(), entry.trust())));
		this.table = SniTable.build(all, bundle, trusts.build());
		listeners.forEach(Runnable::run);
	}

	/** A client-certificate requirement for host names; none: the default. */
	private record HostTrust(List<String> hostnames, ClientTrust trust) {

	}

}
