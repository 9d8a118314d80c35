package io.meshgate.admin.security;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.DelegatingServerAuthenticationEntryPoint;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.HttpStatusServerEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.csrf.CsrfWebFilter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;

import reactor.core.publisher.Mono;

/**
 * Security of the admin port (Spring Security, WebFlux), in the management child context so
 * that it never touches the ingress port: form login for the UI, HTTP Basic for scripts, roles
 * {@code viewer} (read) and {@code editor} (write), bcrypt hashes, CSRF protection for sessions,
 * a session cookie that is HttpOnly, SameSite=Strict and Secure on HTTPS. Only
 * {@code /actuator/health} and {@code /actuator/prometheus} are open. Password guessing is
 * bounded ({@link ThrottledAuthenticationManager}: checks off the event loop and limited in
 * number, lock-outs per user and per client address, 429 with {@code Retry-After}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class AdminSecurityConfiguration {

	public static final String SESSION_COOKIE = "MESHGATE_SESSION";

	static final String NO_USERS = "meshgate.admin.users: none (expected: at least one user {name, password: a bcrypt "
			+ "hash, roles: [viewer|editor]}, see docs/admin.md \"Making a password hash\"; a generated password is "
			+ "offered only with the demo on, meshgate.demo.enabled=true)";

	/** Overridable by a bean of the same name (tests count and hold checks with one). */
	@Bean
	@ConditionalOnMissingBean(name = "adminPasswordEncoder")
	PasswordEncoder adminPasswordEncoder() {
		DelegatingPasswordEncoder encoder = (DelegatingPasswordEncoder) PasswordEncoderFactories
			.createDelegatingPasswordEncoder();
		encoder.setDefaultPasswordEncoderForMatches(new BCryptPasswordEncoder());
		return encoder;
	}

	@Bean(destroyMethod = "close")
	PasswordChecks adminPasswordChecks(AdminProperties properties, PasswordEncoder adminPasswordEncoder) {
		AdminLoginProperties login = properties.login();
		return new PasswordChecks(adminPasswordEncoder,
				properties.users().stream().map(AdminUser::encodedPassword).toList(), login.maxConcurrentChecks(),
				login.maxQueuedChecks());
	}

	/**
	 * The logins by name: the configured users; with none, a generated one when the application
	 * offers a {@link GeneratedAdminLogin} (the demo), otherwise the start-up fails. A gateway
	 * must never come up with a password that only its log knows.
	 */
	static Map<String, UserDetails> adminUsers(AdminProperties properties, PasswordEncoder encoder,
			GeneratedAdminLogin generated) {
		Map<String, UserDetails> users = new LinkedHashMap<>();
		for (AdminUser user : properties.users()) {
			users.put(user.name(), User.withUsername(user.name())
				.password(user.encodedPassword())
				.roles(user.roles().stream().map(r -> r.toUpperCase(Locale.ROOT)).toArray(String[]::new))
				.build());
		}
		if (users.isEmpty()) {
			if (generated == null || generated.password() == null) {
				throw new IllegalStateException(NO_USERS);
			}
			users.put("admin", User.withUsername("admin").password(encoder.encode(generated.password())).roles("EDITOR").build());
		}
		return users;
	}

	@Bean
	SecurityWebFilterChain adminSecurityFilterChain(ServerHttpSecurity http, PasswordEncoder adminPasswordEncoder,
			PasswordChecks checks, AdminProperties properties, ObjectProvider<GeneratedAdminLogin> generated,
			ObjectProvider<Clock> clock) {
		Map<String, UserDetails> users = adminUsers(properties, adminPasswordEncoder, generated.getIfAvailable());
		ThrottledAuthenticationManager authentication = new ThrottledAuthenticationManager(users, checks,
				Duration.ofMillis(properties.loginDelayStep()), properties.login(), clock.getIfUnique(Clock::systemUTC));
		ServerWebExchangeMatcher api = ServerWebExchangeMatchers.pathMatchers("/api/**", "/actuator/**");
		DelegatingServerAuthenticationEntryPoint entryPoint = new DelegatingServerAuthenticationEntryPoint(
				new DelegatingServerAuthenticationEntryPoint.DelegateEntry(api,
						new HttpStatusServerEntryPoint(HttpStatus.UNAUTHORIZED)));
		entryPoint.setDefaultEntryPoint(new RedirectServerAuthenticationEntryPoint("/login"));
		return http.authenticationManager(authentication)
			.authorizeExchange(exchanges -> exchanges
				.pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus").permitAll()
				.pathMatchers("/login", "/ui/app.css", "/ui/favicon.svg", "/favicon.ico").permitAll()
				.pathMatchers(HttpMethod.POST, "/api/tester").hasAnyRole("VIEWER", "EDITOR")
				.pathMatchers(HttpMethod.GET, "/api/**").hasAnyRole("VIEWER", "EDITOR")
				.pathMatchers("/api/**").hasRole("EDITOR")
				.pathMatchers(HttpMethod.GET, "/actuator/**").hasAnyRole("VIEWER", "EDITOR")
				.pathMatchers("/actuator/**").hasRole("EDITOR")
				.anyExchange().authenticated())
			.httpBasic(basic -> basic.authenticationEntryPoint(
					LoginThrottledAnswer.entryPoint(new HttpStatusServerEntryPoint(HttpStatus.UNAUTHORIZED))))
			.formLogin(form -> form.loginPage("/login")
				.authenticationFailureHandler(LoginThrottledAnswer
					.failureHandler(new RedirectServerAuthenticationFailureHandler("/login?error"))))
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler(ForbiddenAnswer.handler()))
			.csrf(csrf -> csrf.requireCsrfProtectionMatcher(AdminSecurityConfiguration::needsCsrfToken)
				.accessDeniedHandler(ForbiddenAnswer.handler()))
			.headers(headers -> headers
				.frameOptions(frame -> frame.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
				.contentSecurityPolicy(csp -> csp.policyDirectives(
						"default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")))
			.build();
	}

	/**
	 * Unsafe methods need a CSRF token, except requests that carry their own credentials in an
	 * {@code Authorization} header: a browser never adds one by itself here, because the admin
	 * port never asks it to (no {@code WWW-Authenticate} challenge).
	 */
	private static Mono<ServerWebExchangeMatcher.MatchResult> needsCsrfToken(
			org.springframework.web.server.ServerWebExchange exchange) {
		if (exchange.getRequest().getHeaders().containsHeader("Authorization")) {
			return ServerWebExchangeMatcher.MatchResult.notMatch();
		}
		return CsrfWebFilter.DEFAULT_CSRF_MATCHER.matches(exchange);
	}

	/** The session cookie: HttpOnly, SameSite=Strict, Secure on HTTPS (or always, when configured). */
	@Bean(name = "webSessionManager")
	WebSessionManager webSessionManager(AdminProperties properties) {
		CookieWebSessionIdResolver cookies = new CookieWebSessionIdResolver();
		cookies.setCookieName(SESSION_COOKIE);
		cookies.addCookieInitializer(cookie -> {
			cookie.httpOnly(true).sameSite("Strict").path("/");
			if (properties.secureCookie()) {
				cookie.secure(true);
			}
		});
		DefaultWebSessionManager sessions = new DefaultWebSessionManager();
		sessions.setSessionIdResolver(cookies);
		return sessions;
	}

}
