package io.meshgate.gateway.kubernetes.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import org.awaitility.core.ConditionTimeoutException;

import io.meshgate.gateway.kubernetes.conformance.grpcecho.EchoRequest;
import io.meshgate.gateway.kubernetes.conformance.grpcecho.EchoResponse;
import io.meshgate.gateway.kubernetes.conformance.grpcecho.GrpcEchoGrpc;

import static org.awaitility.Awaitility.await;

/**
 * gRPC calls to the gateway's ingress port as the suite's {@code conformance/utils/grpc} client
 * makes them (plaintext HTTP/2 with prior knowledge, the case's metadata and {@code :authority}),
 * compared as its {@code compareResponse} compares them: the status code, and for an OK answer the
 * method the backend served, its namespace, and a pod name starting with the expected backend's.
 */
final class GrpcTraffic implements AutoCloseable {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	/**
	 * One call: the method ({@code Echo}, {@code EchoTwo} or {@code EchoThree}), the metadata and
	 * authority sent (an empty authority: the gateway's address), and what should come back: a
	 * status code, and for OK the backend and its namespace (empty: any).
	 */
	record Call(String method, Map<String, String> metadata, String authority, Status.Code code, String backend,
			String namespace) {

		static Call of(String method) {
			return new Call(method, Map.of(), "", Status.Code.OK, "", "");
		}

		Call header(String name, String value) {
			Map<String, String> more = new LinkedHashMap<>(metadata);
			more.put(name, value);
			return new Call(method, more, authority, code, backend, namespace);
		}

		Call authority(String host) {
			return new Call(method, metadata, host, code, backend, namespace);
		}

		Call to(String backendName, String namespaceName) {
			return new Call(method, metadata, authority, Status.Code.OK, backendName, namespaceName);
		}

		Call fails(Status.Code expected) {
			return new Call(method, metadata, authority, expected, "", "");
		}

	}

	/** What came back: the status code, and the echo's answer when it is OK. */
	record Answer(Status.Code code, EchoResponse response) {

	}

	private final ManagedChannel channel;

	private final String address;

	/** @param address the Gateway's address, sent as the authority unless a call names one */
	GrpcTraffic(int port, String address) {
		this.address = address;
		this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
	}

	/** {@code MakeRequestAndExpectEventuallyConsistentResponse}: {@value Traffic#CONSECUTIVE} matching answers in a row. */
	void eventually(Call expected) {
		AtomicInteger inRow = new AtomicInteger();
		AtomicReference<String> last = new AtomicReference<>("no answer");
		try {
			await().atMost(Traffic.CONSISTENCY).pollInterval(Duration.ofMillis(50)).pollDelay(Duration.ZERO).until(() -> {
				long start = System.nanoTime();
				String mismatch = compare(expected, send(expected));
				last.set((mismatch == null ? "matched" : mismatch) + " (" + inRow + " in a row before it, the call took "
						+ (System.nanoTime() - start) / 1_000_000 + " ms)");
				return mismatch == null ? inRow.incrementAndGet() >= Traffic.CONSECUTIVE : inRow.getAndSet(0) < 0;
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(expected + ": " + last.get());
		}
	}

	/** Each case in turn, as the upstream test's {@code t.Run} loop. */
	void eventually(List<Call> cases) {
		cases.forEach(this::eventually);
	}

	Answer send(Call call) {
		return answer(start(call));
	}

	/**
	 * {@code n} calls, {@code concurrency} at a time over the one HTTP/2 connection, as the suite's
	 * weight sender makes them; the answers in the order the calls were made.
	 */
	List<Answer> sendMany(Call call, int n, int concurrency) {
		List<ListenableFuture<EchoResponse>> calls = new ArrayList<>();
		List<Answer> answers = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			if (calls.size() - answers.size() == concurrency) {
				answers.add(answer(calls.get(answers.size())));
			}
			calls.add(start(call));
		}
		while (answers.size() < n) {
			answers.add(answer(calls.get(answers.size())));
		}
		return answers;
	}

	private ListenableFuture<EchoResponse> start(Call call) {
		Metadata metadata = new Metadata();
		call.metadata().forEach((name, value) -> metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value));
		Channel withMetadata = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata));
		CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
			.withAuthority(call.authority().isEmpty() ? address : call.authority());
		return ClientCalls.futureUnaryCall(withMetadata.newCall(method(call.method()), options),
				EchoRequest.getDefaultInstance());
	}

	/** The call's answer, once it has ended (its deadline bounds the wait). */
	private static Answer answer(ListenableFuture<EchoResponse> call) {
		try {
			return new Answer(Status.Code.OK, call.get());
		}
		catch (ExecutionException ex) {
			return new Answer(Status.fromThrowable(ex.getCause()).getCode(), null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Answer(Status.Code.CANCELLED, null);
		}
	}

	private static MethodDescriptor<EchoRequest, EchoResponse> method(String name) {
		return switch (name) {
			case "Echo" -> GrpcEchoGrpc.getEchoMethod();
			case "EchoTwo" -> GrpcEchoGrpc.getEchoTwoMethod();
			case "EchoThree" -> GrpcEchoGrpc.getEchoThreeMethod();
			default -> throw new IllegalArgumentException("method: " + name + " (expected: Echo, EchoTwo or EchoThree)");
		};
	}

	/** {@code compareResponse}: null when the answer is what the call expects, else why not. */
	static String compare(Call expected, Answer answer) {
		if (expected.code() != answer.code()) {
			return "expected status code to be " + expected.code() + ", got " + answer.code();
		}
		if (answer.code() != Status.Code.OK) {
			return null;
		}
		String method = "/" + GrpcEchoGrpc.SERVICE_NAME + "/" + expected.method();
		String served = answer.response().getAssertions().getFullyQualifiedMethod();
		if (!method.equals(served)) {
			return "expected path to be " + method + ", got " + served;
		}
		String namespace = answer.response().getAssertions().getContext().getNamespace();
		if (!expected.namespace().isEmpty() && !expected.namespace().equals(namespace)) {
			return "expected namespace to be " + expected.namespace() + ", got " + namespace;
		}
		String pod = answer.response().getAssertions().getContext().getPod();
		return pod.startsWith(expected.backend()) ? null
				: "expected pod name to start with " + expected.backend() + ", got " + pod;
	}

	@Override
	public void close() {
		channel.shutdownNow();
	}

}
