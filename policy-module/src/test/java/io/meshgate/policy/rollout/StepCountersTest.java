package io.meshgate.policy.rollout;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StepCountersTest {

	@Test
	void countsEveryRequestOfConcurrentWriters() throws InterruptedException {
		StepCounters counters = new StepCounters();
		ExecutorService writers = Executors.newFixedThreadPool(4);
		for (int w = 0; w < 4; w++) {
			writers.execute(() -> {
				for (int i = 0; i < 10_000; i++) {
					counters.record(i % 100 == 0, 2_000_000);
				}
			});
		}
		writers.shutdown();
		assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

		BackendWindow window = counters.snapshot();
		assertThat(window.requests()).isEqualTo(40_000);
		assertThat(window.errors()).isEqualTo(400);
		assertThat(window.latencies().total()).isEqualTo(40_000);
		// 2 ms lies in a bucket that starts above 1.9 ms (buckets are 4.4 % wide)
		assertThat(window.latencies().countAbove(1_900)).isEqualTo(40_000);
	}

	@Test
	void failuresInARowStartAgainAtASuccess() {
		StepCounters counters = new StepCounters();
		counters.record(true, 1);
		counters.record(true, 1);
		assertThat(counters.failuresInARow()).isEqualTo(2);
		counters.record(false, 1);
		assertThat(counters.failuresInARow()).isZero();
		counters.record(true, 1);
		assertThat(counters.failuresInARow()).isEqualTo(1);
	}

}
