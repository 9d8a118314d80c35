package io.meshgate.admin.security;

/**
 * Present in the application context when a start without {@code meshgate.admin.users} may
 * generate a login (user {@code admin}, editor, a random password printed once on the console)
 * instead of refusing to start. Only a demo should offer it: a generated password in a log is
 * readable by whoever reads the logs.
 *
 * @param reason why a generated login is acceptable here, printed next to the password
 */
public record GeneratedAdminLogin(String reason) {
}
