package io.meshgate.policy.fault;

import java.time.Duration;

import io.meshgate.policy.schema.Example;

/**
 * Faults injected into a share of a route's requests, for chaos tests (Istio's
 * {@code HTTPFaultInjection}):
 * {@code fault: {delay: {percentage: 10, fixedDelay: 2s}, abort: {percentage: 5, httpStatus: 503}}}.
 * A request may be delayed and then aborted; an aborted request never reaches the upstream.
 */
public record FaultPolicy(Delay delay, Abort abort) {

	public static final FaultPolicy NONE = new FaultPolicy(null, null);

	public FaultPolicy {
		delay = delay == null ? Delay.NONE : delay;
		abort = abort == null ? Abort.NONE : abort;
	}

	public boolean active() {
		return delay.percentage() > 0 || abort.percentage() > 0;
	}

	/**
	 * @param percentage share of requests delayed, 0-100; default 0
	 * @param fixedDelay how long; required when percentage > 0
	 */
	public record Delay(Double percentage, @Example("2s") Duration fixedDelay) {

		static final Delay NONE = new Delay(0.0, Duration.ZERO);

		public Delay {
			percentage = percentage == null ? 0.0 : percentage;
			if (!(percentage >= 0 && percentage <= 100)) {
				throw new IllegalArgumentException("delay.percentage: " + percentage + " (expected: 0-100)");
			}
			fixedDelay = fixedDelay == null ? Duration.ZERO : fixedDelay;
			if (fixedDelay.isNegative() || percentage > 0 && fixedDelay.isZero()) {
				throw new IllegalArgumentException("delay.fixedDelay: " + fixedDelay + " (expected: > 0)");
			}
		}

	}

	/**
	 * @param percentage share of requests answered at once with {@code httpStatus}, 0-100; default 0
	 * @param httpStatus the status to answer, 200-599; default 503
	 */
	public record Abort(Double percentage, Integer httpStatus) {

		static final Abort NONE = new Abort(0.0, 503);

		public Abort {
			percentage = percentage == null ? 0.0 : percentage;
			if (!(percentage >= 0 && percentage <= 100)) {
				throw new IllegalArgumentException("abort.percentage: " + percentage + " (expected: 0-100)");
			}
			httpStatus = httpStatus == null ? 503 : httpStatus;
			if (httpStatus < 200 || httpStatus > 599) {
				throw new IllegalArgumentException("abort.httpStatus: " + httpStatus + " (expected: 200-599)");
			}
		}

	}

}
