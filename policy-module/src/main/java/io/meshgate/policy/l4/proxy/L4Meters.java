package io.meshgate.policy.l4.proxy;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.meshgate.policy.observe.MeshMetrics;

/**
 * The meters of one backend of one L4 route, registered when the route is built so that a
 * connection only increments them:
 * <ul>
 * <li>{@code meshgate.l4.connections} (counter): connections relayed to the backend,
 * tagged {@code outcome}: {@code connected}, {@code connect_failure};</li>
 * <li>{@code meshgate.l4.bytes} (counter): bytes relayed, tagged {@code direction}:
 * {@code upstream} (client to backend), {@code downstream} (backend to client);</li>
 * <li>{@code meshgate.l4.connection.duration} (timer): how long relayed connections lasted.</li>
 * </ul>
 * All tagged {@code route} and {@code backend} (the upstream's name). Connections refused before a
 * backend is chosen count in {@code meshgate.l4.rejected} (tags {@code route}, {@code reason}:
 * {@code max_connections}, {@code no_endpoint}), and open connections per route are the gauge
 * {@code meshgate.l4.active}.
 */
final class L4Meters {

	static final String CONNECTIONS = "meshgate.l4.connections";

	static final String BYTES = "meshgate.l4.bytes";

	static final String DURATION = "meshgate.l4.connection.duration";

	static final String REJECTED = "meshgate.l4.rejected";

	static final String ACTIVE = "meshgate.l4.active";

	final Counter connected;

	final Counter connectFailures;

	final Counter bytesUpstream;

	final Counter bytesDownstream;

	final Timer duration;

	L4Meters(MeterRegistry meters, String route, String backend) {
		connected = Counter.builder(CONNECTIONS).tags(MeshMetrics.ROUTE, route, MeshMetrics.BACKEND, backend,
				"outcome", "connected").register(meters);
		connectFailures = Counter.builder(CONNECTIONS).tags(MeshMetrics.ROUTE, route, MeshMetrics.BACKEND, backend,
				"outcome", "connect_failure").register(meters);
		bytesUpstream = Counter.builder(BYTES).baseUnit("bytes")
			.tags(MeshMetrics.ROUTE, route, MeshMetrics.BACKEND, backend, "direction", "upstream").register(meters);
		bytesDownstream = Counter.builder(BYTES).baseUnit("bytes")
			.tags(MeshMetrics.ROUTE, route, MeshMetrics.BACKEND, backend, "direction", "downstream").register(meters);
		duration = Timer.builder(DURATION).tags(MeshMetrics.ROUTE, route, MeshMetrics.BACKEND, backend)
			.register(meters);
	}

	void closed(long openedNanos, long upstreamBytes, long downstreamBytes) {
		duration.record(Duration.ofNanos(System.nanoTime() - openedNanos));
		bytesUpstream.increment(upstreamBytes);
		bytesDownstream.increment(downstreamBytes);
	}

	static Counter rejected(MeterRegistry meters, String route, String reason) {
		return Counter.builder(REJECTED).tags(MeshMetrics.ROUTE, route, "reason", reason).register(meters);
	}

}
