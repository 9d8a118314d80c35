package io.meshgate.admin.traffic;

import java.util.Locale;

import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.upstream.UpstreamRuntime;

/** The words the traffic views use for an endpoint's and a breaker's state. */
final class UpstreamStates {

	static final String SERVING = "serving";

	static final String DOWN = "down";

	static final String EJECTED = "ejected";

	private UpstreamStates() {
	}

	/** {@code down} (the active check took it out), {@code ejected} (outlier detection) or {@code serving}. */
	static String endpoint(UpstreamEndpoint endpoint, long nowNanos) {
		return !endpoint.health().checkedHealthy() ? DOWN : endpoint.health().ejected(nowNanos) ? EJECTED : SERVING;
	}

	/** The breaker's state in lower case ({@code closed}, {@code open}, {@code half_open}, …), or {@code none}. */
	static String breaker(UpstreamRuntime runtime) {
		return runtime.breaker() == null ? "none"
				: runtime.breaker().circuitBreaker().getState().name().toLowerCase(Locale.ROOT);
	}

}
