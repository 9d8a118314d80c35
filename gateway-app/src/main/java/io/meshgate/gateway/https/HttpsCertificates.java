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
 */
public class HttpsCertificates {

	private static final Log log = LogFactory.getLog(HttpsCertificates.class);

	private final Clock clock;

	private final TlsProfile tls;

	/** Source → its accepted certificates; guarded by {@code this}. */
	private final Map<String, List<LoadedCertificate>> sources = new TreeMap<>();

	private volatile LoadedCertificate bundle;

	private volatile SniTable table = SniTable.build(List.of(), null);

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	/** Serves the default TLS versions and cipher suites ({@link TlsProfile#DEFAULT}). */
	public HttpsCertificates(Clock clock) {
		this(clock, TlsProfile.DEFAULT);
	}

	HttpsCertificates(Clock clock, TlsProfile tls) {
		this.clock = Objects.requireNonNull(clock, "clock");
		this.tls = Objects.requireNonNull(tls, "tls");
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
		Set<String> names = new HashSet<>();
		for (ServerCertificate certificate : certificates) {
			Objects.requireNonNull(certificate, "certificates[]");
			if (!names.add(certificate.name())) {
				refused.put(certificate.name(), "name: " + certificate.name() + " (expected: unique within the source)");
				continue;
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
			rebuild();
		}
		refused.forEach((name, reason) -> log.warn("HTTPS certificate " + name + " of " + source + " refused: " + reason));
		log.info("HTTPS certificates of " + source + ": " + accepted.size() + " served, " + refused.size() + " refused");
		return refused;
	}

	/** Every certificate served, in selection order: by source, then as given; the bundle last. */
	public List<CertificateView> list() {
		return table.served().stream().map(LoadedCertificate::view).toList();
	}

	/** The {@code meshgate.https.bundle} certificate, served when nothing else fits; null for none. */
	synchronized void bundle(LoadedCertificate certificate) {
		this.bundle = certificate;
		rebuild();
	}

	/** The certificate a handshake with this SNI name (null: none sent) gets; null when none fits. */
	LoadedCertificate select(String hostname) {
		return table.select(hostname);
	}

	/** For Reactor Netty's SNI handler: the provider of each new handshake's certificate. */
	AsyncMapping<String, SslProvider> sniMapping() {
		return (hostname, promise) -> {
			LoadedCertificate certificate = select(hostname);
			return certificate == null
					? promise.setFailure(new SSLHandshakeException(hostname == null
							? "no certificate for clients without SNI (no default certificate, no meshgate.https.bundle)"
							: "no certificate for " + hostname + " (no default certificate, no meshgate.https.bundle)"))
					: promise.setSuccess(certificate.provider());
		};
	}

	/** Runs after every change of the certificates served. */
	void onChange(Runnable listener) {
		listeners.add(listener);
	}

	private void rebuild() {
		List<LoadedCertificate> all = new ArrayList<>();
		sources.values().forEach(all::addAll);
		this.table = SniTable.build(all, bundle);
		listeners.forEach(Runnable::run);
	}

}
