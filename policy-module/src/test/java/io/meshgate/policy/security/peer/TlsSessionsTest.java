package io.meshgate.policy.security.peer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection's TLS is looked for in its pipeline once, at its first request, and kept with the
 * connection: later requests read the channel attribute, never the pipeline.
 */
class TlsSessionsTest {

	@Test
	void aPlainConnectionIsLookedAtOnceAndStaysPlain() {
		EmbeddedChannel channel = new EmbeddedChannel();

		assertThat(TlsSessions.of(channel)).isNull();
		// the pipeline is not looked at again: what the first request found stands
		channel.pipeline().addLast(new SslHandler(serverEngine()));
		assertThat(TlsSessions.of(channel)).isNull();
		channel.finishAndReleaseAll();
	}

	@Test
	void aTlsConnectionKeepsWhatItsSessionSaysWithoutWalkingThePipelineAgain() throws Exception {
		SslHandler ssl = new SslHandler(serverEngine());
		EmbeddedChannel channel = new EmbeddedChannel(ssl);

		PeerConnection first = TlsSessions.of(channel);
		assertThat(first).isNotNull();
		assertThat(first.peer()).isNull();
		// found through the handler kept with the connection, not through the pipeline
		channel.pipeline().addFirst("before-tls", new io.netty.channel.ChannelInboundHandlerAdapter());
		channel.pipeline().remove(ssl);
		assertThat(TlsSessions.of(channel)).isSameAs(first);
		channel.finishAndReleaseAll();
	}

	private static SSLEngine serverEngine() {
		try {
			SSLEngine engine = SSLContext.getDefault().createSSLEngine();
			engine.setUseClientMode(false);
			return engine;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
