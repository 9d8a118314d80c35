package io.meshgate.policy.grpc;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import io.meshgate.policy.grpc.testing.EchoReply;
import io.meshgate.policy.grpc.testing.EchoRequest;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Long and half-closed gRPC streams through the gateway, and streaming routes (a
 * {@code streamIdleTimeout}: the route timeout bounds the time to the response headers, the idle
 * timeout the gaps between messages), grpc-java on both sides over h2c.
 * (The properties are those of {@link GrpcThroughGatewayTest}, so the gateway is shared with it.)
 */
@TestPropertySource(properties = { "meshgate.ingress.request-body-timeout=1s", "server.http2.enabled=true" })
class GrpcStreamingTest extends GatewayTest {

	/** Messages of the long stream, and where the heap is first measured. */
	private static final int MESSAGES = 1_000_000;

	private static final int FIRST_MEASURE = 100_000;

	/**
	 * How much the heap after a full GC may grow between the 100,000th and the 1,000,000th
	 * message: anything the gateway kept per message (a buffer, a metric sample, a log line) would
	 * retain at least ~10 bytes each, 9 MB over the 900,000 messages between the two measures,
	 * while in flight there are only the HTTP/2 flow-control windows (64 KiB per stream) on each
	 * hop.
	 */
	private static final long HEAP_GROWTH_BOUND = 4L * 1024 * 1024;

	private GrpcClients grpc;

	@BeforeEach
	void connect() {
		grpc = GrpcClients.h2c(port);
	}

	@AfterEach
	void close() throws Exception {
		grpc.close();
	}

	private void echoRoute(Route route) {
		EchoServer server = closeAfter(EchoServer.start("one"));
		apply(List.of(Upstream.of("echo", server.url("http")).withProtocol(UpstreamProtocol.H2C)), route);
	}

	private static Route route() {
		return Route.of("grpc", GrpcThroughGatewayTest.SERVICE, Backend.of("echo", 1));
	}

	@Test
	void aMillionMessageServerStreamPassesWithAFlatHeap() {
		echoRoute(route());
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

		Iterator<EchoReply> stream = grpc.blocking()
			.withDeadlineAfter(120, TimeUnit.SECONDS)
			.serverStream(EchoRequest.newBuilder().setText("m").setCount(MESSAGES).build());
		long heapAtFirst = 0;
		int received = 0;
		long start = System.nanoTime();
		try {
			while (stream.hasNext()) {
				assertThat(stream.next().getIndex()).isEqualTo(received);
				received++;
				if (received == FIRST_MEASURE) {
					// the client reads no further meanwhile: flow control holds the server back
					heapAtFirst = heapAfterGc(memory);
				}
			}
		}
		catch (RuntimeException ex) {
			throw new AssertionError("after " + received + " messages, " + (System.nanoTime() - start) / 1_000_000 + " ms", ex);
		}
		long heapAtLast = heapAfterGc(memory);

		assertThat(received).isEqualTo(MESSAGES);
		assertThat(heapAtLast - heapAtFirst).as("heap growth from message 100,000 to 1,000,000, bytes")
			.isLessThan(HEAP_GROWTH_BOUND);
	}

	private static long heapAfterGc(MemoryMXBean memory) {
		memory.gc();
		return memory.getHeapMemoryUsage().getUsed();
	}

	@Test
	void aClientsHalfCloseReachesTheServerWhichAnswersAfterIt() throws Exception {
		echoRoute(route());
		List<EchoReply> replies = new CopyOnWriteArrayList<>();
		CompletableFuture<EchoReply> done = new CompletableFuture<>();
		StreamObserver<EchoRequest> chat = grpc.async().bidi(GrpcClients.recording(done, replies));

		for (int i = 0; i < 3; i++) {
			chat.onNext(EchoRequest.newBuilder().setText("m" + i).build());
		}
		// the answer has begun before the client half-closes
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> replies.size() == 3);
		chat.onCompleted();

		done.get(5, TimeUnit.SECONDS);
		assertThat(replies).extracting(EchoReply::getText).containsExactly("m0", "m1", "m2", "half-closed after 3");
	}

	@Test
	void aServerEndingTheCallWhileTheClientStillSendsReachesTheClient() throws Exception {
		echoRoute(route());
		List<EchoReply> replies = new CopyOnWriteArrayList<>();
		CompletableFuture<EchoReply> done = new CompletableFuture<>();
		StreamObserver<EchoRequest> chat = grpc.async().bidi(GrpcClients.recording(done, replies));

		chat.onNext(EchoRequest.newBuilder().setText("first").build());
		chat.onNext(EchoRequest.newBuilder().setText("last").setEnd(true).build());

		assertThat(done.get(5, TimeUnit.SECONDS).getText()).isEqualTo("last");
		assertThat(replies).extracting(EchoReply::getText).containsExactly("first", "last");
	}

	/** Five replies 300 ms apart: a stream longer than the route timeout of the tests below. */
	private static final EchoRequest PACED = EchoRequest.newBuilder().setCount(5).setIntervalMillis(300).build();

	private static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration STREAM_IDLE = Duration.ofMillis(1500);

	@Test
	void aStreamingRoutesTimeoutDoesNotCutAStreamItsIdleTimeoutEndsAQuietOne() {
		echoRoute(route().withTimeout(ROUTE_TIMEOUT).withStreamIdleTimeout(STREAM_IDLE));

		List<Integer> indexes = new ArrayList<>();
		grpc.blocking().serverStream(PACED).forEachRemaining(reply -> indexes.add(reply.getIndex()));
		assertThat(indexes).containsExactly(0, 1, 2, 3, 4);

		// one reply, then nothing for 10 s: ended once the stream was idle for 1.5 s
		Iterator<EchoReply> quiet = grpc.blocking()
			.serverStream(EchoRequest.newBuilder().setCount(1).setDelayMillis(10_000).build());
		assertThat(quiet.next().getIndex()).isZero();
		long idleSince = System.nanoTime();
		StatusRuntimeException ended = catchThrowableOfType(StatusRuntimeException.class, quiet::next);
		Duration idle = Duration.ofNanos(System.nanoTime() - idleSince);
		assertThat(ended.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED);
		assertThat(ended.getStatus().getDescription()).isEqualTo("stream idle timeout at the gateway");
		assertThat(idle).isBetween(STREAM_IDLE.minusMillis(100), Duration.ofSeconds(5));
	}

	@Test
	void aRouteThatDoesNotStreamCutsTheStreamAtItsTimeout() {
		echoRoute(route().withTimeout(ROUTE_TIMEOUT));

		List<Integer> indexes = new ArrayList<>();
		Iterator<EchoReply> stream = grpc.blocking().serverStream(PACED);
		StatusRuntimeException cut = catchThrowableOfType(StatusRuntimeException.class,
				() -> stream.forEachRemaining(reply -> indexes.add(reply.getIndex())));

		assertThat(cut.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
		assertThat(indexes).hasSizeLessThan(5);
	}

}
