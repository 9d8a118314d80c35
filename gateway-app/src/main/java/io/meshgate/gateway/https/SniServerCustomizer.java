package io.meshgate.gateway.https;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;

import io.netty.handler.ssl.SslContext;
import reactor.netty.NettyPipeline;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

import io.meshgate.policy.edge.ExtendedConnect;
import io.meshgate.policy.l4.proxy.L4Proxy;
import org.springframework.util.unit.DataSize;

/**
 * Makes a Reactor Netty server the HTTPS listener: TLS with the certificate {@link HttpsCertificates}
 * picks for each handshake's SNI name, HTTP/2 and HTTP/1.1 over ALPN. Applied after Spring Boot's
 * own customizers, so it wins over {@code server.ssl} and {@code server.http2}.
 */
final class SniServerCustomizer implements NettyServerCustomizer {

	/**
	 * Reactor Netty wants a default context, but with an SNI mapping every handshake takes the
	 * mapping's; this one, with no key, is never used for one.
	 */
	private static final SslContext NO_CERTIFICATE = noCertificate();

	private final HttpsCertificates certificates;

	private final DataSize maxHeaderSize;

	/** TLS passthrough routes: reads the ClientHello's name before TLS is terminated; may be null. */
	private final L4Proxy l4;

	SniServerCustomizer(HttpsCertificates certificates, DataSize maxHeaderSize, L4Proxy l4) {
		this.certificates = certificates;
		this.maxHeaderSize = maxHeaderSize;
		this.l4 = l4;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		HttpServer secure = server
			.secure(spec -> spec.sslContext(NO_CERTIFICATE).setSniAsyncMappings(certificates.sniMapping()))
			.protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
			.doOnChannelInit((observer, channel, remote) -> {
				if (channel.pipeline().get(NettyPipeline.SslHandler) != null) {
					channel.pipeline().addAfter(NettyPipeline.SslHandler, HandshakeOutcomes.NAME, new HandshakeOutcomes(certificates.metrics()));
					if (l4 != null) {
						l4.onHttpsChannel(channel, NettyPipeline.SslHandler);
					}
				}
			});
		// Boot sets the HTTP/2 header limit only when server.http2.enabled; this listener always speaks h2
		HttpServer limited = maxHeaderSize == null ? secure
				: secure.http2Settings(settings -> settings.maxHeaderListSize(maxHeaderSize.toBytes()));
		// after its own HTTP/2 settings, which replace the ingress customizer's
		return ExtendedConnect.enable(limited);
	}

	private static SslContext noCertificate() {
		try {
			return Http2SslContextSpec.forServer(new NoKeys()).sslContext();
		}
		catch (SSLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static final class NoKeys extends X509ExtendedKeyManager {

		@Override
		public String[] getClientAliases(String keyType, Principal[] issuers) {
			return null;
		}

		@Override
		public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
			return null;
		}

		@Override
		public String[] getServerAliases(String keyType, Principal[] issuers) {
			return null;
		}

		@Override
		public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
			return null;
		}

		@Override
		public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
			return null;
		}

		@Override
		public X509Certificate[] getCertificateChain(String alias) {
			return null;
		}

		@Override
		public PrivateKey getPrivateKey(String alias) {
			return null;
		}

	}

}
