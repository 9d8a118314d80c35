package io.meshgate.policy.rollout;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One side's numbers during a rollout step on this replica, written by every request of that
 * side at once: no lock, one atomic increment per counter. A snapshot is taken while requests go
 * on, so its counts may disagree by the requests in flight; the gates judge many such snapshots
 * and none of their tests needs them exact to the request.
 */
public final class StepCounters {

	private final LongAdder requests = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final AtomicLongArray latencies = new AtomicLongArray(LatencyHistogram.BUCKETS);

	/** Failed requests since the last one that succeeded. */
	private final AtomicLong failuresInARow = new AtomicLong();

	public void record(boolean failed, long nanos) {
		latencies.incrementAndGet(LatencyHistogram.bucket(nanos / 1000.0));
		if (failed) {
			errors.increment();
			failuresInARow.incrementAndGet();
		}
		else {
			failuresInARow.set(0);
		}
		requests.increment();
	}

	/**
	 * The numbers so far. Requests are counted last, so a snapshot never shows more errors than
	 * requests.
	 */
	public BackendWindow snapshot() {
		long[] counts = new long[LatencyHistogram.BUCKETS];
		for (int b = 0; b < counts.length; b++) {
			counts[b] = latencies.get(b);
		}
		long failed = errors.sum();
		return new BackendWindow(Math.max(failed, requests.sum()), failed, LatencyHistogram.of(counts));
	}

	public long failuresInARow() {
		return failuresInARow.get();
	}

}
