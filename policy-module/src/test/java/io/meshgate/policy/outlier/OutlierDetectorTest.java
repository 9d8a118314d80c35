package io.meshgate.policy.outlier;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.endpoint.UpstreamEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

/** Consecutive-failure ejection on a clock the test moves ({@code nanos}). */
class OutlierDetectorTest {

	static final long SECOND = Duration.ofSeconds(1).toNanos();

	final AtomicLong nanos = new AtomicLong(1_000 * SECOND);

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final AtomicInteger changes = new AtomicInteger();

	final List<UpstreamEndpoint> endpoints = IntStream.rangeClosed(1, 4)
		.mapToObj(i -> new UpstreamEndpoint("svc", URI.create("http://10.0.0." + i + ":80"), 1, Map.of()))
		.toList();

	final UpstreamEndpoint a = endpoints.get(0);

	@Test
	void theFifthConsecutive5xxEjectsAndAnAnswerBelow500StartsTheCountAgain() {
		OutlierDetector detector = detector(new OutlierDetectionPolicy(5, null, null, null, null));

		answers(detector, a, 500, 4);
		detector.record(a, 404, endpoints);
		answers(detector, a, 500, 4);
		assertThat(ejected(a)).isFalse();

		detector.record(a, 500, endpoints);

		assertThat(ejected(a)).isTrue();
		assertThat(changes).hasValue(1);
		assertThat(meters.get(MeshMetrics.OUTLIER_EJECTIONS).tag(MeshMetrics.ENDPOINT, "10.0.0.1:80").counter().count())
			.isEqualTo(1);
	}

	@Test
	void noAnswerCountsAsAServerErrorAndAsAGatewayFailure() {
		OutlierDetector detector = detector(new OutlierDetectionPolicy(0, 3, null, null, null));

		// 500 is a server error but no gateway failure: it breaks the streak
		answers(detector, a, 0, 2);
		detector.record(a, 500, endpoints);
		answers(detector, a, 503, 2);
		assertThat(ejected(a)).isFalse();

		detector.record(a, 0, endpoints);
		assertThat(ejected(a)).isTrue();
	}

	@Test
	void anEjectionEndsAfterBaseEjectionTimeToTheNanosecond() {
		OutlierDetector detector = detector(new OutlierDetectionPolicy(1, null, null, Duration.ofSeconds(30), null));
		long start = nanos.get();

		detector.record(a, 503, endpoints);

		nanos.set(start + 30 * SECOND - 1);
		assertThat(ejected(a)).isTrue();
		nanos.set(start + 30 * SECOND);
		assertThat(ejected(a)).isFalse();
	}

	@Test
	void eachEjectionLastsBaseTimesItsNumberUntilIntervalsBackInRotationDecayIt() {
		OutlierDetector detector = detector(
				new OutlierDetectionPolicy(1, null, Duration.ofSeconds(10), Duration.ofSeconds(30), null));
		long start = nanos.get();

		detector.record(a, 503, endpoints);
		assertThat(a.health().ejectedUntilNanos()).isEqualTo(start + 30 * SECOND);

		// back at 30 s and failing at once: the second ejection lasts 60 s
		nanos.set(start + 30 * SECOND);
		detector.record(a, 503, endpoints);
		assertThat(a.health().ejectedUntilNanos()).isEqualTo(start + 90 * SECOND);

		// back at 90 s; one interval short of 20 s later only one ejection has decayed: 2 x 30 s
		nanos.set(start + 110 * SECOND - 1);
		detector.record(a, 503, endpoints);
		assertThat(a.health().ejections()).isEqualTo(2);
		assertThat(a.health().ejectedUntilNanos()).isEqualTo(nanos.get() + 60 * SECOND);

		// back after it; two full intervals later both ejections have decayed: 1 x 30 s
		nanos.addAndGet(60 * SECOND + 20 * SECOND);
		detector.record(a, 503, endpoints);
		assertThat(a.health().ejections()).isEqualTo(1);
		assertThat(a.health().ejectedUntilNanos()).isEqualTo(nanos.get() + 30 * SECOND);
	}

	@Test
	void maxEjectionPercentAlwaysLetsOneEndpointGoAndNoMoreThanItsShare() {
		OutlierDetector tenPercent = detector(new OutlierDetectionPolicy(1, null, null, null, 10.0));
		tenPercent.record(endpoints.get(0), 503, endpoints);
		tenPercent.record(endpoints.get(1), 503, endpoints);

		assertThat(endpoints.stream().map(this::ejected)).containsExactly(true, false, false, false);
	}

	@Test
	void atFiftyPercentTwoOfFourEndpointsMayBeEjectedButNotThree() {
		OutlierDetector detector = detector(new OutlierDetectionPolicy(1, null, null, null, 50.0));

		endpoints.forEach(endpoint -> detector.record(endpoint, 503, endpoints));

		assertThat(endpoints.stream().map(this::ejected)).containsExactly(true, true, false, false);
		assertThat(changes).hasValue(2);
	}

	@Test
	void failuresOfAnEjectedEndpointDoNotLengthenItsEjection() {
		OutlierDetector detector = detector(new OutlierDetectionPolicy(1, null, null, Duration.ofSeconds(30), null));
		long start = nanos.get();
		detector.record(a, 503, endpoints);

		nanos.set(start + 10 * SECOND);
		detector.record(a, 503, endpoints);

		assertThat(a.health().ejectedUntilNanos()).isEqualTo(start + 30 * SECOND);
		assertThat(a.health().ejections()).isEqualTo(1);
		assertThat(changes).hasValue(1);
	}

	private OutlierDetector detector(OutlierDetectionPolicy policy) {
		return new OutlierDetector("svc", policy, nanos::get, meters, changes::incrementAndGet);
	}

	private void answers(OutlierDetector detector, UpstreamEndpoint endpoint, int status, int times) {
		for (int i = 0; i < times; i++) {
			detector.record(endpoint, status, endpoints);
		}
	}

	private boolean ejected(UpstreamEndpoint endpoint) {
		return endpoint.health().ejected(nanos.get());
	}

}
