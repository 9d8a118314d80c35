package io.meshgate.admin.traffic;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An upstream's health from checks, ejections, breaker and recent 5xx share together. */
class UpstreamVerdictTest {

	@Test
	void endpointsThatPassTheirChecksButAnswer5xxAreFailing() {
		assertThat(UpstreamVerdict.of(1, 0, 0, "none", answers(12, 12), 10))
			.isEqualTo(new UpstreamVerdict("failing", List.of("100 % of 12 answers 5xx in the last 10 s")));
	}

	@Test
	void aFewErrorsOrTooFewAnswersDegradeWithoutFailing() {
		assertThat(UpstreamVerdict.of(2, 0, 0, "none", answers(100, 10), 10).verdict()).isEqualTo("degraded");
		assertThat(UpstreamVerdict.of(2, 0, 0, "none", answers(2, 2), 10).verdict()).isEqualTo("degraded");
		assertThat(UpstreamVerdict.of(2, 0, 0, "none", answers(100, 4), 10).verdict()).isEqualTo("ok");
	}

	@Test
	void lostEndpointsAndTheBreakerCount() {
		assertThat(UpstreamVerdict.of(4, 1, 1, "closed", answers(0, 0), 10))
			.isEqualTo(new UpstreamVerdict("degraded", List.of("1 of 4 down by health check, 1 of 4 ejected")));
		assertThat(UpstreamVerdict.of(2, 0, 2, "closed", answers(0, 0), 10))
			.isEqualTo(new UpstreamVerdict("down", List.of("no endpoint serving: 2 of 2 ejected")));
		assertThat(UpstreamVerdict.of(2, 0, 0, "open", answers(0, 0), 10))
			.isEqualTo(new UpstreamVerdict("failing", List.of("breaker open")));
		assertThat(UpstreamVerdict.of(0, 0, 0, "none", answers(0, 0), 10))
			.isEqualTo(new UpstreamVerdict("down", List.of("no endpoints")));
	}

	private static TrafficStats answers(long requests, long errors) {
		TrafficStats stats = new TrafficStats();
		stats.add(requests, errors, new double[0], new double[0]);
		return stats;
	}

}
