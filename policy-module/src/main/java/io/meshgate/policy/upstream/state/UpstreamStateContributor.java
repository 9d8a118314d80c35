package io.meshgate.policy.upstream.state;

import java.util.Map;

import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.upstream.UpstreamRuntime;

/**
 * How an upstream policy shows its live state in {@code /actuator/mesh} and in the
 * {@code upstreams} health details. Declare an implementation as a bean; each one adds a field
 * named {@link #name()} to every upstream it applies to, and to every endpoint it has state for:
 *
 * <pre>
 * "upstreams": [{"name": "orders-v2", ...,
 *     "circuitBreaker": {"state": "CLOSED", "failureRate": 1.5},        &lt;- upstreamState
 *     "endpoints": [{"address": "10.0.1.12:8080", ...,
 *         "outlierDetection": {"ejected": true, "ejectedUntil": "2026-…Z"}}]}]   &lt;- endpointState
 * </pre>
 *
 * Both methods are called on the admin port, never on the request path; they must answer from
 * memory (no I/O, no blocking) and return JSON-friendly values: strings, numbers, booleans,
 * lists and maps of them (times as ISO-8601 strings, durations in seconds). Return {@code null}
 * where the policy is not configured: the field is then left out rather than filled with a
 * made-up value. Never return secrets (keys, passwords); a certificate's subject and expiry are fine.
 */
public interface UpstreamStateContributor {

	/**
	 * The field name, one per policy: {@code circuitBreaker}, {@code outlierDetection},
	 * {@code healthCheck}, {@code tls}. Must not be one of the fields Meshgate writes itself
	 * ({@code name}, {@code loadBalancer}, {@code discovery}, {@code endpoints}, {@code address},
	 * {@code uri}, {@code weight}, {@code inFlight}).
	 */
	String name();

	/** This policy's state for {@code upstream}, or {@code null} when it does not apply. */
	default Map<String, Object> upstreamState(UpstreamRuntime upstream) {
		return null;
	}

	/** This policy's state for one endpoint of {@code upstream}, or {@code null}. */
	default Map<String, Object> endpointState(UpstreamRuntime upstream, UpstreamEndpoint endpoint) {
		return null;
	}

}
