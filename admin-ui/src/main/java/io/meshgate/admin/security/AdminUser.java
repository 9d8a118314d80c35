package io.meshgate.admin.security;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One admin login: {@code {name: alice, password: "{bcrypt}$2a$10$...", roles: [editor]}}.
 *
 * @param name the login name
 * @param password a bcrypt hash, with or without the {@code {bcrypt}} prefix; never plain text
 * @param roles {@code viewer} (read only) and/or {@code editor} (may write); default {@code [viewer]}
 */
public record AdminUser(String name, String password, List<String> roles) {

	public static final Set<String> ROLES = Set.of("viewer", "editor");

	public AdminUser {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("name: " + name + " (expected: a login name)");
		}
		if (password == null || !password.replaceFirst("^\\{bcrypt}", "").matches("\\$2[aby]?\\$\\d\\d\\$.{53}")) {
			throw new IllegalArgumentException("password: (hidden) (expected: a bcrypt hash such as {bcrypt}$2a$10$..., "
					+ "see docs/admin.md: making a password hash)");
		}
		roles = roles == null || roles.isEmpty() ? List.of("viewer")
				: roles.stream().map(r -> r == null ? "" : r.trim().toLowerCase(Locale.ROOT)).toList();
		for (String role : roles) {
			if (!ROLES.contains(role)) {
				throw new IllegalArgumentException("roles: " + role + " (expected: viewer or editor)");
			}
		}
	}

	/** The hash with its encoder prefix, as Spring Security's delegating encoder reads it. */
	public String encodedPassword() {
		return password.startsWith("{bcrypt}") ? password : "{bcrypt}" + password;
	}

	@Override
	public String toString() {
		return "AdminUser[name=" + name + ", roles=" + roles + "]";
	}

}
