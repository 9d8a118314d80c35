package io.meshgate.gateway.observe;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.grpc.EchoServer;
import io.meshgate.policy.grpc.GrpcClients;
import io.meshgate.policy.grpc.testing.EchoReply;
import io.meshgate.policy.grpc.testing.EchoRequest;
import io.meshgate.policy.observe.AccessLog;
import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A gRPC call's {@code grpc-status} is its outcome in {@code meshgate.requests} (the
 * {@code grpc_status} tag) and in the access log, whether it came in the response headers
 * (Trailers-Only) or in the trailers after the messages; a gRPC client of the h2c ingress.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "meshgate.demo.enabled=false", "meshgate.access-log.enabled=true",
				"meshgate.store.path=target/stores/grpc-observability-${random.uuid}", "server.http2.enabled=true",
				"meshgate.admin.users[0].name=" + TestUsers.VIEWER, "meshgate.admin.users[0].roles[0]=viewer",
				"meshgate.admin.users[0].password=" + TestUsers.VIEWER_HASH })
class GrpcObservabilityTest {

	@LocalServerPort
	int port;

	@Autowired
	MeshRouting routing;

	@Autowired
	MeterRegistry meters;

	final ListAppender<ILoggingEvent> accessLines = new ListAppender<>();

	EchoServer server;

	GrpcClients grpc;

	@BeforeEach
	void setUp() {
		accessLines.start();
		((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).addAppender(accessLines);
		server = EchoServer.start("one");
		routing.apply(new MeshConfig(
				List.of(Upstream.of("echo", server.url("http")).withProtocol(UpstreamProtocol.H2C)),
				List.of(Route.of("grpc", "/meshgate.test.Echo/**", Backend.of("echo", 1)))));
		grpc = GrpcClients.h2c(port);
	}

	@AfterEach
	void tearDown() throws Exception {
		((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).detachAppender(accessLines);
		routing.apply(MeshConfig.EMPTY);
		grpc.close();
		server.close();
	}

	@Test
	void grpcStatusIsTheMetricTagAndInTheAccessLog() {
		grpc.blocking().unary(EchoRequest.newBuilder().setText("fine").build());
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> grpc.blocking().unary(EchoRequest.newBuilder().setFailWith(14).build()));
		var stream = grpc.blocking()
			.serverStream(EchoRequest.newBuilder().setCount(1).setFailWith(Status.Code.NOT_FOUND.value()).build());
		EchoReply first = stream.next();
		assertThat(first.getIndex()).isZero();
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(stream::next);

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(count("OK")).isEqualTo(1);
			assertThat(count("UNAVAILABLE")).as("Trailers-Only answer").isEqualTo(1);
			assertThat(count("NOT_FOUND")).as("status in the trailers").isEqualTo(1);
			assertThat(accessLines.list).hasSize(3);
		});
		List<Map<String, Object>> lines = accessLines.list.stream()
			.map(event -> JsonParserFactory.getJsonParser().parseMap(event.getFormattedMessage()))
			.toList();
		assertThat(lines).extracting(line -> line.get("grpcStatus")).containsExactlyInAnyOrder(0, 14, 5);
		assertThat(lines).extracting(line -> line.get("status")).containsOnly(200);
	}

	private long count(String grpcStatus) {
		Timer timer = meters.find(MeshMetrics.REQUESTS)
			.tags(MeshMetrics.ROUTE, "grpc", MeshMetrics.GRPC_STATUS, grpcStatus)
			.timer();
		return timer == null ? 0 : timer.count();
	}

}
