package io.meshgate.policy.stream;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

/**
 * How WebSocket sessions to one upstream are held: {@code webSocket: {idleTimeout: 5m, maxFrameSize: 64KB}}.
 * A session with no frame in either direction (data, ping, pong) for {@code idleTimeout} is closed
 * on both sides with {@code 1001} (going away): an idle socket costs the gateway a connection on
 * each side and some memory, so it may not live forever; clients and upstreams that keep quiet
 * sessions open send pings, which count as traffic. A frame is read whole before it is passed on,
 * so its payload is bounded: a larger frame closes the session with {@code 1009} (message too big)
 * to its sender. Messages may still be any size when sent in fragments.
 *
 * @param idleTimeout default 5m (Envoy's {@code stream_idle_timeout}); more than 0, at most 24h
 * @param maxFrameSize the largest frame payload either side may send; default 64KB, from 125B
 * (a control frame's limit) to 16MB
 */
public record WebSocketPolicy(Duration idleTimeout, DataSize maxFrameSize) {

	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

	public static final Duration MAX_IDLE_TIMEOUT = Duration.ofHours(24);

	public static final DataSize DEFAULT_MAX_FRAME_SIZE = DataSize.ofKilobytes(64);

	private static final DataSize MIN_FRAME_SIZE = DataSize.ofBytes(125);

	private static final DataSize MAX_FRAME_SIZE = DataSize.ofMegabytes(16);

	/** The policy of an upstream without a {@code webSocket} block, and of URLs that are not upstreams. */
	public static final WebSocketPolicy DEFAULT = new WebSocketPolicy(null, null);

	public WebSocketPolicy {
		idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
		if (idleTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.compareTo(MAX_IDLE_TIMEOUT) > 0) {
			throw new IllegalArgumentException(
					"webSocket.idleTimeout: " + idleTimeout + " (expected: > 0 and at most 24h, as in 5m)");
		}
		maxFrameSize = maxFrameSize == null ? DEFAULT_MAX_FRAME_SIZE : maxFrameSize;
		if (maxFrameSize.toBytes() < MIN_FRAME_SIZE.toBytes() || maxFrameSize.toBytes() > MAX_FRAME_SIZE.toBytes()) {
			throw new IllegalArgumentException(
					"webSocket.maxFrameSize: " + maxFrameSize + " (expected: from 125B to 16MB, as in 64KB)");
		}
	}

	public static WebSocketPolicy idleTimeout(Duration idleTimeout) {
		return new WebSocketPolicy(idleTimeout, null);
	}

	/** {@link #maxFrameSize} as Netty's codecs take it. */
	public int maxFramePayloadLength() {
		return (int) maxFrameSize.toBytes();
	}

}
