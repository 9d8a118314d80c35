package io.meshgate.policy.security.jwt;

import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

import com.nimbusds.jose.jwk.JWKSet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * One provider's verification keys: inline, or fetched from its {@code jwksUri} in the
 * background (at start, then every {@code jwksRefreshInterval}) and kept until a fetch succeeds
 * again. A token with a {@code kid} the keys lack triggers one more fetch, at most once per
 * {@link #UNKNOWN_KEY_REFETCH_INTERVAL}: keys an IdP publishes and signs with at once are picked
 * up by the first token that needs them, and a stream of made-up {@code kid}s cannot turn the
 * gateway against the IdP. Concurrent fetches are one: whoever asks while one runs waits for it.
 * Requests never wait longer than {@link JwksFetcher#TIMEOUT}, and never block a thread.
 */
final class ProviderKeys implements AutoCloseable {

	static final Duration UNKNOWN_KEY_REFETCH_INTERVAL = Duration.ofSeconds(10);

	private static final Log log = LogFactory.getLog(ProviderKeys.class);

	private final JwtProvider provider;

	private final JwksFetcher fetcher;

	private final LongSupplier nanoClock;

	private final Counter fetched;

	private final Counter failed;

	private final List<Meter> meters;

	private final MeterRegistry registry;

	private volatile VerificationKeys keys = VerificationKeys.NONE;

	/** When keys were last loaded ({@link #nanoClock}); {@code Long.MIN_VALUE} before. */
	private volatile long loadedAt = Long.MIN_VALUE;

	/** The fetch under way, shared by all who ask for one; guarded by this. */
	private Mono<VerificationKeys> inflight;

	/** When a token's unknown {@code kid} last started a fetch; guarded by this. */
	private long lastUnknownKeyFetch;

	private boolean unknownKeyFetched;

	private Disposable refresher;

	ProviderKeys(JwtProvider provider, JwksFetcher fetcher, LongSupplier nanoClock, MeterRegistry registry) {
		this.provider = provider;
		this.fetcher = fetcher;
		this.nanoClock = nanoClock;
		this.registry = registry;
		this.fetched = Counter.builder("meshgate.jwt.jwks.fetches")
			.description("Fetches of a JWT provider's keys (JWKS) by outcome")
			.tags("provider", provider.name(), "outcome", "success")
			.register(registry);
		this.failed = Counter.builder("meshgate.jwt.jwks.fetches")
			.description("Fetches of a JWT provider's keys (JWKS) by outcome")
			.tags("provider", provider.name(), "outcome", "failure")
			.register(registry);
		Gauge age = Gauge.builder("meshgate.jwt.jwks.age", this, ProviderKeys::ageSeconds)
			.description("Seconds since a JWT provider's keys were last loaded; NaN before they ever were")
			.tag("provider", provider.name())
			.baseUnit("seconds")
			.register(registry);
		this.meters = List.of(fetched, failed, age);
	}

	/** Loads inline keys now, or starts fetching the remote ones in the background. */
	ProviderKeys start() {
		if (provider.jwks() != null) {
			load(provider.jwks());
		}
		else {
			refresher = Flux.interval(Duration.ZERO, provider.jwksRefreshInterval(), Schedulers.parallel())
				.onBackpressureDrop()
				.concatMap(tick -> fetch().onErrorResume(ex -> Mono.empty()))
				.subscribe();
		}
		return this;
	}

	VerificationKeys current() {
		return keys;
	}

	/** Whether keys were ever loaded. */
	boolean loaded() {
		return loadedAt != Long.MIN_VALUE;
	}

	/**
	 * The keys to try again for a token whose {@code kid} the keys it was checked with lack: those
	 * of the fetch under way, else of a new fetch, else (inline keys, or a fetch started less than
	 * {@link #UNKNOWN_KEY_REFETCH_INTERVAL} ago) the current ones, which a fetch may have renewed
	 * since the token was checked.
	 */
	synchronized Mono<VerificationKeys> refetchForUnknownKey() {
		if (inflight != null) {
			return inflight;
		}
		long now = nanoClock.getAsLong();
		if (provider.jwksUri() == null
				|| unknownKeyFetched && now - lastUnknownKeyFetch < UNKNOWN_KEY_REFETCH_INTERVAL.toNanos()) {
			return Mono.just(keys);
		}
		unknownKeyFetched = true;
		lastUnknownKeyFetch = now;
		return fetch();
	}

	/** Fetches the keys, or joins the fetch under way. */
	synchronized Mono<VerificationKeys> fetch() {
		if (inflight != null) {
			return inflight;
		}
		Sinks.One<VerificationKeys> done = Sinks.one();
		Mono<VerificationKeys> shared = done.asMono();
		inflight = shared;
		fetcher.fetch(provider.jwksUri())
			// parsing and building verifiers is CPU work for a worker, not for the event loop
			.publishOn(Schedulers.boundedElastic())
			.map(this::load)
			.subscribe(loaded -> {
				finished(shared);
				done.tryEmitValue(loaded);
			}, error -> {
				failed.increment();
				log.warn("JWT provider " + provider.name() + ": fetching its keys from " + provider.jwksUri()
						+ " failed (" + error.getMessage() + "); the keys loaded before stay in use");
				finished(shared);
				done.tryEmitError(error);
			});
		return shared;
	}

	private synchronized void finished(Mono<VerificationKeys> fetch) {
		if (inflight == fetch) {
			inflight = null;
		}
	}

	private VerificationKeys load(String json) {
		JWKSet set;
		try {
			set = JWKSet.parse(json);
		}
		catch (ParseException ex) {
			throw new JwksFetcher.JwksFetchException("not a JWK Set");
		}
		VerificationKeys loaded = VerificationKeys.of(set);
		keys = loaded;
		loadedAt = nanoClock.getAsLong();
		if (provider.jwksUri() != null) {
			fetched.increment();
		}
		return loaded;
	}

	private double ageSeconds() {
		long at = loadedAt;
		return at == Long.MIN_VALUE ? Double.NaN : (nanoClock.getAsLong() - at) / 1e9;
	}

	@Override
	public void close() {
		Disposable running = refresher;
		if (running != null) {
			running.dispose();
		}
		meters.forEach(registry::remove);
	}

}
