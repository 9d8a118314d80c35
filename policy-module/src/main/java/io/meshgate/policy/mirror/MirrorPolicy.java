package io.meshgate.policy.mirror;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

import io.meshgate.policy.mirror.compare.ComparePolicy;
import io.meshgate.policy.schema.Example;

/**
 * A copy of a share of a route's requests, sent to another upstream and never awaited (Envoy's
 * {@code RequestMirrorPolicy}, Istio's {@code mirrors}):
 * {@code mirrors: [{upstream: orders-v3, percentage: 5.0}]}.
 *
 * @param upstream the upstream receiving the copies
 * @param percentage the share of requests copied, 0-100, decimals allowed; default 100
 * @param maxBodySize bodies larger than this are not mirrored (counted as {@code too_large});
 * default 64KB
 * @param maxConcurrent copies in flight per route and mirror; beyond it copies are dropped
 * (counted as {@code dropped}), never queued; default 64
 * @param timeout how long a copy may take before it is abandoned (counted as {@code failed});
 * default 5s
 * @param compare compare each copy's answer with the primary's ({@link ComparePolicy}); default
 * none: copies' answers are drained unread
 */
public record MirrorPolicy(@Example("orders-v3") String upstream, Double percentage, DataSize maxBodySize, Integer maxConcurrent,
		Duration timeout, ComparePolicy compare) {

	public static final DataSize DEFAULT_MAX_BODY_SIZE = DataSize.ofKilobytes(64);

	public static final int DEFAULT_MAX_CONCURRENT = 64;

	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	public MirrorPolicy {
		if (upstream == null || upstream.isBlank()) {
			throw new IllegalArgumentException("upstream: " + upstream + " (expected: the name of an upstream)");
		}
		percentage = percentage == null ? 100.0 : percentage;
		if (!(percentage >= 0 && percentage <= 100)) {
			throw new IllegalArgumentException("percentage: " + percentage + " (expected: 0-100)");
		}
		maxBodySize = maxBodySize == null ? DEFAULT_MAX_BODY_SIZE : maxBodySize;
		if (maxBodySize.isNegative() || maxBodySize.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("maxBodySize: " + maxBodySize + " (expected: 0B-2GB)");
		}
		maxConcurrent = maxConcurrent == null ? DEFAULT_MAX_CONCURRENT : maxConcurrent;
		if (maxConcurrent < 1) {
			throw new IllegalArgumentException("maxConcurrent: " + maxConcurrent + " (expected: >= 1)");
		}
		timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
		}
	}

	public static MirrorPolicy of(String upstream, double percentage) {
		return new MirrorPolicy(upstream, percentage, null, null, null, null);
	}

	/** The same mirror, comparing its copies' answers with the primary's. */
	public MirrorPolicy withCompare(ComparePolicy compare) {
		return new MirrorPolicy(upstream, percentage, maxBodySize, maxConcurrent, timeout, compare);
	}

}
