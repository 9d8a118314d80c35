package io.meshgate.policy.grpc;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;

import io.meshgate.policy.grpc.testing.EchoGrpc;
import io.meshgate.policy.grpc.testing.EchoReply;

/** grpc-java clients of the gateway: h2c with prior knowledge, or TLS with h2 by ALPN. */
public final class GrpcClients implements AutoCloseable {

	private final ManagedChannel channel;

	private GrpcClients(ManagedChannel channel) {
		this.channel = channel;
	}

	public static GrpcClients h2c(int port) {
		return new GrpcClients(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
	}

	public static GrpcClients tls(int port, X509Certificate ca) {
		try {
			return new GrpcClients(NettyChannelBuilder.forAddress("127.0.0.1", port)
				.sslContext(GrpcSslContexts.forClient().trustManager(ca).build())
				.overrideAuthority("localhost")
				.build());
		}
		catch (SSLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A blocking stub whose calls give up after 10 s, so that a broken gateway fails the test rather than hangs it. */
	public EchoGrpc.EchoBlockingStub blocking() {
		return EchoGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
	}

	public EchoGrpc.EchoStub async() {
		return EchoGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
	}

	/** An observer that adds every reply to {@code all}, and completes {@code last} with the last one when the call ends. */
	public static StreamObserver<EchoReply> recording(CompletableFuture<EchoReply> last, List<EchoReply> all) {
		return new StreamObserver<>() {
			private EchoReply latest;

			@Override
			public void onNext(EchoReply reply) {
				latest = reply;
				all.add(reply);
			}

			@Override
			public void onError(Throwable error) {
				last.completeExceptionally(error);
			}

			@Override
			public void onCompleted() {
				last.complete(latest);
			}
		};
	}

	@Override
	public void close() throws InterruptedException {
		channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

}
