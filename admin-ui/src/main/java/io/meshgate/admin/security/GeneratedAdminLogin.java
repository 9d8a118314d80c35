package io.meshgate.admin.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Present in the application context when a start without {@code meshgate.admin.users} may
 * generate a login (user {@code admin}, editor, a random password printed once on the console)
 * instead of refusing to start. Only a demo should offer it: a generated password in a log is
 * readable by whoever reads the logs.
 *
 * @param reason why a generated login is acceptable here, printed next to the password
 * @param password the generated password; null when users are configured (then none is used)
 */
public record GeneratedAdminLogin(String reason, String password) {

	public GeneratedAdminLogin {
		Objects.requireNonNull(reason, "reason");
	}

	/**
	 * The login for a start with {@code environment}: with no {@code meshgate.admin.users}, a
	 * password generated and printed now, while the application context is created and before any
	 * port answers, so that the line comes before the gateway serves.
	 */
	public static GeneratedAdminLogin forStart(String reason, Environment environment) {
		AdminProperties admin = Binder.get(environment).bindOrCreate("meshgate.admin", AdminProperties.class);
		if (!admin.users().isEmpty()) {
			return new GeneratedAdminLogin(reason, null);
		}
		byte[] random = new byte[18];
		new SecureRandom().nextBytes(random);
		String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		// Printed once, on the console only (not through the logging system).
		System.out.println("\nMeshgate admin login: user 'admin', password '" + password + "' (generated at start-up "
				+ "because " + reason + "; shown only now; configure meshgate.admin.users to set your own)\n");
		return new GeneratedAdminLogin(reason, password);
	}

}
