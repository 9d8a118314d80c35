package io.meshgate.admin.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.server.ServerWebExchange;

/**
 * Checks admin logins, bounded against guessing:
 * <ul>
 * <li>a user name or client address with too many recent failures is refused before any check
 * ({@link LoginFailures}, 429 even for the right password until its window closes);</li>
 * <li>the bcrypt check runs in {@link PasswordChecks} (bounded threads, never an event loop;
 * 429 when they are all busy), for unknown users too, against a dummy hash;</li>
 * <li>every failure is logged (the name tried, never the password) and answered late: each
 * consecutive failure of the same name waits {@code step} longer, up to 5 seconds, without
 * holding a thread.</li>
 * </ul>
 * The client address is the TCP peer of the admin port ({@link AdminClientAddress}).
 */
final class ThrottledAuthenticationManager implements ReactiveAuthenticationManager {

	private static final Log log = LogFactory.getLog(ThrottledAuthenticationManager.class);

	private static final Duration MAX_DELAY = Duration.ofSeconds(5);

	private final Map<String, UserDetails> users;

	private final PasswordChecks checks;

	private final Duration step;

	private final LoginFailures byUser;

	private final LoginFailures byAddress;

	ThrottledAuthenticationManager(Map<String, UserDetails> users, PasswordChecks checks, Duration step,
			AdminLoginProperties login, Clock clock) {
		this.users = Map.copyOf(users);
		this.checks = checks;
		this.step = step;
		this.byUser = new LoginFailures(login.maxFailuresPerUser(), login.failureWindow(), clock);
		this.byAddress = new LoginFailures(login.maxFailuresPerAddress(), login.failureWindow(), clock);
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		return Mono.deferContextual(context -> {
			String address = context.<ServerWebExchange>getOrEmpty(ServerWebExchange.class)
				.map(exchange -> AdminClientAddress.of(exchange.getRequest()))
				.orElse(AdminClientAddress.UNKNOWN);
			return authenticate(authentication, address);
		});
	}

	private Mono<Authentication> authenticate(Authentication authentication, String address) {
		String name = authentication.getName() == null ? "" : authentication.getName();
		String printable = printable(name);
		Duration locked = max(byUser.lockedFor(name), byAddress.lockedFor(address));
		if (!locked.isZero()) {
			log.warn("Admin login for user '" + printable + "' from " + address + " refused for " + locked.toSeconds()
					+ " s: too many failed logins");
			return Mono.error(new LoginThrottledException("Too many failed logins", locked));
		}
		UserDetails user = users.get(name);
		Object credentials = authentication.getCredentials();
		String raw = credentials == null ? "" : credentials.toString();
		return checks.matches(raw, user == null ? null : user.getPassword()).flatMap(matched -> {
			if (matched) {
				byUser.succeeded(name);
				return Mono.just(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
			}
			int count = byUser.failed(name);
			byAddress.failed(address);
			log.warn("Failed admin login for user '" + printable + "' from " + address + " (" + count + " in a row)");
			Duration delay = step.multipliedBy(count);
			return Mono.delay(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay)
				.then(Mono.error(new BadCredentialsException("Invalid Credentials")));
		});
	}

	private static Duration max(Duration a, Duration b) {
		return a.compareTo(b) >= 0 ? a : b;
	}

	/** The name as safe to log: no control characters, at most 64 characters. */
	private static String printable(String name) {
		String clean = name.replaceAll("\\p{Cntrl}", "?");
		return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
	}

}
