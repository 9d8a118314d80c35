package io.meshgate.admin.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code meshgate.admin.*}: who may use the admin port.
 *
 * @param users the logins; default: none, which stops the start-up unless the application offers a
 * {@link GeneratedAdminLogin} (the demo does): then a user {@code admin} (editor) with a password
 * generated at start-up and printed once
 * @param secureCookie mark the session cookie {@code Secure} even on plain HTTP (set it when a
 * TLS-terminating proxy is in front); default false: {@code Secure} exactly on HTTPS requests
 * @param loginDelayStep how much longer each consecutive failed login for the same user waits
 * before it is answered, in milliseconds; default 500, at most 5 seconds in all
 * @param login bounds on password checks and failed logins, see {@link AdminLoginProperties}
 */
@ConfigurationProperties("meshgate.admin")
public record AdminProperties(List<AdminUser> users, Boolean secureCookie, Long loginDelayStep,
		AdminLoginProperties login) {

	public AdminProperties {
		users = users == null ? List.of() : List.copyOf(users);
		secureCookie = secureCookie != null && secureCookie;
		loginDelayStep = loginDelayStep == null ? 500L : loginDelayStep;
		login = login == null ? AdminLoginProperties.defaults() : login;
		if (loginDelayStep < 0) {
			throw new IllegalArgumentException("loginDelayStep: " + loginDelayStep + " (expected: >= 0)");
		}
		long names = users.stream().map(AdminUser::name).distinct().count();
		if (names != users.size()) {
			throw new IllegalArgumentException("users: duplicate names (expected: each name once)");
		}
	}

}
