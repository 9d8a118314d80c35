package io.meshgate.policy.ratelimit;

/**
 * One client's bucket. Refills lazily from the clock when a request arrives, so idle buckets
 * cost nothing. Written here rather than taken from a library because it is twenty lines and
 * needs no scheduler; the keyed store around it is Caffeine's.
 */
final class TokenBucket {

	private final RateLimitPolicy policy;

	private final long intervalNanos;

	private long tokens;

	private long lastFill;

	TokenBucket(RateLimitPolicy policy, long now) {
		this.policy = policy;
		this.intervalNanos = policy.fillInterval().toNanos();
		this.tokens = policy.maxTokens();
		this.lastFill = now;
	}

	/**
	 * Takes a token; returns 0 when one was taken, else the nanoseconds until the next fill.
	 */
	synchronized long tryTake(long now) {
		long fills = (now - lastFill) / intervalNanos;
		if (fills > 0) {
			tokens = Math.min(policy.maxTokens(), tokens + fills * policy.tokensPerFill());
			lastFill += fills * intervalNanos;
		}
		if (tokens > 0) {
			tokens--;
			return 0;
		}
		return lastFill + intervalNanos - now;
	}

}
