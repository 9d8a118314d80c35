package io.meshgate.policy.testing;

import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * An HTTPS server on loopback that requires a client certificate from {@code ca} and answers
 * with the subject of the certificate the client presented.
 */
public final class TlsUpstream implements AutoCloseable {

	private final DisposableServer server;

	private TlsUpstream(TestPki.Issued identity, X509Certificate ca) {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.secure(spec -> {
				try {
					spec.sslContext(SslContextBuilder.forServer(identity.privateKey(), identity.certificate())
						.trustManager(ca)
						.clientAuth(ClientAuth.REQUIRE)
						.build());
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			})
			.handle((request, response) -> {
				AtomicReference<String> client = new AtomicReference<>("none");
				request.withConnection(connection -> {
					SslHandler ssl = connection.channel().pipeline().get(SslHandler.class);
					try {
						Certificate[] peer = ssl.engine().getSession().getPeerCertificates();
						client.set(((X509Certificate) peer[0]).getSubjectX500Principal().getName());
					}
					catch (Exception ex) {
						client.set("unverified");
					}
				});
				byte[] body = client.get().getBytes(StandardCharsets.UTF_8);
				return response.header("Content-Length", String.valueOf(body.length)).sendByteArray(Mono.just(body));
			})
			.bindNow(Duration.ofSeconds(10));
	}

	public static TlsUpstream start(TestPki.Issued identity, X509Certificate ca) {
		return new TlsUpstream(identity, ca);
	}

	public String httpsUrl() {
		return "https://127.0.0.1:" + server.port();
	}

	@Override
	public void close() {
		server.disposeNow(Duration.ofSeconds(5));
	}

}
