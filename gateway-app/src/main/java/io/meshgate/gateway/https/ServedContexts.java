package io.meshgate.gateway.https;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import reactor.netty.tcp.SslProvider;

/**
 * The TLS contexts one served certificate is offered with: without a client certificate request,
 * and one for each {@link ClientTrust} some SNI name pairs it with. Contexts are built when the
 * SNI table is rebuilt (off the event loop), never during a handshake, and dropped with the
 * requirement they were built for.
 */
final class ServedContexts {

	@FunctionalInterface
	interface Factory {

		/** @param trust the client-certificate requirement; null for none */
		SslContext build(ClientTrust trust) throws SSLException;

	}

	private final Factory factory;

	private final SslProvider plain;

	private final Map<ClientTrust, SslProvider> withTrust = new ConcurrentHashMap<>();

	ServedContexts(Factory factory) throws SSLException {
		this.factory = factory;
		this.plain = SslProvider.builder().sslContext(factory.build(null)).build();
	}

	/** The provider for handshakes under {@code trust} (null: none); null when no context could be built. */
	SslProvider provider(ClientTrust trust) {
		if (trust == null) {
			return plain;
		}
		return withTrust.computeIfAbsent(trust, this::build);
	}

	/** Keeps only the contexts of requirements still in use. */
	void retain(Collection<ClientTrust> live) {
		withTrust.keySet().retainAll(live);
	}

	private SslProvider build(ClientTrust trust) {
		try {
			return SslProvider.builder().sslContext(factory.build(trust)).build();
		}
		catch (SSLException | RuntimeException ex) {
			throw new IllegalStateException("no TLS context for " + trust.name() + ": " + ex.getClass().getSimpleName(), ex);
		}
	}

}
