package io.meshgate.policy.grpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import io.meshgate.policy.grpc.testing.EchoGrpc;
import io.meshgate.policy.grpc.testing.EchoReply;
import io.meshgate.policy.grpc.testing.EchoRequest;
import io.meshgate.policy.testing.TestPki;

/**
 * A real grpc-java server on loopback (HTTP/2 cleartext, or TLS with h2 by ALPN) serving
 * {@code meshgate.test.Echo} and gRPC's health service: echoes, fails with the status a request asks for (or every call
 * with {@link #failAll}), waits, streams, and tells the deadline it received.
 */
public final class EchoServer implements AutoCloseable {

	private final String name;

	private final Server server;

	public final AtomicInteger calls = new AtomicInteger();

	/** HTTP/2 connections the server accepted. */
	public final AtomicInteger connections = new AtomicInteger();

	/** When set, unary calls are answered once it completes (calls arrive and wait, in flight together). */
	public final AtomicReference<CompletableFuture<Void>> gate = new AtomicReference<>();

	/** gRPC's health service ({@code grpc.health.v1.Health}): the server and each service SERVING until a test says otherwise. */
	public final HealthStatusManager health = new HealthStatusManager();

	/** When set, every call fails with this status at once (Trailers-Only). */
	public final AtomicReference<Status> failAll = new AtomicReference<>();

	/** Answers the calls a request asks to be answered later, without holding a server thread. */
	private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "echo-later");
		thread.setDaemon(true);
		return thread;
	});

	private EchoServer(String name, SslContext tls, int maxCallsPerConnection) throws IOException {
		this.name = name;
		health.setStatus(EchoGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
		NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.addService(new Service())
			.addService(health.getHealthService())
			.maxConcurrentCallsPerConnection(maxCallsPerConnection)
			.addTransportFilter(new ServerTransportFilter() {
				@Override
				public Attributes transportReady(Attributes transportAttrs) {
					connections.incrementAndGet();
					return transportAttrs;
				}
			});
		if (tls != null) {
			builder.sslContext(tls);
		}
		this.server = builder.build().start();
	}

	public static EchoServer start(String name) {
		return start(name, Integer.MAX_VALUE);
	}

	/** A cleartext server that lets each connection carry at most {@code maxCallsPerConnection} calls at once. */
	public static EchoServer start(String name, int maxCallsPerConnection) {
		try {
			return new EchoServer(name, null, maxCallsPerConnection);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A TLS server presenting {@code identity}; it speaks h2 only, chosen by ALPN. */
	public static EchoServer startTls(String name, TestPki.Issued identity) {
		try {
			SslContext context = GrpcSslContexts
				.configure(SslContextBuilder.forServer(identity.privateKey(), identity.certificate()))
				.build();
			return new EchoServer(name, context, Integer.MAX_VALUE);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public int port() {
		return server.getPort();
	}

	public String url(String scheme) {
		return scheme + "://127.0.0.1:" + port();
	}

	@Override
	public void close() throws InterruptedException {
		later.shutdownNow();
		server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	private EchoReply reply(EchoRequest request, int index) {
		Deadline deadline = Context.current().getDeadline();
		return EchoReply.newBuilder()
			.setText(request.getText())
			.setServer(name)
			.setDeadlineMillis(deadline == null ? -1 : deadline.timeRemaining(TimeUnit.MILLISECONDS))
			.setIndex(index)
			.build();
	}

	/** Fails the call when the server or the request asks for it; {@code true} when it did. */
	private boolean failed(EchoRequest request, StreamObserver<?> responses) {
		Status status = failAll.get() != null ? failAll.get()
				: request.getFailWith() != 0 ? Status.fromCodeValue(request.getFailWith()) : null;
		if (status != null) {
			responses.onError(status.withDescription("failed by " + name).asRuntimeException());
			return true;
		}
		return false;
	}

	/**
	 * Runs {@code answer} after the request's {@code delay_millis} (at once without one), in the
	 * call's context, so that the answer still sees the deadline the call received.
	 */
	private void after(EchoRequest request, Runnable answer) {
		if (request.getDelayMillis() > 0) {
			later.schedule(Context.current().wrap(answer), request.getDelayMillis(), TimeUnit.MILLISECONDS);
		}
		else {
			answer.run();
		}
	}

	private final class Service extends EchoGrpc.EchoImplBase {

		@Override
		public void unary(EchoRequest request, StreamObserver<EchoReply> responses) {
			Runnable answer = Context.current().wrap(() -> after(request, () -> {
				if (!failed(request, responses)) {
					responses.onNext(reply(request, 0));
					responses.onCompleted();
				}
			}));
			CompletableFuture<Void> held = gate.get();
			calls.incrementAndGet();
			if (held == null) {
				answer.run();
			}
			else {
				held.thenRun(answer);
			}
		}

		/**
		 * Sends {@code count} replies as fast as the client's flow control lets it (only while the
		 * call is ready), so that a long stream holds no more than a window of them anywhere.
		 */
		@Override
		public void serverStream(EchoRequest request, StreamObserver<EchoReply> responses) {
			calls.incrementAndGet();
			if (request.getIntervalMillis() > 0) {
				paced(request, responses, 0);
				return;
			}
			ServerCallStreamObserver<EchoReply> call = (ServerCallStreamObserver<EchoReply>) responses;
			int[] sent = { 0 };
			boolean[] ended = { false };
			Runnable send = () -> {
				while (call.isReady() && sent[0] < request.getCount()) {
					call.onNext(reply(request, sent[0]++));
				}
				if (sent[0] == request.getCount() && !ended[0]) {
					ended[0] = true;
					after(request, () -> {
						if (!failed(request, responses)) {
							responses.onCompleted();
						}
					});
				}
			};
			call.setOnReadyHandler(send);
			// the call may have become ready before this method ran: then no further onReady comes
			send.run();
		}

		/** Reply {@code index} now, the next one {@code interval_millis} later (a few replies: no flow control). */
		private void paced(EchoRequest request, StreamObserver<EchoReply> responses, int index) {
			if (index == request.getCount()) {
				after(request, () -> {
					if (!failed(request, responses)) {
						responses.onCompleted();
					}
				});
				return;
			}
			responses.onNext(reply(request, index));
			later.schedule(Context.current().wrap(() -> paced(request, responses, index + 1)),
					request.getIntervalMillis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public StreamObserver<EchoRequest> clientStream(StreamObserver<EchoReply> responses) {
			calls.incrementAndGet();
			StringBuilder texts = new StringBuilder();
			return new StreamObserver<>() {
				@Override
				public void onNext(EchoRequest request) {
					texts.append(request.getText());
				}

				@Override
				public void onError(Throwable error) {
				}

				@Override
				public void onCompleted() {
					responses.onNext(reply(EchoRequest.newBuilder().setText(texts.toString()).build(), 0));
					responses.onCompleted();
				}
			};
		}

		@Override
		public StreamObserver<EchoRequest> bidi(StreamObserver<EchoReply> responses) {
			calls.incrementAndGet();
			AtomicInteger index = new AtomicInteger();
			return new StreamObserver<>() {
				@Override
				public void onNext(EchoRequest request) {
					responses.onNext(reply(request, index.getAndIncrement()));
					if (request.getEnd()) {
						responses.onCompleted();
					}
				}

				@Override
				public void onError(Throwable error) {
				}

				/** The client's half-close: one more reply telling how many came, then the end. */
				@Override
				public void onCompleted() {
					responses.onNext(reply(EchoRequest.newBuilder().setText("half-closed after " + index.get()).build(),
							index.getAndIncrement()));
					responses.onCompleted();
				}
			};
		}

	}

}
