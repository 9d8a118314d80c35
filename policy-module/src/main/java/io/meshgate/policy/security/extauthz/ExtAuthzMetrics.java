package io.meshgate.policy.security.extauthz;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.meshgate.policy.observe.MeshMetrics;

/**
 * One route's external authorization meters, registered when the route is built so that a request
 * only increments: decisions by source, failures by reason, and the auth service's latency.
 */
final class ExtAuthzMetrics {

	private final Counter allowedByService;

	private final Counter deniedByService;

	private final Counter allowedFromCache;

	private final Counter deniedFromCache;

	private final Counter allowedOnFailure;

	private final Counter deniedOnFailure;

	private final Map<Failure, Counter> failures = new EnumMap<>(Failure.class);

	private final Timer allowCalls;

	private final Timer denyCalls;

	private final Timer failedCalls;

	ExtAuthzMetrics(MeterRegistry meters, String route) {
		allowedByService = decisions(meters, route, "allow", "service");
		deniedByService = decisions(meters, route, "deny", "service");
		allowedFromCache = decisions(meters, route, "allow", "cache");
		deniedFromCache = decisions(meters, route, "deny", "cache");
		allowedOnFailure = decisions(meters, route, "allow", "failure");
		deniedOnFailure = decisions(meters, route, "deny", "failure");
		for (Failure failure : Failure.values()) {
			failures.put(failure, Counter.builder(MeshMetrics.EXT_AUTHZ_FAILURES)
				.description("External authorization checks that gave no decision, by reason")
				.tags(MeshMetrics.ROUTE, route, "reason", failure.tag())
				.register(meters));
		}
		allowCalls = calls(meters, route, "allow");
		denyCalls = calls(meters, route, "deny");
		failedCalls = calls(meters, route, "failure");
	}

	private static Counter decisions(MeterRegistry meters, String route, String decision, String source) {
		return Counter.builder(MeshMetrics.EXT_AUTHZ_DECISIONS)
			.description("External authorization decisions, by who decided")
			.tags(MeshMetrics.ROUTE, route, "decision", decision, "source", source)
			.register(meters);
	}

	private static Timer calls(MeterRegistry meters, String route, String result) {
		return Timer.builder(MeshMetrics.EXT_AUTHZ_DURATION)
			.description("Calls to the external authorization service, by result")
			.tags(MeshMetrics.ROUTE, route, "result", result)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(ExtAuthzPolicy.MAX_TIMEOUT)
			.register(meters);
	}

	void decided(Decision decision, boolean cached) {
		if (decision.allowed()) {
			(cached ? allowedFromCache : allowedByService).increment();
		}
		else {
			(cached ? deniedFromCache : deniedByService).increment();
		}
	}

	void failed(Failure failure, boolean failOpen) {
		failures.get(failure).increment();
		(failOpen ? allowedOnFailure : deniedOnFailure).increment();
	}

	/** A call made to the auth service, and how long it took. */
	void called(Outcome outcome, long nanos) {
		Timer timer = outcome instanceof AuthServiceClient.Answer answer
				? answer.decision().allowed() ? allowCalls : denyCalls : failedCalls;
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

}
