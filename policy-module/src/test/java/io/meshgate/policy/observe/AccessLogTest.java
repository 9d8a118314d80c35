package io.meshgate.policy.observe;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.grpc.GrpcStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** The access-log line: one JSON object, fields in a fixed order. */
class AccessLogTest {

	@Test
	void lineHasEveryFieldInOrder() {
		RequestOutcome outcome = new RequestOutcome(Instant.parse("2026-11-26T15:43:42.123456Z"), "GET", "/demo/",
				"demo", "demo-v1", "demo-v1", "127.0.0.1:40211", 200, 3_214_000, 0, 87, 1, true, "127.0.0.1",
				"4bf92f3577b34da6a3ce929d0e0e4736", GrpcStatus.NONE);

		assertThat(AccessLog.line(outcome)).isEqualTo("{\"time\":\"2026-11-26T15:43:42.123Z\",\"method\":\"GET\","
				+ "\"path\":\"/demo/\",\"route\":\"demo\",\"backend\":\"demo-v1\",\"upstream\":\"demo-v1\","
				+ "\"endpoint\":\"127.0.0.1:40211\",\"status\":200,\"durationMs\":3.21,\"bytesIn\":0,\"bytesOut\":87,"
				+ "\"retries\":1,\"mirrored\":true,\"client\":\"127.0.0.1\","
				+ "\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
	}

	@Test
	void absentValuesAreNull() {
		RequestOutcome outcome = new RequestOutcome(Instant.parse("2026-11-26T15:43:42Z"), "GET", "/nope", null, null,
				null, null, 404, 1_000_000, 0, 70, 0, false, null, null, GrpcStatus.NONE);

		assertThat(AccessLog.line(outcome)).contains("\"route\":null,\"backend\":null,\"upstream\":null,\"endpoint\":null")
			.contains("\"client\":null,\"traceId\":null}");
	}

	@Test
	void aGrpcCallsLineCarriesItsGrpcStatus() {
		RequestOutcome outcome = new RequestOutcome(Instant.parse("2026-11-26T15:43:42Z"), "POST",
				"/meshgate.test.Echo/Unary", "grpc", "echo", "echo", "127.0.0.1:40211", 200, 1_000_000, 7, 0, 0, false,
				null, null, GrpcStatus.UNAVAILABLE);

		assertThat(AccessLog.line(outcome)).contains("\"status\":200,\"grpcStatus\":14,\"durationMs\"");
		assertThat(outcome.grpcStatusName()).isEqualTo("UNAVAILABLE");
	}

	@Test
	void statusClasses() {
		assertThat(MeshMetrics.statusClass(200)).isEqualTo("2xx");
		assertThat(MeshMetrics.statusClass(499)).isEqualTo("4xx");
		assertThat(MeshMetrics.statusClass(503)).isEqualTo("5xx");
		assertThat(MeshMetrics.statusClass(0)).isEqualTo("none");
	}

}
