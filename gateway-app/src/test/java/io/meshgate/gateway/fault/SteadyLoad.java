package io.meshgate.gateway.fault;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Closed-loop load on loopback: {@code workers} threads each send GETs one after another until
 * {@code maxRequests} have been sent, {@code maxTime} has passed or {@link #stop()} is called,
 * whichever comes first. Every request is recorded with its start time, status and latency; an
 * I/O error or a client timeout is recorded as status -1.
 */
final class SteadyLoad {

	/** One request: when it started (ns since the load started), its status and its latency. */
	record Sample(long startedNanos, int status, long micros, String body) {

	}

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();

	private final AtomicInteger sent = new AtomicInteger();

	private final AtomicBoolean stopped = new AtomicBoolean();

	private final ExecutorService pool;

	private final long startNanos = System.nanoTime();

	private SteadyLoad(String url, int workers, int maxRequests, Duration maxTime, Duration requestTimeout) {
		long deadline = startNanos + maxTime.toNanos();
		HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout).build();
		pool = Executors.newFixedThreadPool(workers);
		for (int i = 0; i < workers; i++) {
			pool.execute(() -> {
				while (!stopped.get() && System.nanoTime() < deadline && sent.incrementAndGet() <= maxRequests) {
					long begin = System.nanoTime();
					int status;
					String body;
					try {
						HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
						status = response.statusCode();
						body = status == 200 ? "" : response.body();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
					catch (Exception ex) {
						status = -1;
						body = ex.toString();
					}
					samples.add(new Sample(begin - startNanos, status, (System.nanoTime() - begin) / 1000, body));
				}
			});
		}
	}

	static SteadyLoad start(String url, int workers, int maxRequests, Duration maxTime) {
		return new SteadyLoad(url, workers, maxRequests, maxTime, Duration.ofSeconds(10));
	}

	/** Nanoseconds since the load started. */
	long elapsedNanos() {
		return System.nanoTime() - startNanos;
	}

	/** Requests answered (or failed) so far. */
	int answered() {
		return samples.size();
	}

	void stop() {
		stopped.set(true);
	}

	/** Waits for every worker to finish (stopping them after {@code maxTime} anyway). */
	Result await() throws InterruptedException {
		pool.shutdown();
		if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
			pool.shutdownNow();
		}
		return new Result(new ArrayList<>(samples));
	}

	/** What a load (or part of it) got back. */
	record Result(List<Sample> samples) {

		int sent() {
			return samples.size();
		}

		int count(Predicate<Sample> which) {
			return (int) samples.stream().filter(which).count();
		}

		int succeeded() {
			return count(s -> s.status() == 200);
		}

		int failed() {
			return sent() - succeeded();
		}

		/** The requests started at or after {@code nanos} since the load started. */
		Result startedAfter(long nanos) {
			return new Result(samples.stream().filter(s -> s.startedNanos() >= nanos).toList());
		}

		/** The requests started before {@code nanos} since the load started. */
		Result startedBefore(long nanos) {
			return new Result(samples.stream().filter(s -> s.startedNanos() < nanos).toList());
		}

		/** Latency percentile in µs of the successful requests. */
		long percentileMicros(double percentile) {
			long[] sorted = samples.stream().filter(s -> s.status() == 200).mapToLong(Sample::micros).sorted().toArray();
			if (sorted.length == 0) {
				return -1;
			}
			int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
			return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
		}

		long maxMicros() {
			return samples.stream().mapToLong(Sample::micros).max().orElse(0);
		}

		Map<Integer, Integer> statuses() {
			Map<Integer, Integer> statuses = new TreeMap<>();
			samples.forEach(s -> statuses.merge(s.status(), 1, Integer::sum));
			return statuses;
		}

		/** One failed sample's body, for assertion messages. */
		String firstFailure() {
			return samples.stream().filter(s -> s.status() != 200).findFirst().map(s -> s.status() + " " + s.body())
				.orElse("none");
		}

		/** Prints {@code [fault] name sent=… succeeded=… failed=…} and more, and returns the line. */
		String print(String name, String extra) {
			return print(name, succeeded(), extra);
		}

		/**
		 * As {@link #print(String, String)}, for a case where {@code succeeded} requests got the
		 * answer expected (which need not be a 200).
		 */
		String print(String name, int succeeded, String extra) {
			String line = String.format("[fault] %-34s sent=%d succeeded=%d failed=%d statuses=%s p50=%dus p99=%dus%s",
					name, sent(), succeeded, sent() - succeeded, statuses(), percentileMicros(50), percentileMicros(99),
					extra.isEmpty() ? "" : " " + extra);
			System.out.println(line);
			return line;
		}

	}

}
