package io.meshgate.policy.security.extauthz;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.meshgate.policy.security.extauthz.ExtAuthzPolicy.DecisionCachePolicy;

/**
 * The decisions of one route's auth service, each kept for as long as its answer's
 * {@code Cache-Control} allows ({@link #lifetimeNanos}), at most {@code maxAge}, the least recently
 * used dropped beyond {@code maxEntries}. Keyed on a SHA-256 of everything sent to the auth service
 * ({@link #keyOf}): a decision is reused only for a check that would have been sent byte for byte
 * the same, and no credential is kept in memory in the clear.
 */
final class DecisionCache {

	private static final MessageDigest SHA256 = sha256();

	private final Cache<Key, Kept> decisions;

	private final long maxAgeNanos;

	/** @param nanoClock the cache's time, injected so that expiry is testable */
	DecisionCache(DecisionCachePolicy policy, LongSupplier nanoClock) {
		this.maxAgeNanos = policy.maxAge().toNanos();
		this.decisions = Caffeine.newBuilder()
			.maximumSize(policy.maxEntries())
			.expireAfter(new Expiry<Key, Kept>() {
				@Override
				public long expireAfterCreate(Key key, Kept kept, long currentTime) {
					return kept.lifetimeNanos();
				}

				@Override
				public long expireAfterUpdate(Key key, Kept kept, long currentTime, long currentDuration) {
					return kept.lifetimeNanos();
				}

				@Override
				public long expireAfterRead(Key key, Kept kept, long currentTime, long currentDuration) {
					return currentDuration;
				}
			})
			.ticker(nanoClock::getAsLong)
			// maintenance on the calling thread: no task handed to the common pool per request
			.executor(Runnable::run)
			.build();
	}

	/** The kept decision for {@code key}, or null. */
	Decision get(Key key) {
		Kept kept = decisions.getIfPresent(key);
		return kept == null ? null : kept.decision();
	}

	/** Keeps {@code decision} when {@code cacheControl} allows it; returns whether it was kept. */
	boolean put(Key key, Decision decision, String cacheControl) {
		long lifetime = Math.min(lifetimeNanos(cacheControl), maxAgeNanos);
		if (lifetime <= 0) {
			return false;
		}
		decisions.put(key, new Kept(decision, lifetime));
		return true;
	}

	long size() {
		decisions.cleanUp();
		return decisions.estimatedSize();
	}

	/**
	 * How long a shared cache may keep an answer with this {@code Cache-Control} (RFC 9111):
	 * {@code s-maxage}, else {@code max-age}; 0 without either, with an unreadable one, or with
	 * {@code no-store}, {@code no-cache} or {@code private}. {@code Expires} is not read: an auth
	 * service that wants its decision kept says so in seconds.
	 */
	static long lifetimeNanos(String cacheControl) {
		if (cacheControl == null || cacheControl.isEmpty()) {
			return 0;
		}
		long maxAge = -1;
		long sharedMaxAge = -1;
		for (String directive : cacheControl.split(",")) {
			String text = directive.strip().toLowerCase(Locale.ROOT);
			int equals = text.indexOf('=');
			String name = equals < 0 ? text : text.substring(0, equals).strip();
			String value = equals < 0 ? null : unquote(text.substring(equals + 1).strip());
			switch (name) {
				case "no-store", "no-cache", "private" -> {
					return 0;
				}
				case "max-age" -> maxAge = seconds(value);
				case "s-maxage" -> sharedMaxAge = seconds(value);
				default -> {
					// other directives (public, must-revalidate, …) change nothing for a decision
				}
			}
		}
		long seconds = sharedMaxAge >= 0 ? sharedMaxAge : maxAge;
		return seconds <= 0 ? 0 : Duration.ofSeconds(seconds).toNanos();
	}

	private static String unquote(String value) {
		return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
				? value.substring(1, value.length() - 1) : value;
	}

	/** Delta-seconds, capped at a year; -1 when not a number (an unreadable directive keeps nothing). */
	private static long seconds(String value) {
		if (value == null || value.isEmpty() || value.length() > 12 || !value.chars().allMatch(Character::isDigit)) {
			return -1;
		}
		return Math.min(Long.parseLong(value), 365L * 24 * 3600);
	}

	/** The key of a check: SHA-256 of its method, path and every header sent, each length-prefixed. */
	static Key keyOf(CheckRequest check) {
		MessageDigest digest = digest();
		update(digest, check.method());
		update(digest, check.pathAndQuery());
		Iterator<Map.Entry<String, String>> headers = check.headers().iteratorAsString();
		while (headers.hasNext()) {
			Map.Entry<String, String> header = headers.next();
			update(digest, header.getKey().toLowerCase(Locale.ROOT));
			update(digest, header.getValue());
		}
		ByteBuffer hash = ByteBuffer.wrap(digest.digest());
		return new Key(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
	}

	private static void update(MessageDigest digest, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		digest.update((byte) (bytes.length >>> 24));
		digest.update((byte) (bytes.length >>> 16));
		digest.update((byte) (bytes.length >>> 8));
		digest.update((byte) bytes.length);
		digest.update(bytes);
	}

	private static MessageDigest digest() {
		try {
			return (MessageDigest) SHA256.clone();
		}
		catch (CloneNotSupportedException ex) {
			return sha256();
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is a required JDK algorithm", ex);
		}
	}

	/** A SHA-256, as four longs: equality and hashing without an array. */
	record Key(long a, long b, long c, long d) {

	}

	private record Kept(Decision decision, long lifetimeNanos) {

	}

}
