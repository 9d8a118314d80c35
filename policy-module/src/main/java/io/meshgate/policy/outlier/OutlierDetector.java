package io.meshgate.policy.outlier;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.meshgate.policy.endpoint.EndpointHealth;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.observe.MeshMetrics;

/**
 * Envoy's consecutive-failure outlier detection for one upstream. Every answer of an endpoint is
 * counted; when one fails {@code consecutive5xx} (or {@code consecutiveGatewayFailure}) times in a
 * row it is ejected at once for {@code baseEjectionTime} times its ejection count, unless that
 * would eject more than {@code maxEjectionPercent} of the upstream (one endpoint may always go).
 * Ejections end by themselves; the load-balancing policies simply stop seeing the endpoint
 * until then. Spring Cloud LoadBalancer has nothing like it (spring-cloud-commons #958).
 */
public final class OutlierDetector {

	private static final Log log = LogFactory.getLog(OutlierDetector.class);

	private final String upstream;

	private final OutlierDetectionPolicy policy;

	private final LongSupplier nanoClock;

	private final MeterRegistry meters;

	private final Runnable onChange;

	public OutlierDetector(String upstream, OutlierDetectionPolicy policy, LongSupplier nanoClock, MeterRegistry meters,
			Runnable onChange) {
		this.upstream = upstream;
		this.policy = policy;
		this.nanoClock = nanoClock;
		this.meters = meters;
		this.onChange = onChange;
	}

	/**
	 * Counts one answer of {@code endpoint}.
	 * @param status the HTTP status, or 0 when no answer came (connection failure, reset, timeout)
	 * @param all the upstream's endpoints, to hold {@code maxEjectionPercent}
	 */
	public void record(UpstreamEndpoint endpoint, int status, List<UpstreamEndpoint> all) {
		boolean gatewayFailure = status == 0 || status == 502 || status == 503 || status == 504;
		boolean serverError = status == 0 || status >= 500;
		String reason = endpoint.health()
			.recordAnswer(serverError, gatewayFailure, policy.consecutive5xx(), policy.consecutiveGatewayFailure());
		if (reason != null) {
			eject(endpoint, reason, all);
		}
	}

	private synchronized void eject(UpstreamEndpoint endpoint, String reason, List<UpstreamEndpoint> all) {
		long now = nanoClock.getAsLong();
		EndpointHealth health = endpoint.health();
		if (health.ejected(now)) {
			return;
		}
		long interval = policy.interval().toNanos();
		all.forEach(e -> e.health().decay(now, interval));
		long ejected = all.stream().filter(e -> e.health().ejected(now)).count();
		if (ejected > 0 && (ejected + 1) * 100.0 > policy.maxEjectionPercent() * all.size()) {
			log.info("Upstream " + upstream + ": not ejecting " + endpoint.address() + " (" + reason + "): "
					+ ejected + " of " + all.size() + " endpoints are ejected, maxEjectionPercent "
					+ policy.maxEjectionPercent());
			return;
		}
		long duration = health.eject(now, policy.baseEjectionTime().toNanos());
		Counter.builder(MeshMetrics.OUTLIER_EJECTIONS)
			.description("Endpoints ejected by outlier detection")
			.tags(MeshMetrics.UPSTREAM, upstream, MeshMetrics.ENDPOINT, endpoint.address())
			.register(meters)
			.increment();
		log.warn("Upstream " + upstream + ": ejected " + endpoint.address() + " for "
				+ Duration.ofNanos(duration).toMillis() + " ms (" + reason + ", ejection #" + health.ejections() + ")");
		onChange.run();
	}

	public OutlierDetectionPolicy policy() {
		return policy;
	}

}
