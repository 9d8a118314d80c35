package io.meshgate.admin.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Runs password checks (bcrypt) on threads of their own, at most {@code maxConcurrent} at once
 * and {@code maxQueued} waiting per thread: a check beyond that fails at once with
 * {@link LoginThrottledException} instead of queueing, and none ever runs on an event loop.
 * An unknown user is checked against a dummy hash of the configured users' highest cost, so
 * that the answer takes as long as for a known user and does not tell which names exist.
 */
final class PasswordChecks implements AutoCloseable {

	private static final Pattern BCRYPT_COST = Pattern.compile("\\$2[aby]?\\$(\\d\\d)\\$");

	/** Spring Security's default cost, for the generated login. */
	private static final int DEFAULT_COST = 10;

	private final PasswordEncoder encoder;

	private final Scheduler scheduler;

	private final String dummyHash;

	PasswordChecks(PasswordEncoder encoder, Collection<String> hashes, int maxConcurrent, int maxQueued) {
		this.encoder = encoder;
		this.scheduler = Schedulers.newBoundedElastic(maxConcurrent, maxQueued, "meshgate-login", 60, true);
		byte[] random = new byte[18];
		new SecureRandom().nextBytes(random);
		this.dummyHash = "{bcrypt}" + new BCryptPasswordEncoder(highestCost(hashes))
			.encode(Base64.getEncoder().encodeToString(random));
	}

	/**
	 * Whether {@code raw} matches {@code encoded}; a null {@code encoded} (unknown user) is
	 * checked against the dummy hash and never matches.
	 */
	Mono<Boolean> matches(CharSequence raw, String encoded) {
		return Mono.fromCallable(() -> check(raw, encoded))
			.subscribeOn(scheduler)
			.onErrorMap(RejectedExecutionException.class, busy -> LoginThrottledException.busy());
	}

	private boolean check(CharSequence raw, String encoded) {
		if (encoded == null) {
			encoder.matches(raw, dummyHash);
			return false;
		}
		return encoder.matches(raw, encoded);
	}

	@Override
	public void close() {
		scheduler.dispose();
	}

	static int highestCost(Collection<String> hashes) {
		int cost = hashes.isEmpty() ? DEFAULT_COST : 4;
		for (String hash : hashes) {
			Matcher matcher = BCRYPT_COST.matcher(hash);
			if (matcher.find()) {
				cost = Math.max(cost, Integer.parseInt(matcher.group(1)));
			}
		}
		return cost;
	}

}
