package io.meshgate.policy.health;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/**
 * The check of a TCP upstream's endpoint: it passes when a TCP connection to it opens within the
 * timeout; the connection is closed at once, nothing is sent.
 */
public final class TcpConnectProbe implements HealthProbe {

	private final Duration timeout;

	public TcpConnectProbe(Duration timeout) {
		this.timeout = timeout;
	}

	@Override
	public Round round() {
		TcpClient client = TcpClient.newConnection()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()));
		return endpoint -> client.host(endpoint.getHost())
			.port(endpoint.getPort())
			.connect()
			.map(connection -> {
				connection.dispose();
				return true;
			});
	}

	@Override
	public String toString() {
		return "TCP connect";
	}

}
