package io.meshgate.policy.tls;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

/**
 * One upstream's TLS: its material, the HTTP client that presents and verifies it, and the
 * watch that reloads it. Every {@code checkInterval} the PEM files' sizes and times are compared
 * (off the event loop); when they changed, the new material is loaded and checked, and a new
 * client replaces the old one, so new connections use the new certificate while connections in
 * flight finish on the old. Material that fails its checks is refused, logged and counted, and
 * the previous material stays in use.
 */
public final class UpstreamTls implements AutoCloseable {

	private static final Log log = LogFactory.getLog(UpstreamTls.class);

	private final String upstream;

	private final TlsPolicy policy;

	private final HttpClient base;

	private final Clock clock;

	private final Counter handshakeFailures;

	private final Counter reloadFailures;

	private volatile TlsMaterial material;

	private volatile SubjectAltNameTrustManager trust;

	private volatile HttpClient client;

	private Disposable watch;

	/**
	 * Loads and checks the material; throws {@link IllegalArgumentException} naming the field
	 * when it is unreadable, mismatched or expired.
	 */
	UpstreamTls(String upstream, TlsPolicy policy, HttpClient base, Clock clock, Counter handshakeFailures,
			Counter reloadFailures) {
		this.upstream = upstream;
		this.policy = policy;
		this.base = base;
		this.clock = clock;
		this.handshakeFailures = handshakeFailures;
		this.reloadFailures = reloadFailures;
		use(TlsMaterial.load(policy, clock.instant()));
	}

	UpstreamTls watch(Duration checkInterval) {
		watch = Flux.interval(checkInterval, Schedulers.boundedElastic())
			.onBackpressureDrop()
			.subscribe(tick -> reloadIfChanged());
		return this;
	}

	void reloadIfChanged() {
		if (TlsMaterial.fingerprint(policy) == material.fingerprint()) {
			return;
		}
		try {
			use(TlsMaterial.load(policy, clock.instant()));
			X509Certificate certificate = material.certificate();
			log.info("Upstream " + upstream + ": TLS material reloaded" + (certificate == null ? ""
					: " (certificate " + certificate.getSubjectX500Principal() + ", valid to "
							+ certificate.getNotAfter() + ")"));
		}
		catch (RuntimeException ex) {
			reloadFailures.increment();
			log.error("Upstream " + upstream + ": new TLS material refused, the previous stays in use: "
					+ ex.getMessage());
		}
	}

	private void use(TlsMaterial loaded) {
		SubjectAltNameTrustManager trustManager = new SubjectAltNameTrustManager(loaded.caCertificates(),
				policy.subjectAltNames(), handshakeFailures::increment);
		SslContext context = context(loaded, trustManager, base.configuration().protocols());
		String sni = policy.serverName();
		boolean verifyHost = policy.subjectAltNames().isEmpty();
		this.client = base.secure(spec -> spec.sslContext(context).handlerConfigurator(handler -> {
			SSLParameters parameters = handler.engine().getSSLParameters();
			// with subjectAltNames the trust manager checks the identity; else the endpoint's host must match
			parameters.setEndpointIdentificationAlgorithm(verifyHost ? "HTTPS" : null);
			if (sni != null) {
				parameters.setServerNames(List.of(new SNIHostName(sni)));
			}
			handler.engine().setSSLParameters(parameters);
		}));
		this.trust = trustManager;
		this.material = loaded;
	}

	private static SslContext context(TlsMaterial material, SubjectAltNameTrustManager trustManager,
			HttpProtocol[] protocols) {
		try {
			SslContextBuilder builder = SslContextBuilder.forClient().trustManager(trustManager);
			List<String> alpn = alpn(protocols);
			if (!alpn.isEmpty()) {
				// HTTP/2 over TLS is chosen by ALPN, and forbids the TLS 1.2 ciphers RFC 9113 lists
				builder.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
					.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
							ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
							ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
			}
			if (material.privateKey() != null) {
				builder.keyManager(material.privateKey(), material.certificateChain().toArray(X509Certificate[]::new));
			}
			return builder.build();
		}
		catch (SSLException ex) {
			throw new IllegalArgumentException("tls: cannot build a TLS context (" + ex.getMessage() + ")", ex);
		}
	}

	/** The ALPN names to offer: none unless HTTP/2 is among the client's protocols. */
	private static List<String> alpn(HttpProtocol[] protocols) {
		boolean h2 = false;
		boolean http11 = false;
		for (HttpProtocol protocol : protocols) {
			h2 |= protocol == HttpProtocol.H2;
			http11 |= protocol == HttpProtocol.HTTP11;
		}
		return !h2 ? List.of()
				: http11 ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
						: List.of(ApplicationProtocolNames.HTTP_2);
	}

	/** The client for new connections to this upstream. */
	public HttpClient client() {
		return client;
	}

	public TlsPolicy policy() {
		return policy;
	}

	/** The gateway's client certificate (MUTUAL), or {@code null}. */
	public X509Certificate clientCertificate() {
		return material.certificate();
	}

	/** The last server certificate this upstream presented and passed the checks, or {@code null}. */
	public X509Certificate serverCertificate() {
		return trust.lastServerCertificate();
	}

	@Override
	public void close() {
		if (watch != null) {
			watch.dispose();
		}
	}

}
