package io.meshgate.gateway.testing;

/**
 * The admin logins of the tests: an editor and a viewer, with bcrypt hashes of cost 4 (fast
 * enough for hundreds of requests). Constants, so that {@code @SpringBootTest(properties = …)} can
 * use them: {@code "meshgate.admin.users[0].password=" + TestUsers.EDITOR_HASH}.
 */
public final class TestUsers {

	public static final String EDITOR = "erin";

	public static final String EDITOR_PASSWORD = "editor-secret";

	/** {@link #EDITOR_PASSWORD}, with Spring Security's {@code {bcrypt}} prefix. */
	public static final String EDITOR_HASH = "{bcrypt}$2a$04$/QuiqLKJRIwyMxntoaGkOetYOEPNdbwr9FmImjFO0dMyPbrqIsS5i";

	public static final String VIEWER = "victor";

	public static final String VIEWER_PASSWORD = "viewer-secret";

	/** {@link #VIEWER_PASSWORD}, a bare bcrypt hash: the prefix is optional. */
	public static final String VIEWER_HASH = "$2a$04$7IBBOYAtF6pRFDBNZ1WncusyfOIqCFHQNW3I/xI7.zbkkp6mdBZDa";

	private TestUsers() {
	}

}
