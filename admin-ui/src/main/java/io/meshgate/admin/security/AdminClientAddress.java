package io.meshgate.admin.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The client address that login throttling counts for a request on the admin port: the TCP peer
 * of the connection, read from the Netty channel so that no forwarded header can choose it. An
 * IPv6 peer counts as its /64, which one host usually holds whole.
 */
final class AdminClientAddress {

	static final String UNKNOWN = "unknown";

	private AdminClientAddress() {
	}

	static String of(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		SocketAddress peer = nativeRequest instanceof Connection connection ? connection.channel().remoteAddress()
				: request.getRemoteAddress();
		if (!(peer instanceof InetSocketAddress socket) || socket.getAddress() == null) {
			return UNKNOWN;
		}
		return key(socket.getAddress());
	}

	static String key(InetAddress address) {
		if (address instanceof Inet6Address) {
			byte[] bytes = address.getAddress();
			StringBuilder prefix = new StringBuilder();
			for (int i = 0; i < 8; i += 2) {
				prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
			}
			return prefix.append(":/64").toString();
		}
		return address.getHostAddress();
	}

}
