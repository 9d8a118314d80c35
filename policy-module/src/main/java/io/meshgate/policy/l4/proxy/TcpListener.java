package io.meshgate.policy.l4.proxy;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * The listener port of one TCP route, on Reactor Netty's TCP server: each accepted connection
 * gets a {@link TcpRelay} for the route in force when it opened. A new version of the route
 * (same port) takes over new connections; closing the listener closes its connections, while
 * {@link #stopAccepting} leaves them open (a graceful shutdown drains them).
 */
final class TcpListener implements AutoCloseable {

	private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);

	private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

	private final DisposableServer server;

	private volatile L4Route route;

	/** Binds the port; throws when it cannot. Blocks for the bind: never call it on an event loop. */
	TcpListener(String host, int port, L4Route route, AddressResolverGroup<?> resolver) {
		this.route = route;
		this.server = TcpServer.create()
			.host(host)
			.port(port)
			.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.doOnChannelInit((observer, channel, remote) -> {
				connections.add(channel);
				// first: Reactor Netty's own bridge is in the pipeline already and would take the bytes
				channel.pipeline().addFirst(TcpRelay.NAME, new TcpRelay(this.route, resolver));
			})
			.bindNow(BIND_TIMEOUT);
	}

	void route(L4Route route) {
		this.route = route;
	}

	L4Route route() {
		return route;
	}

	int port() {
		return server.port();
	}

	/** Stops accepting connections; those open stay open. Blocks for the close of the listening socket. */
	void stopAccepting() {
		server.disposeNow(BIND_TIMEOUT);
	}

	/** The connections open on this listener's port. */
	ChannelGroup connections() {
		return connections;
	}

	@Override
	public void close() {
		server.disposeNow(BIND_TIMEOUT);
		connections.close();
	}

}
