package io.meshgate.policy.grpc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.meshgate.policy.breaker.CircuitBreakerPolicy;
import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.grpc.testing.EchoReply;
import io.meshgate.policy.grpc.testing.EchoRequest;
import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.outlier.OutlierDetectionPolicy;
import io.meshgate.policy.retry.RetryOn;
import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.policy.rollout.BackendWindow;
import io.meshgate.policy.rollout.RolloutPolicy;
import io.meshgate.policy.rollout.RolloutState;
import io.meshgate.policy.rollout.RolloutState.Phase;
import io.meshgate.policy.rollout.Rollouts;
import io.meshgate.policy.rollout.routes.RolloutMoves;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * gRPC through the gateway over cleartext HTTP/2: a grpc-java client speaking h2c with prior
 * knowledge to the ingress, a route, and a grpc-java server behind an {@code H2C} upstream.
 * (The properties are those of the other h2c tests, so the gateway is shared with them.)
 */
@TestPropertySource(properties = { "meshgate.ingress.request-body-timeout=1s", "server.http2.enabled=true" })
class GrpcThroughGatewayTest extends GatewayTest {

	static final String SERVICE = "/meshgate.test.Echo/**";

	private GrpcClients grpc;

	@Autowired
	Rollouts rollouts;

	@BeforeEach
	void connect() {
		grpc = GrpcClients.h2c(port);
	}

	@AfterEach
	void close() throws Exception {
		grpc.close();
	}

	private EchoServer server(String name) {
		return closeAfter(EchoServer.start(name));
	}

	private static Upstream h2c(String name, EchoServer... servers) {
		String[] urls = new String[servers.length];
		for (int i = 0; i < servers.length; i++) {
			urls[i] = servers[i].url("http");
		}
		return Upstream.of(name, urls).withProtocol(UpstreamProtocol.H2C);
	}

	private static Route route(String upstream) {
		return Route.of("grpc", SERVICE, Backend.of(upstream, 1));
	}

	private static EchoRequest text(String text) {
		return EchoRequest.newBuilder().setText(text).build();
	}

	@Test
	void aUnaryCallReachesAnH2cServer() {
		apply(List.of(h2c("echo", server("one"))), route("echo"));

		EchoReply reply = grpc.blocking().unary(text("hello"));

		assertThat(reply.getText()).isEqualTo("hello");
		assertThat(reply.getServer()).isEqualTo("one");
	}

	@Test
	void aServerStreamsMessagesAndItsTrailersReachTheClient() {
		apply(List.of(h2c("echo", server("one"))), route("echo"));

		List<Integer> indexes = new ArrayList<>();
		grpc.blocking().serverStream(EchoRequest.newBuilder().setCount(50).build()).forEachRemaining(r -> indexes.add(r.getIndex()));
		assertThat(indexes).hasSize(50).startsWith(0, 1, 2).endsWith(49);

		// the status comes in the trailers, after three messages
		Iterator<EchoReply> failing = grpc.blocking()
			.serverStream(EchoRequest.newBuilder().setCount(3).setFailWith(Status.Code.NOT_FOUND.value()).build());
		for (int i = 0; i < 3; i++) {
			assertThat(failing.next().getIndex()).isEqualTo(i);
		}
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(failing::next)
			.satisfies(e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND))
			.satisfies(e -> assertThat(e.getStatus().getDescription()).isEqualTo("failed by one"));
	}

	@Test
	void clientStreamsAndBidirectionalStreamsPassMessagesBothWays() throws Exception {
		apply(List.of(h2c("echo", server("one"))), route("echo"));

		CompletableFuture<EchoReply> joined = new CompletableFuture<>();
		StreamObserver<EchoRequest> upload = grpc.async()
			.clientStream(GrpcClients.recording(joined, new ArrayList<>()));
		for (String part : List.of("a", "b", "c")) {
			upload.onNext(text(part));
		}
		upload.onCompleted();
		assertThat(joined.get(10, TimeUnit.SECONDS).getText()).isEqualTo("abc");

		List<EchoReply> replies = new CopyOnWriteArrayList<>();
		CompletableFuture<EchoReply> done = new CompletableFuture<>();
		StreamObserver<EchoRequest> chat = grpc.async().bidi(GrpcClients.recording(done, replies));
		for (int i = 0; i < 5; i++) {
			chat.onNext(text("m" + i));
			int expected = i + 1;
			// each reply comes back before the next message goes: nothing is buffered on the way
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> replies.size() == expected);
		}
		assertThat(replies).extracting(EchoReply::getText).containsExactly("m0", "m1", "m2", "m3", "m4");
		// half-closes both ways: GrpcStreamingTest
		chat.onError(Status.CANCELLED.asRuntimeException());
	}

	@Test
	void unavailableDeadlineExceededAndInternalOpenTheBreakerBusinessCodesDoNot() {
		EchoServer server = server("one");
		// 4 calls decide; 50 % failures open it
		CircuitBreakerPolicy breaker = new CircuitBreakerPolicy(50.0, null, null, 4, 4, Duration.ofMinutes(1), null,
				null);
		apply(List.of(h2c("echo", server).withCircuitBreaker(breaker)), route("echo"));
		for (int i = 0; i < 4; i++) {
			assertThat(status(() -> grpc.blocking().unary(fail(Status.Code.NOT_FOUND)))).isEqualTo(Status.Code.NOT_FOUND);
		}
		assertThat(grpc.blocking().unary(text("still closed")).getText()).isEqualTo("still closed");

		// a new breaker (the policy changed): four failures
		apply(List.of(h2c("echo", server).withCircuitBreaker(new CircuitBreakerPolicy(50.0, null, null, 4, 4,
				Duration.ofMinutes(2), null, null))), route("echo"));
		assertThat(status(() -> grpc.blocking().unary(fail(Status.Code.UNAVAILABLE)))).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(status(() -> grpc.blocking().unary(fail(Status.Code.INTERNAL)))).isEqualTo(Status.Code.INTERNAL);
		// in the trailers, after a message: counted when the trailers arrive
		Iterator<EchoReply> stream = grpc.blocking().serverStream(fail(Status.Code.DEADLINE_EXCEEDED).toBuilder().setCount(1).build());
		stream.next();
		assertThat(status(stream::next)).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
		assertThat(status(() -> grpc.blocking().unary(fail(Status.Code.UNAVAILABLE)))).isEqualTo(Status.Code.UNAVAILABLE);
		int served = server.calls.get();

		StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
				() -> grpc.blocking().unary(text("refused")));
		assertThat(refused.getStatus().getCode()).as("the gateway's own answer, as a gRPC error").isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(refused.getStatus().getDescription()).isEqualTo("upstream echo is unavailable: its circuit breaker is OPEN");
		assertThat(server.calls.get()).isEqualTo(served);
	}

	/**
	 * A rollout's gates count failed gRPC calls as the breaker does: UNAVAILABLE, DEADLINE_EXCEEDED
	 * and INTERNAL fail (answered with HTTP 200, in a Trailers-Only answer or in the trailers after
	 * a message), business codes do not.
	 */
	@Test
	void aRolloutCountsUnavailableDeadlineExceededAndInternalAsFailedCallsBusinessCodesNot() {
		EchoServer server = server("one");
		// one step of 100 %: every call goes to the canary
		Route rolledOut = RolloutMoves.at(Route.of("grpc", SERVICE, Backend.of("echo", 1), Backend.of("echo-v2", 0))
			.withCanary(CanaryPolicy.DEFAULT.withRollout(
					new RolloutPolicy(List.of(100.0), null, null, null, null, null, null, null, null, null))),
				new RolloutState("echo-v2", 1, Instant.now(), Phase.RUNNING, null));
		apply(List.of(h2c("echo", server), h2c("echo-v2", server)), rolledOut);

		assertThat(grpc.blocking().unary(text("fine")).getText()).isEqualTo("fine");
		assertThat(status(() -> grpc.blocking().unary(fail(Status.Code.NOT_FOUND)))).isEqualTo(Status.Code.NOT_FOUND);
		assertThat(status(() -> grpc.blocking().unary(fail(Status.Code.UNAVAILABLE)))).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(status(() -> grpc.blocking().unary(fail(Status.Code.INTERNAL)))).isEqualTo(Status.Code.INTERNAL);
		Iterator<EchoReply> stream = grpc.blocking().serverStream(fail(Status.Code.DEADLINE_EXCEEDED).toBuilder().setCount(1).build());
		stream.next();
		assertThat(status(stream::next)).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

		// a call counts once the gateway's side of it is over, which may come just after the client has its answer
		await().atMost(Duration.ofSeconds(5)).until(() -> canary(rolledOut).requests() == 5);
		assertThat(canary(rolledOut).errors()).as("failed calls").isEqualTo(3);
	}

	private BackendWindow canary(Route rolledOut) {
		return rollouts.numbers("grpc", rolledOut.rolloutState().stepKey(), Duration.ZERO).canary();
	}

	@Test
	void anEndpointAnsweringUnavailableIsEjected() {
		EchoServer failing = server("failing");
		EchoServer working = server("working");
		failing.failAll.set(Status.UNAVAILABLE);
		OutlierDetectionPolicy outliers = new OutlierDetectionPolicy(2, null, null, Duration.ofMinutes(1), 50.0);
		apply(List.of(h2c("echo", failing, working).withOutlierDetection(outliers)), route("echo"));
		double ejections = counter(MeshMetrics.OUTLIER_EJECTIONS, "upstream", "echo");

		List<String> answers = answers(10);

		assertThat(counter(MeshMetrics.OUTLIER_EJECTIONS, "upstream", "echo")).isEqualTo(ejections + 1);
		assertThat(answers).containsExactly("UNAVAILABLE", "working", "UNAVAILABLE", "working", "working", "working",
				"working", "working", "working", "working");
	}

	@Test
	void aCallAnsweredUnavailableIsRetriedOnAnotherEndpoint() {
		EchoServer failing = server("failing");
		EchoServer working = server("working");
		failing.failAll.set(Status.UNAVAILABLE);
		apply(List.of(h2c("echo", failing, working)), route("echo").withRetries(RetryPolicy.attempts(1)));

		for (int i = 0; i < 4; i++) {
			assertThat(grpc.blocking().unary(text("call " + i)).getText()).isEqualTo("call " + i);
		}
		assertThat(failing.calls.get()).as("round robin sent every other first try there").isEqualTo(2);
		assertThat(working.calls.get()).isEqualTo(4);
	}

	@Test
	void resourceExhaustedIsRetriedOnlyWhenListed() {
		EchoServer failing = server("failing");
		EchoServer working = server("working");
		failing.failAll.set(Status.RESOURCE_EXHAUSTED);
		apply(List.of(h2c("echo", failing, working)), route("echo").withRetries(RetryPolicy.attempts(1)));

		List<String> answers = answers(2);
		assertThat(answers).as("not in the default retryOn").containsExactly("RESOURCE_EXHAUSTED", "working");

		RetryPolicy listed = new RetryPolicy(1, null, List.of(RetryOn.of("resource-exhausted")), null, null, null, null,
				null, null);
		apply(List.of(h2c("echo", failing, working)), route("echo").withRetries(listed));
		for (int i = 0; i < 2; i++) {
			assertThat(grpc.blocking().unary(text("x")).getServer()).isEqualTo("working");
		}
	}

	@Test
	void grpcTimeoutIsTheDeadlineCappedByTheRouteTimeout() {
		apply(List.of(h2c("echo", server("one"))), route("echo").withTimeout(Duration.ofMillis(800)));

		EchoReply reply = grpc.blocking().unary(text("quick"));
		assertThat(reply.getDeadlineMillis()).as("the server is told the route's shorter deadline").isBetween(1L, 800L);
		EchoReply shorter = grpc.blocking().withDeadlineAfter(300, TimeUnit.MILLISECONDS).unary(text("quick"));
		assertThat(shorter.getDeadlineMillis()).as("the client's own, shorter than the route's").isBetween(1L, 300L);

		long start = System.nanoTime();
		StatusRuntimeException late = catchThrowableOfType(StatusRuntimeException.class,
				() -> grpc.blocking().unary(EchoRequest.newBuilder().setDelayMillis(3000).build()));
		assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
	}

	@Test
	void theGatewaysOwnErrorsAreGrpcErrors() {
		apply(List.of(Upstream.of("gone", "http://127.0.0.1:" + closedPort()).withProtocol(UpstreamProtocol.H2C)),
				route("gone"));

		StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
				() -> grpc.blocking().unary(text("x")));
		assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(refused.getStatus().getDescription()).isEqualTo("upstream gone refused the connection");

		apply(List.of(), new Route[0]);
		StatusRuntimeException noRoute = catchThrowableOfType(StatusRuntimeException.class,
				() -> grpc.blocking().unary(text("x")));
		assertThat(noRoute.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
	}

	@Test
	void callsInFlightTogetherShareOneConnectionToTheUpstream() throws Exception {
		EchoServer server = server("one");
		apply(List.of(h2c("echo", server)), route("echo"));
		CompletableFuture<Void> gate = new CompletableFuture<>();
		server.gate.set(gate);

		List<CompletableFuture<EchoReply>> replies = unaryCalls(20);
		// all 20 wait at the server, in flight together
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.calls).hasValue(20));
		gate.complete(null);

		for (CompletableFuture<EchoReply> reply : replies) {
			assertThat(reply.get(10, TimeUnit.SECONDS).getServer()).isEqualTo("one");
		}
		assertThat(server.connections).hasValue(1);
	}

	@Test
	void callsPastTheServersStreamLimitGoOutOnAnotherConnectionAndDoNotWait() throws Exception {
		EchoServer server = closeAfter(EchoServer.start("one", 2));
		apply(List.of(h2c("echo", server)), route("echo"));
		CompletableFuture<Void> gate = new CompletableFuture<>();
		server.gate.set(gate);

		List<CompletableFuture<EchoReply>> replies = unaryCalls(5);
		// none of the five waits for another to end: two streams on each connection, the server's limit
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.calls).hasValue(5));
		assertThat(server.connections).hasValue(3);
		gate.complete(null);

		for (CompletableFuture<EchoReply> reply : replies) {
			assertThat(reply.get(10, TimeUnit.SECONDS).getServer()).isEqualTo("one");
		}
	}

	/** {@code calls} unary calls started at once, each its reply. */
	private List<CompletableFuture<EchoReply>> unaryCalls(int calls) {
		List<CompletableFuture<EchoReply>> replies = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			CompletableFuture<EchoReply> reply = new CompletableFuture<>();
			grpc.async().unary(text("x" + i), GrpcClients.recording(reply, new CopyOnWriteArrayList<>()));
			replies.add(reply);
		}
		return replies;
	}

	private static int closedPort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** What {@code calls} unary calls got: the server's name, or the status it failed with. */
	private List<String> answers(int calls) {
		List<String> answers = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			try {
				answers.add(grpc.blocking().unary(text("x")).getServer());
			}
			catch (StatusRuntimeException ex) {
				answers.add(ex.getStatus().getCode().name());
			}
		}
		return answers;
	}

	private static EchoRequest fail(Status.Code code) {
		return EchoRequest.newBuilder().setFailWith(code.value()).build();
	}

	private static Status.Code status(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
		return catchThrowableOfType(StatusRuntimeException.class, call).getStatus().getCode();
	}

}
