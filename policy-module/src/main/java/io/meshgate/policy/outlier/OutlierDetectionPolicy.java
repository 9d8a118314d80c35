package io.meshgate.policy.outlier;

import java.time.Duration;

/**
 * Passive health: endpoints that keep failing are taken out of rotation for a while (Envoy's
 * {@code outlier_detection}, Istio's {@code outlierDetection}):
 * {@code outlierDetection: {consecutive5xx: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50}}.
 *
 * @param consecutive5xx 5xx answers in a row (connection failures and timeouts included) that
 * eject an endpoint; default 5; 0 turns this check off
 * @param consecutiveGatewayFailure 502, 503, 504 answers, connection failures and timeouts in
 * a row that eject an endpoint; default 0 (off)
 * @param interval how often an endpoint's ejection count decays by one while it is not
 * ejected; default 10s
 * @param baseEjectionTime an ejection lasts this long times the number of times the endpoint
 * has been ejected; default 30s
 * @param maxEjectionPercent never eject more than this share of an upstream's endpoints, 0-100
 * (one endpoint may always be ejected); default 10
 */
public record OutlierDetectionPolicy(Integer consecutive5xx, Integer consecutiveGatewayFailure, Duration interval,
		Duration baseEjectionTime, Double maxEjectionPercent) {

	public OutlierDetectionPolicy {
		consecutive5xx = consecutive5xx == null ? 5 : consecutive5xx;
		if (consecutive5xx < 0) {
			throw new IllegalArgumentException("consecutive5xx: " + consecutive5xx + " (expected: >= 0)");
		}
		consecutiveGatewayFailure = consecutiveGatewayFailure == null ? 0 : consecutiveGatewayFailure;
		if (consecutiveGatewayFailure < 0) {
			throw new IllegalArgumentException(
					"consecutiveGatewayFailure: " + consecutiveGatewayFailure + " (expected: >= 0)");
		}
		interval = interval == null ? Duration.ofSeconds(10) : interval;
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
		}
		baseEjectionTime = baseEjectionTime == null ? Duration.ofSeconds(30) : baseEjectionTime;
		if (baseEjectionTime.isNegative() || baseEjectionTime.isZero()) {
			throw new IllegalArgumentException("baseEjectionTime: " + baseEjectionTime + " (expected: > 0)");
		}
		maxEjectionPercent = maxEjectionPercent == null ? 10.0 : maxEjectionPercent;
		if (!(maxEjectionPercent >= 0 && maxEjectionPercent <= 100)) {
			throw new IllegalArgumentException("maxEjectionPercent: " + maxEjectionPercent + " (expected: 0-100)");
		}
	}

	public static OutlierDetectionPolicy defaults() {
		return new OutlierDetectionPolicy(null, null, null, null, null);
	}

}
