package io.meshgate.admin.security;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Logs every failed login (the name tried, never the password) and answers it late: each
 * consecutive failure for the same name waits {@code step} longer, up to 5 seconds, without
 * holding a thread. A successful login resets the count.
 */
final class ThrottledAuthenticationManager implements ReactiveAuthenticationManager {

	private static final Log log = LogFactory.getLog(ThrottledAuthenticationManager.class);

	private static final Duration MAX_DELAY = Duration.ofSeconds(5);

	private final ReactiveAuthenticationManager delegate;

	private final Duration step;

	private final Cache<String, AtomicInteger> failures = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofMinutes(15))
		.build();

	ThrottledAuthenticationManager(ReactiveAuthenticationManager delegate, Duration step) {
		this.delegate = delegate;
		this.step = step;
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		String name = printable(authentication.getName());
		return delegate.authenticate(authentication).doOnNext(ok -> failures.invalidate(name)).onErrorResume(
				AuthenticationException.class, error -> {
					int count = failures.get(name, key -> new AtomicInteger()).incrementAndGet();
					log.warn("Failed admin login for user '" + name + "' (" + count + " in a row): " + error.getMessage());
					Duration delay = step.multipliedBy(count);
					return Mono.delay(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay).then(Mono.error(error));
				});
	}

	/** The name as safe to log: no control characters, at most 64 characters. */
	private static String printable(String name) {
		String clean = name == null ? "" : name.replaceAll("\\p{Cntrl}", "?");
		return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
	}

}
