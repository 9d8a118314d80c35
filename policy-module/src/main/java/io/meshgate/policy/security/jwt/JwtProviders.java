package io.meshgate.policy.security.jwt;

import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpRequest;

import io.meshgate.policy.security.CredentialHash;
import io.meshgate.policy.security.TokenFailure;

/**
 * The JWT providers in force and the tokens they verified. {@link #apply} replaces the providers
 * whole (when the configuration is applied); a provider whose record did not change keeps its
 * keys. Verified tokens are cached by the SHA-256 of the token ({@link CredentialHash}) until
 * they expire, at most {@link JwtProperties#verifiedTokenCacheSize()} of them (none with 0); the
 * cache empties when the providers change.
 */
public final class JwtProviders implements AutoCloseable {

	private final JwksFetcher fetcher;

	private final MeterRegistry meters;

	private final Clock clock;

	private final LongSupplier nanoClock;

	/** {@code null} when no verified token is kept. */
	private final Cache<CredentialHash, VerifiedToken> verified;

	private volatile Snapshot snapshot = Snapshot.EMPTY;

	/**
	 * The providers by issuer, every place a token is read from, and every header a claim sets
	 * (removed from every request). Immutable.
	 */
	record Snapshot(Map<String, ProviderRuntime> byIssuer, TokenPlace[] places, String[] claimHeaders) {

		static final Snapshot EMPTY = new Snapshot(Map.of(), new TokenPlace[0], new String[0]);

		boolean isEmpty() {
			return byIssuer.isEmpty();
		}

	}

	/** A token as a request carries it, and where. */
	record Presented(String token, TokenPlace place) {
	}

	public JwtProviders(JwksFetcher fetcher, MeterRegistry meters, Clock clock, LongSupplier nanoClock) {
		this(fetcher, meters, clock, nanoClock, JwtProperties.DEFAULT_VERIFIED_TOKEN_CACHE_SIZE);
	}

	/** @param cacheSize how many verified tokens are kept; 0: none, every token is verified each time */
	public JwtProviders(JwksFetcher fetcher, MeterRegistry meters, Clock clock, LongSupplier nanoClock,
			int cacheSize) {
		this.fetcher = fetcher;
		this.meters = meters;
		this.clock = clock;
		this.nanoClock = nanoClock;
		this.verified = cacheSize == 0 ? null
				: Caffeine.newBuilder().maximumSize(cacheSize).expireAfter(new UntilInvalid(clock)).build();
	}

	/** Makes {@code providers} the ones in force; unchanged ones keep their keys. Never blocks. */
	public synchronized void apply(List<JwtProvider> providers) {
		Map<String, ProviderRuntime> before = new HashMap<>();
		snapshot.byIssuer().values().forEach(runtime -> before.put(runtime.provider.name(), runtime));
		Map<String, ProviderRuntime> byIssuer = new HashMap<>();
		Set<TokenPlace> places = new LinkedHashSet<>();
		Set<String> claimHeaders = new LinkedHashSet<>();
		List<ProviderRuntime> started = new ArrayList<>();
		for (JwtProvider provider : providers) {
			ProviderRuntime kept = before.get(provider.name());
			ProviderRuntime runtime;
			if (kept != null && kept.provider.equals(provider)) {
				before.remove(provider.name());
				runtime = kept;
			}
			else {
				if (kept != null) {
					// its meters are registered again under the same name: the old ones go first
					before.remove(provider.name()).close();
				}
				runtime = new ProviderRuntime(provider, new ProviderKeys(provider, fetcher, nanoClock, meters), clock);
				started.add(runtime);
			}
			byIssuer.put(provider.issuer(), runtime);
			places.addAll(TokenPlace.of(provider));
			provider.claimsToHeaders().forEach(mapping -> claimHeaders.add(mapping.header()));
		}
		snapshot = new Snapshot(Map.copyOf(byIssuer), places.toArray(TokenPlace[]::new),
				claimHeaders.toArray(String[]::new));
		if (verified != null) {
			verified.invalidateAll();
		}
		started.forEach(runtime -> runtime.keys.start());
		before.values().forEach(ProviderRuntime::close);
	}

	Snapshot snapshot() {
		return snapshot;
	}

	/** The first token {@code request} carries at any provider's place; {@code null} if none. */
	static Presented find(Snapshot snapshot, ServerHttpRequest request) {
		for (TokenPlace place : snapshot.places()) {
			String token = place.read(request);
			if (token != null) {
				return new Presented(token, place);
			}
		}
		return null;
	}

	/** Whether {@code request} carries a token at any provider's place. */
	public boolean present(ServerHttpRequest request) {
		return find(snapshot, request) != null;
	}

	/** The cached outcome of a verified token that is still valid; {@code null} otherwise. */
	VerifiedToken cached(CredentialHash hash) {
		VerifiedToken token = verified == null ? null : verified.getIfPresent(hash);
		return token != null && clock.millis() <= token.validUntilMillis() ? token : null;
	}

	/**
	 * Verifies {@code presented}: {@link VerifiedToken#NOT_OURS} for a token no provider takes
	 * (another issuer, or a place its provider does not read), a failure for a malformed one or
	 * one its provider refuses. Verified tokens are cached under {@code hash}.
	 */
	Mono<VerifiedToken> verify(Snapshot snapshot, Presented presented, CredentialHash hash) {
		JWT jwt;
		JWTClaimsSet claims;
		try {
			jwt = JWTParser.parse(presented.token());
			claims = jwt.getJWTClaimsSet();
		}
		catch (ParseException | RuntimeException ex) {
			return Mono.just(VerifiedToken.failed(null, TokenFailure.MALFORMED));
		}
		if (claims == null) {
			// an encrypted token: its claims, issuer included, are sealed
			return Mono.just(VerifiedToken.failed(null, TokenFailure.MALFORMED));
		}
		ProviderRuntime provider = claims.getIssuer() == null ? null : snapshot.byIssuer().get(claims.getIssuer());
		if (provider == null || !provider.places.contains(presented.place())) {
			return Mono.just(VerifiedToken.NOT_OURS);
		}
		if (!(jwt instanceof SignedJWT signed)) {
			// alg: none
			return Mono.just(VerifiedToken.failed(provider.provider.name(), TokenFailure.ALGORITHM_NOT_ALLOWED));
		}
		return provider.verify(signed, claims).doOnNext(outcome -> {
			if (verified != null && outcome.verdict().verified() && snapshot == this.snapshot) {
				verified.put(hash, outcome);
			}
		});
	}

	@Override
	public synchronized void close() {
		snapshot.byIssuer().values().forEach(ProviderRuntime::close);
		snapshot = Snapshot.EMPTY;
	}

	/** A verified token stays cached until it is no longer valid; one without {@code exp} for 5 minutes. */
	private record UntilInvalid(Clock clock) implements Expiry<CredentialHash, VerifiedToken> {

		@Override
		public long expireAfterCreate(CredentialHash key, VerifiedToken value, long currentTime) {
			long millis = value.validUntilMillis() == Long.MAX_VALUE ? TimeUnit.MINUTES.toMillis(5)
					: Math.max(0, value.validUntilMillis() - clock.millis());
			return TimeUnit.MILLISECONDS.toNanos(millis);
		}

		@Override
		public long expireAfterUpdate(CredentialHash key, VerifiedToken value, long currentTime,
				long currentDuration) {
			return expireAfterCreate(key, value, currentTime);
		}

		@Override
		public long expireAfterRead(CredentialHash key, VerifiedToken value, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
