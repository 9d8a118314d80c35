package io.meshgate.gateway.kubernetes.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import io.meshgate.gateway.kubernetes.conformance.grpcecho.Assertions;
import io.meshgate.gateway.kubernetes.conformance.grpcecho.EchoRequest;
import io.meshgate.gateway.kubernetes.conformance.grpcecho.EchoResponse;
import io.meshgate.gateway.kubernetes.conformance.grpcecho.GrpcEchoGrpc;
import io.meshgate.gateway.kubernetes.conformance.grpcecho.Header;
import io.meshgate.gateway.kubernetes.conformance.grpcecho.PodContext;

/**
 * A pod of a conformance gRPC backend (echo-basic with {@code GRPC_ECHO_SERVER}): a grpc-java
 * server on a loopback port, HTTP/2 cleartext with prior knowledge, serving the suite's
 * {@code GrpcEcho} as echo-basic's grpcecho does. {@code Echo} and {@code EchoTwo} answer the
 * method served, the request's metadata (every key and value, {@code :authority} included, as
 * grpc-go's metadata has it), its authority, and the pod's namespace and name, which is how the
 * suite tells which backend answered; {@code EchoThree} is not implemented (UNIMPLEMENTED).
 */
final class GrpcEchoBackend implements AutoCloseable {

	/** The call's metadata and authority, from the interceptor to the method. */
	private static final Context.Key<Metadata> METADATA = Context.key("metadata");

	private static final Context.Key<String> AUTHORITY = Context.key("authority");

	private final Server server;

	private final String pod;

	private GrpcEchoBackend(String namespace, String pod) throws IOException {
		this.pod = pod;
		PodContext context = PodContext.newBuilder().setNamespace(namespace).setPod(pod).build();
		ServerInterceptor capture = new ServerInterceptor() {
			@Override
			public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
					ServerCallHandler<Q, A> next) {
				Context withCall = Context.current()
					.withValue(METADATA, headers)
					.withValue(AUTHORITY, call.getAuthority() == null ? "" : call.getAuthority());
				return Contexts.interceptCall(withCall, call, headers, next);
			}
		};
		this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.addService(ServerInterceptors.intercept(new Echo(context), capture))
			.build()
			.start();
	}

	static GrpcEchoBackend start(String namespace, String pod) {
		try {
			return new GrpcEchoBackend(namespace, pod);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return server.getPort();
	}

	String pod() {
		return pod;
	}

	@Override
	public void close() {
		server.shutdownNow();
		try {
			server.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static final class Echo extends GrpcEchoGrpc.GrpcEchoImplBase {

		private final PodContext context;

		Echo(PodContext context) {
			this.context = context;
		}

		@Override
		public void echo(EchoRequest request, StreamObserver<EchoResponse> responses) {
			answer("Echo", request, responses);
		}

		@Override
		public void echoTwo(EchoRequest request, StreamObserver<EchoResponse> responses) {
			answer("EchoTwo", request, responses);
		}

		private void answer(String method, EchoRequest request, StreamObserver<EchoResponse> responses) {
			String authority = AUTHORITY.get();
			List<Header> headers = new ArrayList<>();
			headers.add(Header.newBuilder().setKey(":authority").setValue(authority).build());
			Metadata metadata = METADATA.get();
			for (String key : metadata.keys()) {
				if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
					for (String value : metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
						headers.add(Header.newBuilder().setKey(key).setValue(value).build());
					}
				}
			}
			responses.onNext(EchoResponse.newBuilder()
				.setAssertions(Assertions.newBuilder()
					.setFullyQualifiedMethod("/" + GrpcEchoGrpc.SERVICE_NAME + "/" + method)
					.addAllHeaders(headers)
					.setAuthority(authority)
					.setContext(context))
				.setRequest(request)
				.build());
			responses.onCompleted();
		}

	}

}
