package io.meshgate.gateway;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up: the jars most of a start's classes come from lead the class path (gateway-app's pom
 * declares them first), so that a {@code java -jar} start, which looks for every class jar by jar
 * in this order, finds them after a few looks. Surefire's class path follows the same dependency
 * order as the jar's {@code BOOT-INF/classpath.idx}.
 */
class ClassPathOrderTest {

	/** The jars that gave the most classes to a start of the demo, most first (bench/notes.md). */
	static final List<String> MOST_USED = List.of("spring-core-", "hibernate-validator-", "reactor-core-", "spring-boot-",
			"jackson-databind-", "spring-context-", "spring-web-", "spring-beans-", "netty-common-", "netty-codec-http2-");

	@Test
	void theJarsMostClassesComeFromLeadTheClassPath() {
		List<String> jars = new ArrayList<>();
		for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
			.split(File.pathSeparator)) {
			if (entry.endsWith(".jar")) {
				jars.add(entry.substring(entry.lastIndexOf(File.separatorChar) + 1));
			}
		}
		assertThat(jars).hasSizeGreaterThan(100);
		List<String> lead = jars.subList(0, 30);
		assertThat(MOST_USED).allSatisfy(prefix -> assertThat(lead).as("the first 30 jars of the class path")
			.anySatisfy(jar -> assertThat(jar).startsWith(prefix)));
	}

}
