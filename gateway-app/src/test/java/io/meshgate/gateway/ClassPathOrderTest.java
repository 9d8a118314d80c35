package io.meshgate.gateway;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up: the jars most of a start's classes come from lead the class path (gateway-app's pom
 * declares them first), so that what looks jar by jar in this order (Spring Boot's loader for each
 * new package, the JDK for each class on the extracted layout) finds them after a few looks; jars a
 * start never reads come after them.
 * Surefire's class path follows the same dependency order as the jar's
 * {@code BOOT-INF/classpath.idx}.
 */
class ClassPathOrderTest {

	/**
	 * The jars that gave the most classes to a start of the demo, most first (bench/notes.md), and
	 * Netty's native-transport classes (24 at start), which the jars declared last would otherwise
	 * pull late: they are nearer through them than through netty-handler.
	 */
	static final List<String> MOST_USED = List.of("spring-core-", "hibernate-validator-", "reactor-core-", "spring-boot-",
			"jackson-databind-", "spring-context-", "spring-web-", "spring-beans-", "netty-common-", "netty-codec-http2-",
			"netty-transport-native-unix-common-");

	/**
	 * Jars a start of the demo loads classes from, reached late in the pom (the project's own
	 * modules are directories on surefire's class path, jars in the packaged one).
	 */
	static final List<String> USED_LATE = List.of("spring-cloud-gateway-server-webflux-", "spring-security-web-",
			"micrometer-registry-prometheus-", "opentelemetry-sdk-trace-", "kubernetes-client-api-");

	@Test
	void theJarsMostClassesComeFromLeadTheClassPath() {
		List<String> jars = classPathJars();
		assertThat(jars).hasSizeGreaterThan(100);
		List<String> lead = jars.subList(0, 30);
		assertThat(MOST_USED).allSatisfy(prefix -> assertThat(lead).as("the first 30 jars of the class path")
			.anySatisfy(jar -> assertThat(jar).startsWith(prefix)));
	}

	/**
	 * QUIC's native libraries (HTTP/3, which nothing here speaks) are not packaged; the jars a
	 * start on Linux never reads (HTTP/3 and QUIC's classes, which Reactor Netty's TLS client
	 * needs to find QUIC unavailable, and macOS's DNS configuration) come after every jar it does.
	 */
	@Test
	void jarsNoStartOnLinuxReadsComeAfterTheOnesItDoes() {
		List<String> jars = classPathJars();
		assertThat(jars).noneSatisfy(jar -> assertThat(jar).startsWith("netty-codec-native-quic-"));
		for (String unread : List.of("netty-codec-http3-", "netty-codec-classes-quic-", "netty-resolver-dns-classes-macos-",
				"netty-resolver-dns-native-macos-")) {
			int at = -1;
			for (int i = 0; i < jars.size() && at < 0; i++) {
				at = jars.get(i).startsWith(unread) ? i : -1;
			}
			assertThat(at).as("the position of " + unread).isNotNegative();
			List<String> before = jars.subList(0, at);
			assertThat(USED_LATE).allSatisfy(prefix -> assertThat(before).as("the jars before " + unread)
				.anySatisfy(jar -> assertThat(jar).startsWith(prefix)));
		}
	}

	private static List<String> classPathJars() {
		List<String> jars = new ArrayList<>();
		for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
			.split(File.pathSeparator)) {
			if (entry.endsWith(".jar")) {
				jars.add(entry.substring(entry.lastIndexOf(File.separatorChar) + 1));
			}
		}
		return jars;
	}

}
