package io.meshgate.policy.retry;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Envoy's retry budget: a share of the requests in flight, never fewer than the minimum. */
class RetryBudgetTest {

	@Test
	void withNoRequestInFlightTheMinimumStillAllowsThatManyRetries() {
		RetryBudget budget = new RetryBudget(20, 3);

		assertThat(starts(budget, 4)).containsExactly(true, true, true, false);
		assertThat(budget.activeRetries()).isEqualTo(3);
	}

	@Test
	void theBudgetIsItsShareOfTheRequestsInFlightRoundedDown() {
		RetryBudget budget = new RetryBudget(20, 3);
		started(budget, 19);

		// 20 % of 19 is 3.8: 3 retries, the minimum
		assertThat(starts(budget, 4)).containsExactly(true, true, true, false);

		budget.requestStarted();
		// 20 % of 20 is 4
		assertThat(budget.tryStartRetry()).isTrue();
		assertThat(budget.tryStartRetry()).isFalse();
		assertThat(budget.activeRetries()).isEqualTo(4);
	}

	@Test
	void aHundredRequestsInFlightAtTwentyPercentAllowTwentyRetries() {
		RetryBudget budget = new RetryBudget(20, 3);
		started(budget, 100);

		assertThat(starts(budget, 21)).containsOnlyOnce(false).endsWith(false);
		assertThat(budget.activeRetries()).isEqualTo(20);
	}

	@Test
	void aFinishedRetryOrRequestChangesTheNextDecision() {
		RetryBudget budget = new RetryBudget(50, 0);
		started(budget, 2);
		assertThat(starts(budget, 2)).containsExactly(true, false);

		budget.retryFinished();
		assertThat(budget.tryStartRetry()).isTrue();

		budget.requestFinished();
		budget.retryFinished();
		// one request in flight: 50 % of 1 is 0, and the minimum is 0
		assertThat(budget.tryStartRetry()).isFalse();
		assertThat(budget.activeRetries()).isZero();
	}

	@Test
	void aZeroBudgetWithAZeroMinimumNeverRetries() {
		RetryBudget budget = new RetryBudget(0, 0);
		started(budget, 1000);

		assertThat(budget.tryStartRetry()).isFalse();
	}

	@Test
	void aFullBudgetAllowsOneRetryPerRequest() {
		RetryBudget budget = new RetryBudget(100, 0);
		started(budget, 5);

		assertThat(starts(budget, 6)).containsExactly(true, true, true, true, true, false);
	}

	private static void started(RetryBudget budget, int requests) {
		IntStream.range(0, requests).forEach(i -> budget.requestStarted());
	}

	private static java.util.List<Boolean> starts(RetryBudget budget, int tries) {
		return IntStream.range(0, tries).mapToObj(i -> budget.tryStartRetry()).toList();
	}

}
