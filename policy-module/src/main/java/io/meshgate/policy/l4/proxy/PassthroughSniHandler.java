package io.meshgate.policy.l4.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.Future;

/**
 * Reads the server name of a TLS ClientHello on the HTTPS port without terminating TLS, with
 * Netty's ClientHello parser (bounded in size, with a handshake timeout that closes a connection
 * that never finishes its ClientHello), and placed before the TLS handler. A name of a passthrough
 * route takes the channel: every handler after this one is removed and a {@link TcpRelay} gets the
 * bytes read so far and all that follow, untouched. Any other name, no name, or bytes that are
 * not a ClientHello: the handler removes itself and the bytes go on to TLS termination.
 * <p>
 * A relayed connection is the gateway's to close (its relay, its idle timeout, the L4 drain at
 * shutdown), never the HTTPS listener's: Reactor Netty takes a connection into the server's
 * channel group, which its graceful shutdown closes unless a request is in flight, only once the
 * connection's TLS handshake has completed ({@code SslReadHandler} holds back the channel-active
 * signal until then), and a relayed connection's handshake is never completed here: its handlers,
 * {@code SslReadHandler} among them, are gone before it could be.
 */
public final class PassthroughSniHandler extends AbstractSniHandler<L4Route> {

	/** The handler's name in the pipeline. */
	public static final String NAME = "meshgate.l4.passthroughSni";

	private final PassthroughTable table;

	private final AddressResolverGroup<?> resolver;

	private final ChannelGroup relayed;

	/**
	 * @param relayed where relayed connections are kept while open, for a graceful shutdown
	 */
	PassthroughSniHandler(PassthroughTable table, AddressResolverGroup<?> resolver, int maxClientHelloLength,
			long handshakeTimeoutMillis, ChannelGroup relayed) {
		super(maxClientHelloLength, handshakeTimeoutMillis);
		this.table = table;
		this.resolver = resolver;
		this.relayed = relayed;
	}

	@Override
	protected Future<L4Route> lookup(ChannelHandlerContext ctx, String hostname) {
		return ctx.executor().newSucceededFuture(table.lookup(hostname));
	}

	@Override
	protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<L4Route> future) {
		L4Route route = future.getNow();
		ChannelPipeline pipeline = ctx.pipeline();
		if (route != null) {
			// the HTTP server's handlers (TLS, codecs, Reactor Netty's bridge) never see this connection
			boolean after = false;
			for (String name : pipeline.names()) {
				if (after && pipeline.context(name) != null) {
					pipeline.remove(name);
				}
				after |= name.equals(ctx.name());
			}
			pipeline.addAfter(ctx.name(), TcpRelay.NAME, new TcpRelay(route, resolver));
			relayed.add(ctx.channel());
		}
		// removing a decoder hands the bytes it holds (the ClientHello) to the next handler
		pipeline.remove(this);
	}

}
