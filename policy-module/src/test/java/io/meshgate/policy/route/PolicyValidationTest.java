package io.meshgate.policy.route;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.fault.FaultPolicy;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.retry.RetryOn;
import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** One test per invalid argument of the route policies, each with its message. */
class PolicyValidationTest {

	@Test
	void mirrorNeedsAnUpstream() {
		assertThatIllegalArgumentException().isThrownBy(() -> MirrorPolicy.of(" ", 5))
			.withMessage("upstream:   (expected: the name of an upstream)");
	}

	@Test
	void mirrorPercentageWithinRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> MirrorPolicy.of("m", 100.5))
			.withMessage("percentage: 100.5 (expected: 0-100)");
		assertThatIllegalArgumentException().isThrownBy(() -> MirrorPolicy.of("m", -1))
			.withMessage("percentage: -1.0 (expected: 0-100)");
		assertThatIllegalArgumentException().isThrownBy(() -> MirrorPolicy.of("m", Double.NaN))
			.withMessage("percentage: NaN (expected: 0-100)");
		assertThat(MirrorPolicy.of("m", 2.5).percentage()).isEqualTo(2.5);
	}

	@Test
	void mirrorBodySizeNotNegative() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MirrorPolicy("m", 5.0, DataSize.ofBytes(-1), null, null, null))
			.withMessage("maxBodySize: -1B (expected: 0B-2GB)");
	}

	@Test
	void mirrorConcurrencyAtLeastOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MirrorPolicy("m", 5.0, null, 0, null, null))
			.withMessage("maxConcurrent: 0 (expected: >= 1)");
	}

	@Test
	void mirrorTimeoutPositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MirrorPolicy("m", 5.0, null, null, Duration.ZERO, null))
			.withMessage("timeout: PT0S (expected: > 0)");
	}

	@Test
	void retryAttemptsWithinRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.attempts(11))
			.withMessage("attempts: 11 (expected: 0-10)");
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.attempts(-1))
			.withMessage("attempts: -1 (expected: 0-10)");
	}

	@Test
	void retryPerTryTimeoutPositive() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(1, Duration.ofMillis(-5), null, null, null, null, null, null, null))
			.withMessage("perTryTimeout: PT-0.005S (expected: > 0)");
	}

	@Test
	void retryOnKnownConditions() {
		assertThatIllegalArgumentException().isThrownBy(() -> RetryOn.of("sometimes"))
			.withMessage("retryOn: sometimes (expected: connect-failure, reset, timeout, 5xx, gateway-error, unavailable, "
					+ "cancelled, deadline-exceeded, resource-exhausted or a status 100-599)");
		assertThatIllegalArgumentException().isThrownBy(() -> RetryOn.of("700"))
			.withMessageStartingWith("retryOn: 700 (expected:");
	}

	@Test
	void retryBackoffIntervalsOrdered() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(1, null, null, Duration.ZERO, null, null, null, null, null))
			.withMessage("baseInterval: PT0S (expected: > 0 and <= PT1H)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(1, null, null, Duration.ofMillis(100), Duration.ofMillis(50), null, null,
					null, null))
			.withMessage("maxInterval: PT0.05S (expected: >= baseInterval PT0.1S and <= PT1H)");
	}

	@Test
	void retryBudgetWithinRange() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(1, null, null, null, null, 120.0, null, null, null))
			.withMessage("budgetPercent: 120.0 (expected: 0-100)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(1, null, null, null, null, null, -1, null, null))
			.withMessage("minRetryConcurrency: -1 (expected: >= 0)");
	}

	@Test
	void retryDefaultsFollowEnvoy() {
		RetryPolicy defaults = RetryPolicy.attempts(2);
		assertThat(defaults.retryOn()).extracting(Object::toString).containsExactly("connect-failure", "reset", "503",
				"unavailable", "cancelled", "deadline-exceeded");
		assertThat(defaults.baseInterval()).isEqualTo(Duration.ofMillis(25));
		assertThat(defaults.maxInterval()).isEqualTo(Duration.ofMillis(250));
		assertThat(defaults.budgetPercent()).isEqualTo(20.0);
		assertThat(defaults.minRetryConcurrency()).isEqualTo(3);
		assertThat(defaults.retryNonIdempotent()).isFalse();
	}

	@Test
	void faultPercentagesWithinRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FaultPolicy.Delay(101.0, Duration.ofSeconds(1)))
			.withMessage("delay.percentage: 101.0 (expected: 0-100)");
		assertThatIllegalArgumentException().isThrownBy(() -> new FaultPolicy.Abort(-3.0, 503))
			.withMessage("abort.percentage: -3.0 (expected: 0-100)");
	}

	@Test
	void faultDelayNeedsADuration() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FaultPolicy.Delay(10.0, null))
			.withMessage("delay.fixedDelay: PT0S (expected: > 0)");
	}

	@Test
	void faultAbortStatusIsAnHttpStatus() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FaultPolicy.Abort(10.0, 600))
			.withMessage("abort.httpStatus: 600 (expected: 200-599)");
	}

	@Test
	void rateLimitNeedsTokens() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitPolicy(0, null, null, null, null))
			.withMessage("maxTokens: 0 (expected: >= 1)");
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitPolicy(null, null, null, null, null))
			.withMessage("maxTokens: null (expected: >= 1)");
	}

	@Test
	void rateLimitFillWithinTheBucket() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitPolicy(10, 20, null, null, null))
			.withMessage("tokensPerFill: 20 (expected: 1-10, at most maxTokens)");
	}

	@Test
	void rateLimitFillIntervalAtLeastAMillisecond() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RateLimitPolicy(10, null, Duration.ofNanos(10), null, null))
			.withMessage("fillInterval: PT0.00000001S (expected: >= 1ms)");
	}

	@Test
	void rateLimitKeepsSomeKeys() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitPolicy(10, null, null, null, 0))
			.withMessage("maxKeys: 0 (expected: >= 1)");
	}

	@Test
	void canaryOverrideHeaderIsAHeaderName() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CanaryPolicy(null, "x canary", null, null, null))
			.withMessage("overrideHeader: x canary (expected: a header name, or none to turn it off)");
		assertThat(new CanaryPolicy(null, "", null, null, null).overridable()).isFalse();
	}

	@Test
	void canaryOverrideIsOffByDefault() {
		assertThat(CanaryPolicy.DEFAULT.overridable()).isFalse();
		assertThat(CanaryPolicy.DEFAULT.overrideHeader()).isNull();
		assertThat(CanaryPolicy.DEFAULT.allowZeroWeight()).isFalse();
	}

	@Test
	void canaryOverrideFromIsAListOfRanges() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CanaryPolicy(null, "x-canary", List.of("10.0.0.0/8", "10.0.0/8", "::1/129"), null, null))
			.withMessage("overrideFrom[1]: 10.0.0/8 (expected: an address or CIDR range, as in 10.0.0.0/8 or "
					+ "2001:db8::/32); overrideFrom[2]: ::1/129 (expected: an address or CIDR range, as in 10.0.0.0/8 "
					+ "or 2001:db8::/32)");
	}

	@Test
	void canaryOverrideOptionsNeedTheHeader() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CanaryPolicy(null, null, List.of("10.0.0.0/8"), null, null))
			.withMessage("overrideHeader: null (expected: a header name when overrideFrom is set)");
		assertThatIllegalArgumentException().isThrownBy(() -> new CanaryPolicy(null, null, null, true, null))
			.withMessage("overrideHeader: null (expected: a header name when allowZeroWeight is set)");
	}

	@Test
	void routeTimeoutPositive() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Route.of("r", "/x", Backend.of("a", 1)).withTimeout(Duration.ofSeconds(-1)))
			.withMessage("timeout: PT-1S (expected: > 0, as in 5s or 500ms)");
	}

	@Test
	void streamIdleTimeoutPositiveAndAtMostADay() {
		Route route = Route.of("r", "/x", Backend.of("a", 1));
		assertThatIllegalArgumentException().isThrownBy(() -> route.withStreamIdleTimeout(Duration.ZERO))
			.withMessage("streamIdleTimeout: PT0S (expected: > 0 and at most 24h, as in 1m)");
		assertThatIllegalArgumentException().isThrownBy(() -> route.withStreamIdleTimeout(Duration.ofHours(25)))
			.withMessage("streamIdleTimeout: PT25H (expected: > 0 and at most 24h, as in 1m)");
		assertThat(route.withStreamIdleTimeout(Duration.ofMinutes(1)).streamIdleTimeout()).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void mirrorsReferenceExistingUpstreams() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConfig(List.of(Upstream.of("a", "http://127.0.0.1:1")),
					List.of(Route.of("r", "/x", Backend.of("a", 1)).withMirrors(MirrorPolicy.of("shadow", 5)))))
			.withMessage("routes[r].mirrors[0].upstream: shadow (expected: one of the upstreams [a])");
	}

}
