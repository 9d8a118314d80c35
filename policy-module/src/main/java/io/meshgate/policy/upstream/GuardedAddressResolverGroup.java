package io.meshgate.policy.upstream;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Supplier;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import io.meshgate.policy.endpoint.EndpointAddresses;

/**
 * Resolves upstream host names as the client's resolver does, then refuses an address an endpoint
 * could not have been written as: a link-local or metadata address, or the gateway's own port on
 * its own host, unless an upstream that opts in ({@code allowLinkLocal}, {@code allowGatewayPorts})
 * names that host. Endpoints written as addresses are checked when edited; this closes the bypass
 * of a name that resolves to {@code 169.254.169.254} (or is made to, later). It runs once per new
 * connection, and looks at the upstreams only when the address is one of those.
 */
public final class GuardedAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

	private final AddressResolverGroup<?> delegate;

	private final GatewayPorts gatewayPorts;

	private final Supplier<Iterable<Upstream>> upstreams;

	/**
	 * @param delegate the client's resolver
	 * @param upstreams the running upstreams, read only to find an opt-in
	 */
	public GuardedAddressResolverGroup(AddressResolverGroup<?> delegate, GatewayPorts gatewayPorts,
			Supplier<Iterable<Upstream>> upstreams) {
		this.delegate = delegate;
		this.gatewayPorts = gatewayPorts;
		this.upstreams = upstreams;
	}

	@Override
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		@SuppressWarnings("unchecked")
		AddressResolver<InetSocketAddress> resolver = (AddressResolver<InetSocketAddress>) delegate.getResolver(executor);
		return new Guarded(resolver, executor);
	}

	/** Why {@code address}, resolved from {@code host}, is refused; null when it is not. */
	String refused(String host, InetAddress address, int port) {
		String literal = address.getHostAddress();
		if (EndpointAddresses.linkLocalOrMetadata(literal)) {
			return allowed(host, port, true) ? null
					: host + " resolves to " + literal + ", a link-local or metadata address (allowLinkLocal is false)";
		}
		if (gatewayPorts.isGateway(literal, port)) {
			return allowed(host, port, false) ? null
					: host + " resolves to " + literal + ", the gateway's own port " + port + " (allowGatewayPorts is false)";
		}
		return null;
	}

	private boolean allowed(String host, int port, boolean linkLocal) {
		for (Upstream upstream : upstreams.get()) {
			if (linkLocal ? upstream.allowLinkLocal() : upstream.allowGatewayPorts()) {
				for (EndpointSpec endpoint : upstream.endpoints()) {
					if (endpoint.port() == port && host.equalsIgnoreCase(endpoint.uri().getHost())) {
						return true;
					}
				}
			}
		}
		return false;
	}

	private final class Guarded implements AddressResolver<InetSocketAddress> {

		private final AddressResolver<InetSocketAddress> resolver;

		private final EventExecutor executor;

		Guarded(AddressResolver<InetSocketAddress> resolver, EventExecutor executor) {
			this.resolver = resolver;
			this.executor = executor;
		}

		@Override
		public boolean isSupported(SocketAddress address) {
			return resolver.isSupported(address);
		}

		@Override
		public boolean isResolved(SocketAddress address) {
			return resolver.isResolved(address);
		}

		@Override
		public Future<InetSocketAddress> resolve(SocketAddress address) {
			return resolve(address, executor.newPromise());
		}

		@Override
		public Future<InetSocketAddress> resolve(SocketAddress address, Promise<InetSocketAddress> promise) {
			resolver.resolve(address).addListener(done -> {
				if (!done.isSuccess()) {
					promise.tryFailure(done.cause());
					return;
				}
				InetSocketAddress resolved = (InetSocketAddress) done.getNow();
				String refused = refused(address, resolved);
				if (refused != null) {
					promise.tryFailure(new UnknownHostException(refused));
				}
				else {
					promise.trySuccess(resolved);
				}
			});
			return promise;
		}

		@Override
		public Future<List<InetSocketAddress>> resolveAll(SocketAddress address) {
			return resolveAll(address, executor.newPromise());
		}

		@Override
		public Future<List<InetSocketAddress>> resolveAll(SocketAddress address,
				Promise<List<InetSocketAddress>> promise) {
			resolver.resolveAll(address).addListener(done -> {
				if (!done.isSuccess()) {
					promise.tryFailure(done.cause());
					return;
				}
				@SuppressWarnings("unchecked")
				List<InetSocketAddress> resolved = (List<InetSocketAddress>) done.getNow();
				for (InetSocketAddress candidate : resolved) {
					String refused = refused(address, candidate);
					if (refused != null) {
						promise.tryFailure(new UnknownHostException(refused));
						return;
					}
				}
				promise.trySuccess(resolved);
			});
			return promise;
		}

		private String refused(SocketAddress requested, InetSocketAddress resolved) {
			String host = requested instanceof InetSocketAddress inet ? inet.getHostString() : String.valueOf(requested);
			return resolved.getAddress() == null ? null
					: GuardedAddressResolverGroup.this.refused(host, resolved.getAddress(), resolved.getPort());
		}

		@Override
		public void close() {
			// the delegate group owns and closes its resolvers
		}

	}

}
