package io.meshgate.gateway.kubernetes.gatewayapi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRetry;

/**
 * An HTTPRoute rule's {@code retry} (Gateway API, experimental channel) as the fields of a route's
 * {@code retries}, Meshgate's budgeted retries:
 * <ul>
 * <li>{@code attempts} is the number of retries after the first try, as Meshgate's is (0-10; unset:
 * Meshgate's default of 2);</li>
 * <li>{@code codes} are retried, and so are connection failures and resets, which the spec says an
 * implementation should retry whenever a {@code retry} is configured;</li>
 * <li>{@code backoff} is the first wait, doubled per retry with jitter that never goes below it
 * (the spec's "not retried before the configured minimum").</li>
 * </ul>
 * Only idempotent requests are retried (POST and PATCH get one try), and the rule's request
 * timeout covers every try, as the spec requires.
 */
final class RouteRetry {

	/** The most retries a route may make: {@code RetryPolicy}'s own limit, named here for a clearer error. */
	private static final int MAX_ATTEMPTS = 10;

	private RouteRetry() {
	}

	/**
	 * The {@code retries} fields {@code retry} sets.
	 * @throws IllegalArgumentException naming the field, when a value cannot be served
	 */
	static Map<String, Object> fields(HTTPRouteRetry retry, String where) {
		Map<String, Object> fields = new LinkedHashMap<>();
		Integer attempts = retry.getAttempts();
		if (attempts != null) {
			if (attempts < 0 || attempts > MAX_ATTEMPTS) {
				throw new IllegalArgumentException(
						where + ".attempts: " + attempts + " (expected: 0-" + MAX_ATTEMPTS + ")");
			}
			fields.put("attempts", attempts);
		}
		List<Object> retryOn = new ArrayList<>(List.of("connect-failure", "reset"));
		List<Integer> codes = retry.getCodes() == null ? List.of() : retry.getCodes();
		for (int c = 0; c < codes.size(); c++) {
			Integer code = codes.get(c);
			if (code == null || code < 400 || code > 599) {
				throw new IllegalArgumentException(where + ".codes[" + c + "]: " + code + " (expected: 400-599)");
			}
			if (!retryOn.contains(String.valueOf(code))) {
				retryOn.add(String.valueOf(code));
			}
		}
		fields.put("retryOn", retryOn);
		Duration backoff = HttpRouteTranslator.duration(retry.getBackoff(), where + ".backoff");
		if (backoff != null) {
			fields.put("baseInterval", backoff.toMillis() + "ms");
		}
		return fields;
	}

}
