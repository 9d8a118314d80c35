package io.meshgate.admin.security;

import java.io.Console;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Prints the bcrypt hash of a password for {@code meshgate.admin.users[].password}. Reads the
 * password from the console without echo (or from standard input when there is no console).
 */
public final class HashPassword {

	private HashPassword() {
	}

	public static void main(String[] args) throws Exception {
		String password;
		Console console = System.console();
		if (console != null) {
			char[] typed = console.readPassword("Password: ");
			password = typed == null ? "" : new String(typed);
		}
		else {
			password = new String(System.in.readAllBytes()).strip();
		}
		if (password.length() < 8) {
			System.err.println("password: too short (expected: at least 8 characters)");
			System.exit(2);
		}
		System.out.println("{bcrypt}" + new BCryptPasswordEncoder(12).encode(password));
	}

}
