package io.meshgate.policy.edge;

import java.util.Arrays;

import reactor.netty.http.Http2SettingsSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

/**
 * WebSocket over HTTP/2 (RFC 8441, extended CONNECT) on an ingress server that speaks HTTP/2:
 * the server announces {@code SETTINGS_ENABLE_CONNECT_PROTOCOL}, and Reactor Netty then keeps a
 * request's {@code :protocol} and {@code :path} and answers {@code sendWebsocket} on such a
 * stream with its HTTP/2 handshake. Reactor Netty replaces the whole HTTP/2 settings when they
 * are set, so those in place (Spring Boot's, another customizer's) are carried over.
 */
public final class ExtendedConnect {

	private ExtendedConnect() {
	}

	/** {@code server} announcing extended CONNECT when it speaks HTTP/2 (h2 or h2c); else unchanged. */
	public static HttpServer enable(HttpServer server) {
		HttpProtocol[] protocols = server.configuration().protocols();
		boolean http2 = Arrays.asList(protocols).contains(HttpProtocol.H2)
				|| Arrays.asList(protocols).contains(HttpProtocol.H2C);
		if (!http2) {
			return server;
		}
		Http2SettingsSpec current = server.configuration().http2SettingsSpec();
		return server.http2Settings(settings -> {
			if (current != null) {
				carryOver(current, settings);
			}
			settings.connectProtocolEnabled(true);
		});
	}

	/** Every setting {@code current} states, onto {@code settings}. */
	static void carryOver(Http2SettingsSpec current, Http2SettingsSpec.Builder settings) {
		if (current.headerTableSize() != null) {
			settings.headerTableSize(current.headerTableSize());
		}
		if (current.initialWindowSize() != null) {
			settings.initialWindowSize(current.initialWindowSize());
		}
		settings.maxConcurrentStreams(current.maxConcurrentStreams());
		if (current.maxFrameSize() != null) {
			settings.maxFrameSize(current.maxFrameSize());
		}
		settings.maxHeaderListSize(current.maxHeaderListSize());
		if (current.maxStreams() != null) {
			settings.maxStreams(current.maxStreams());
		}
		if (current.maxDecodedRstFramesPerWindow() != null && current.maxDecodedRstFramesSecondsPerWindow() != null) {
			settings.maxDecodedRstFramesPerWindow(current.maxDecodedRstFramesPerWindow(),
					current.maxDecodedRstFramesSecondsPerWindow());
		}
		if (current.maxEncodedRstFramesPerWindow() != null && current.maxEncodedRstFramesSecondsPerWindow() != null) {
			settings.maxEncodedRstFramesPerWindow(current.maxEncodedRstFramesPerWindow(),
					current.maxEncodedRstFramesSecondsPerWindow());
		}
		settings.pingAckDropThreshold(current.pingAckDropThreshold());
		if (current.pingAckTimeout() != null) {
			settings.pingAckTimeout(current.pingAckTimeout());
		}
	}

}
