package io.meshgate.admin.traffic;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.MeterRegistry;

import io.meshgate.policy.grpc.GrpcStatus;
import io.meshgate.policy.observe.RequestMetrics;
import io.meshgate.policy.observe.RequestOutcome;

/** Requests recorded into a registry's {@code meshgate.requests} timers as the gateway records them, without a gateway. */
final class RecordedRequests {

	private final RequestMetrics requests;

	RecordedRequests(MeterRegistry meters) {
		this.requests = new RequestMetrics(meters);
	}

	/** {@code times} requests of {@code route} to {@code backend} (also their upstream) answered {@code status}. */
	void send(String route, String backend, int status, int times, Duration took) {
		sendGrpc(route, backend, status, GrpcStatus.NONE, times, took);
	}

	void sendGrpc(String route, String backend, int status, int grpcStatus, int times, Duration took) {
		for (int i = 0; i < times; i++) {
			requests.record(new RequestOutcome(Instant.EPOCH, "POST", "/", route, backend, backend, "127.0.0.1:1",
					status, took.toNanos(), 0, 0, 0, false, null, null, grpcStatus));
		}
	}

}
