package io.meshgate.policy.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.json.JsonWriter;

import io.meshgate.policy.grpc.GrpcStatus;

/**
 * One JSON line per request on the logger {@value #LOGGER}, at INFO. The request path only hands
 * the outcome to a bounded queue; a thread of its own turns it into JSON and logs it, in batches,
 * up to {@value #BATCH_INTERVAL_MS} ms after the request. When the writer falls behind, lines are
 * dropped and counted ({@code meshgate.accesslog.dropped}), never queued without bound and never
 * waited for.
 *
 * <pre>
 * {"time":"2026-11-26T15:43:42.123Z","method":"GET","path":"/demo/","route":"demo","backend":"demo-v1",
 *  "upstream":"demo-v1","endpoint":"127.0.0.1:40211","status":200,"durationMs":3.21,"bytesIn":0,
 *  "bytesOut":87,"retries":0,"mirrored":false,"client":"127.0.0.1","traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}
 * </pre>
 * A gRPC call's line has {@code "grpcStatus":14} after {@code status} (which is 200 for gRPC answers).
 */
public final class AccessLog implements AutoCloseable {

	public static final String LOGGER = "meshgate.access";

	static final int CAPACITY = 8192;

	static final long BATCH_INTERVAL_MS = 20;

	private static final int BATCH_SIZE = 512;

	private static final Log log = LogFactory.getLog(LOGGER);

	private static final JsonWriter<Object> JSON = JsonWriter.standard();

	private final BlockingQueue<RequestOutcome> queue = new ArrayBlockingQueue<>(CAPACITY);

	private final Counter dropped;

	private final Thread writer;

	private volatile boolean closed;

	public AccessLog(MeterRegistry meters) {
		this.dropped = Counter.builder(MeshMetrics.ACCESS_LOG_DROPPED)
			.description("Access-log lines dropped because the writer fell behind")
			.register(meters);
		this.writer = new Thread(this::drain, "meshgate-access-log");
		this.writer.setDaemon(true);
		this.writer.start();
	}

	/** Queues the line; never blocks. */
	public void write(RequestOutcome outcome) {
		if (closed || !queue.offer(outcome)) {
			dropped.increment();
		}
	}

	/**
	 * Requests never wake the writer: it sleeps {@value #BATCH_INTERVAL_MS} ms whenever the queue is
	 * empty, then writes everything queued. A writer waiting on the queue would be woken by nearly every
	 * request, a context switch each on a busy core: about 25 µs of CPU per request with the access
	 * log on, one CPU (docs/design/access-log-writer.md).
	 */
	private void drain() {
		List<RequestOutcome> batch = new ArrayList<>(BATCH_SIZE);
		try {
			while (true) {
				boolean closing = closed; // read first: what was queued before close() is still written
				queue.drainTo(batch, BATCH_SIZE);
				for (RequestOutcome outcome : batch) {
					log.info(line(outcome));
				}
				if (batch.isEmpty()) {
					if (closing) {
						return;
					}
					Thread.sleep(BATCH_INTERVAL_MS);
				}
				batch.clear();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			log.warn("Access log writer stopped", ex);
		}
	}

	/** The JSON line of one outcome; fields in a fixed order, absent values as {@code null}. */
	public static String line(RequestOutcome outcome) {
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("time", Instant.ofEpochMilli(outcome.time().toEpochMilli()).toString());
		line.put("method", outcome.method());
		line.put("path", outcome.path());
		line.put("route", outcome.route());
		line.put("backend", outcome.backend());
		line.put("upstream", outcome.upstream());
		line.put("endpoint", outcome.endpoint());
		line.put("status", outcome.status());
		if (outcome.grpcStatus() != GrpcStatus.NONE) {
			line.put("grpcStatus", outcome.grpcStatus());
		}
		line.put("durationMs", Math.round(outcome.durationNanos() / 10_000.0) / 100.0);
		line.put("bytesIn", outcome.bytesIn());
		line.put("bytesOut", outcome.bytesOut());
		line.put("retries", outcome.retries());
		line.put("mirrored", outcome.mirrored());
		line.put("client", outcome.client());
		line.put("traceId", outcome.traceId());
		return JSON.writeToString(line);
	}

	/** Writes what is queued (for up to two seconds) and stops the writer. */
	@Override
	public void close() {
		closed = true;
		try {
			writer.join(2000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
