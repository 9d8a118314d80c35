package io.meshgate.policy.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.meshgate.policy.grpc.testing.EchoReply;
import io.meshgate.policy.grpc.testing.EchoRequest;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.GrpcMatch;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/** Routes chosen by a call's gRPC service and method, exact and by regular expression, over real calls. */
class GrpcRouteMatchTest extends GatewayTest {

	private static final String ECHO = "meshgate.test.Echo";

	private GrpcClients grpc;

	@BeforeEach
	void connect() {
		grpc = GrpcClients.h2c(port);
	}

	@AfterEach
	void close() throws Exception {
		grpc.close();
	}

	private Upstream upstream(String name) {
		return Upstream.of(name, closeAfter(EchoServer.start(name)).url("http")).withProtocol(UpstreamProtocol.H2C);
	}

	private static Route route(String id, GrpcMatch match, String upstream) {
		return Route.of(id, RouteMatch.grpc(match), List.of(Backend.of(upstream, 1)));
	}

	private static EchoRequest one() {
		return EchoRequest.newBuilder().setText("x").setCount(1).build();
	}

	/** The server that answered a bidirectional call of one message. */
	private String bidi() throws Exception {
		CompletableFuture<String> server = new CompletableFuture<>();
		StreamObserver<EchoRequest> chat = grpc.async().bidi(new StreamObserver<>() {
			@Override
			public void onNext(EchoReply reply) {
				server.complete(reply.getServer());
			}

			@Override
			public void onError(Throwable error) {
				server.completeExceptionally(error);
			}

			@Override
			public void onCompleted() {
			}
		});
		chat.onNext(one());
		try {
			return server.get(10, TimeUnit.SECONDS);
		}
		finally {
			chat.onCompleted();
		}
	}

	@Test
	void exactMethodsRegexMethodsAndAWholeServiceEachTakeTheirCalls() throws Exception {
		apply(List.of(upstream("unary"), upstream("streams"), upstream("rest")),
				route("unary", GrpcMatch.exact(ECHO, "Unary"), "unary"),
				route("streams", GrpcMatch.regex(null, "(Server|Client)Stream"), "streams"),
				route("rest", GrpcMatch.exact(ECHO, null), "rest"));

		assertThat(grpc.blocking().unary(one()).getServer()).isEqualTo("unary");
		assertThat(grpc.blocking().serverStream(one()).next().getServer()).isEqualTo("streams");
		assertThat(bidi()).isEqualTo("rest");
	}

	@Test
	void aServiceRegexTakesEveryMethodOfTheServicesItMatches() throws Exception {
		apply(List.of(upstream("echo"), upstream("other")),
				route("other", GrpcMatch.regex("other\\..*", null), "other"),
				route("echo", GrpcMatch.regex("meshgate\\.test\\.E.*", "Unary|Bidi"), "echo"));

		assertThat(grpc.blocking().unary(one()).getServer()).isEqualTo("echo");
		assertThat(bidi()).isEqualTo("echo");
		List<String> unmatched = new ArrayList<>();
		try {
			grpc.blocking().serverStream(one()).next();
		}
		catch (io.grpc.StatusRuntimeException ex) {
			unmatched.add(ex.getStatus().getCode().name());
		}
		assertThat(unmatched).as("no route: the gateway's own gRPC error").containsExactly("UNIMPLEMENTED");
	}

}
