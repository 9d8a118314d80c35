package io.meshgate.gateway.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.policy.testing.MutableClock;
import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.gateway.testing.TestUsers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Password guessing on the admin port, over real HTTP: one bcrypt check at a time and one
 * queued (so the third concurrent login is refused at once), 3 failures per user name and 6 per
 * client address in a 10-minute window, on a clock the test moves. The password encoder counts
 * its checks and holds the one for {@link #HOLD} until the test lets it go.
 */
@SpringBootTest(classes = { MeshgateApplication.class, AdminLoginThrottleTest.Hooks.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "meshgate.demo.enabled=false",
				"meshgate.store.path=target/stores/login-${random.uuid}", "meshgate.admin.login-delay-step=0",
				"meshgate.admin.login.max-concurrent-checks=1", "meshgate.admin.login.max-queued-checks=1",
				"meshgate.admin.login.max-failures-per-user=3", "meshgate.admin.login.max-failures-per-address=6",
				"meshgate.admin.login.failure-window=10m",
				"meshgate.admin.users[0].name=" + TestUsers.EDITOR,
				"meshgate.admin.users[0].password=" + TestUsers.EDITOR_HASH, "meshgate.admin.users[0].roles[0]=editor",
				"meshgate.admin.users[1].name=" + TestUsers.VIEWER,
				"meshgate.admin.users[1].password=" + TestUsers.VIEWER_HASH, "meshgate.admin.users[1].roles[0]=viewer" })
class AdminLoginThrottleTest {

	static final String HOLD = "hold-this-check";

	static final HoldingEncoder ENCODER = new HoldingEncoder();

	static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	@LocalManagementPort
	int adminPort;

	@BeforeEach
	void freshWindows() {
		// every failure counted so far lies in a closed window
		CLOCK.advance(Duration.ofHours(1));
	}

	@Test
	void loginsBeyondTheConcurrentAndQueuedChecksAreAnswered429AtOnceEvenWithTheRightPassword() throws Exception {
		CountDownLatch release = ENCODER.hold();
		CompletableFuture<AdminClient.Answer> held = CompletableFuture
			.supplyAsync(() -> AdminClient.basic(adminPort, AdminTestSupport.EDITOR, HOLD).get("/api/config"));
		assertThat(ENCODER.entered.tryAcquire(20, TimeUnit.SECONDS)).isTrue();
		List<CompletableFuture<AdminClient.Answer>> others = new ArrayList<>();
		try {
			// while the first check runs, one of these six waits in the queue and five are refused
			for (int i = 0; i < 5; i++) {
				String password = "wrong-" + i;
				others.add(CompletableFuture.supplyAsync(
						() -> AdminClient.basic(adminPort, AdminTestSupport.VIEWER, password).get("/api/config")));
			}
			others.add(CompletableFuture.supplyAsync(() -> viewer().get("/api/config")));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> others.stream().filter(CompletableFuture::isDone).count() == 5);
		}
		finally {
			release.countDown();
		}

		assertThat(held.get(20, TimeUnit.SECONDS).status()).isEqualTo(401);
		List<AdminClient.Answer> answers = others.stream().map(CompletableFuture::join).toList();
		List<AdminClient.Answer> refused = answers.stream().filter(answer -> answer.status() == 429).toList();
		assertThat(refused).hasSize(5).allSatisfy(answer -> {
			assertThat(answer.response().headers().firstValue("Retry-After")).hasValue("1");
			assertThat(answer.body()).isEqualTo("Too many login attempts; try again later.\n");
		});
		assertThat(answers).filteredOn(answer -> answer.status() != 429)
			.singleElement()
			.satisfies(answer -> assertThat(answer.status()).isIn(200, 401));
		assertThat(viewer().get("/api/config").status()).isEqualTo(200);
	}

	@Test
	void aUserWithTooManyFailuresIsRefusedEvenWithTheRightPasswordUntilTheWindowEnds() {
		for (int i = 0; i < 3; i++) {
			assertThat(AdminClient.basic(adminPort, AdminTestSupport.VIEWER, "guess-" + i).get("/api/config").status())
				.isEqualTo(401);
		}

		AdminClient.Answer locked = viewer().get("/api/config");
		assertThat(locked.status()).isEqualTo(429);
		assertThat(locked.response().headers().firstValue("Retry-After")).hasValue("600");
		// the lock is the user's: another user from the same address still gets in
		assertThat(editor().get("/api/config").status()).isEqualTo(200);

		CLOCK.advance(Duration.ofMinutes(9));
		assertThat(viewer().get("/api/config").response().headers().firstValue("Retry-After")).hasValue("60");
		CLOCK.advance(Duration.ofMinutes(1));
		assertThat(viewer().get("/api/config").status()).isEqualTo(200);
	}

	@Test
	void anAddressWithTooManyFailuresIsRefusedWhateverNameItTries() {
		for (int i = 0; i < 6; i++) {
			assertThat(AdminClient.basic(adminPort, "nobody-" + i, "guess").get("/api/config").status()).isEqualTo(401);
		}

		assertThat(editor().get("/api/config").status()).isEqualTo(429);
		AdminClient browser = AdminClient.anonymous(adminPort);
		Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(browser.get("/login").body());
		assertThat(csrf.find()).isTrue();
		AdminClient.Answer form = browser.form("/login", Map.of("username", AdminTestSupport.EDITOR, "password",
				AdminTestSupport.EDITOR_PASSWORD, "_csrf", csrf.group(1)));
		assertThat(form.status()).as("the login form").isEqualTo(429);
		assertThat(form.response().headers().firstValue("Retry-After")).hasValue("600");

		CLOCK.advance(Duration.ofMinutes(10));
		assertThat(editor().get("/api/config").status()).isEqualTo(200);
	}

	@Test
	void anUnknownUserCostsABcryptCheckAsAKnownOneDoes() {
		int before = ENCODER.checks.get();
		assertThat(AdminClient.basic(adminPort, "no-such-user", "guess").get("/api/config").status()).isEqualTo(401);
		assertThat(ENCODER.checks.get() - before).isEqualTo(1);
		assertThat(ENCODER.lastHashCost.get()).isEqualTo("04");

		before = ENCODER.checks.get();
		assertThat(AdminClient.basic(adminPort, AdminTestSupport.EDITOR, "guess").get("/api/config").status())
			.isEqualTo(401);
		assertThat(ENCODER.checks.get() - before).isEqualTo(1);
	}

	private AdminClient viewer() {
		return AdminClient.basic(adminPort, AdminTestSupport.VIEWER, AdminTestSupport.VIEWER_PASSWORD);
	}

	private AdminClient editor() {
		return AdminClient.basic(adminPort, AdminTestSupport.EDITOR, AdminTestSupport.EDITOR_PASSWORD);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Hooks {

		/** Found by the admin context in its parent; replaces its own encoder of the same name. */
		@Bean
		PasswordEncoder adminPasswordEncoder() {
			return ENCODER;
		}

		@Bean
		Clock clock() {
			return CLOCK;
		}

	}

	/** Spring Security's encoder, counting its checks; holds a check of {@link #HOLD} while asked to. */
	static final class HoldingEncoder implements PasswordEncoder {

		private final PasswordEncoder delegate = PasswordEncoderFactories.createDelegatingPasswordEncoder();

		final AtomicInteger checks = new AtomicInteger();

		final AtomicReference<String> lastHashCost = new AtomicReference<>();

		final java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);

		private volatile CountDownLatch release = new CountDownLatch(0);

		CountDownLatch hold() {
			release = new CountDownLatch(1);
			return release;
		}

		@Override
		public String encode(CharSequence raw) {
			return new BCryptPasswordEncoder(4).encode(raw);
		}

		@Override
		public boolean matches(CharSequence raw, String encoded) {
			checks.incrementAndGet();
			lastHashCost.set(encoded.substring(encoded.indexOf('$', encoded.indexOf('$') + 1) + 1,
					encoded.indexOf('$', encoded.indexOf('$') + 1) + 3));
			if (HOLD.contentEquals(raw)) {
				entered.release();
				try {
					release.await(20, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return delegate.matches(raw, encoded);
		}

	}

}
