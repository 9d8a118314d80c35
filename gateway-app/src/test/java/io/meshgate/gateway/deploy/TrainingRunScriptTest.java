package io.meshgate.gateway.deploy;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.meshgate.gateway.MeshgateApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code config/training-run.sh}, which makes the start-up cache of the container image (an AOT
 * cache on Java 25, a class-data-sharing archive before it), run against a layout like the one
 * {@code jarmode=tools extract} writes: a {@code meshgate.jar} whose manifest names the
 * application's jars (both take jars only, no class directories).
 */
class TrainingRunScriptTest {

	private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

	/**
	 * The runtime image's JDK: JAVA25_HOME, or a JDK 25 under /usr/lib/jvm; the AOT cache test is
	 * skipped without one (the build itself needs only Java 17).
	 */
	private static final Optional<Path> JAVA_25 = Stream
		.concat(Stream.ofNullable(System.getenv("JAVA25_HOME")).map(Path::of),
				Stream.of(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64"), Path.of("/usr/lib/jvm/java-25-openjdk-amd64")))
		.map(home -> home.resolve("bin").resolve("java"))
		.filter(Files::isExecutable)
		.findFirst();

	/** The extracted layout, made once: both cache tests train on the same jars. */
	@TempDir
	static Path shared;

	private static Path layout;

	@TempDir
	Path work;

	@BeforeAll
	static void extract() throws IOException {
		layout = extractedLayout(shared);
	}

	@Test
	void archiveHoldsTheClassesOfServingARequestAndTheJvmAcceptsIt() throws Exception {
		Path archive = work.resolve("meshgate.jsa");

		Result training = run(List.of("bash", script(), layout.toString(), archive.toString(), "-Xmx256m",
				"-XX:+UseSerialGC"), Map.of(), 180);

		assertThat(training.exit()).as(training.output()).isZero();
		assertThat(training.output()).contains("class-data-sharing archive")
			.contains("from a training run that served requests");
		Result listing = run(List.of(JAVA, "-Xmx256m", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + archive,
				"-XX:+PrintSharedArchiveAndExit", "-jar", layout.resolve("meshgate.jar").toString()), Map.of(), 60);
		assertThat(listing.output()).contains("archive is valid")
			// loaded only once a request has been accepted and routed
			.contains("reactor.netty.http.server.HttpServerOperations")
			.contains("io.meshgate.policy.upstream.SmallResponseFilter$OneWrite");
	}

	@Test
	void onJava25TheCacheIsAnAotCacheWithTheRequestPathAndMethodProfiles() throws Exception {
		assumeTrue(JAVA_25.isPresent(), "no JDK 25 (JAVA25_HOME)");
		String java25 = JAVA_25.get().toString();
		Path cache = work.resolve("meshgate.aot");

		Result training = run(List.of("bash", script(), layout.toString(), cache.toString()), Map.of("JAVA", java25),
				300);

		assertThat(training.exit()).as(training.output()).isZero();
		assertThat(training.output()).contains("AOT cache").contains("from a training run that served requests");
		Result listing = run(List.of(java25, "-XX:AOTCache=" + cache, "-XX:+PrintSharedArchiveAndExit", "-jar",
				layout.resolve("meshgate.jar").toString()), Map.of(), 300);
		assertThat(listing.output()).contains("archive is valid")
			.contains("reactor.netty.http.server.HttpServerOperations")
			.contains("io.meshgate.policy.upstream.SmallResponseFilter$OneWrite")
			// JEP 515: profiles of the methods the training ran (method data objects)
			.contains("mdo=");
	}

	@Test
	void failsWithTheGatewaysLogWhenTheGatewayCannotStart() throws Exception {
		Path empty = Files.createDirectories(work.resolve("empty"));

		Result training = run(List.of("bash", script(), empty.toString(), work.resolve("x.jsa").toString()), Map.of(),
				60);

		assertThat(training.exit()).isEqualTo(1);
		assertThat(training.output()).contains("never answered 200").contains("meshgate.jar");
		assertThat(work.resolve("x.jsa")).doesNotExist();
	}

	private static String script() {
		return Path.of("..", "config", "training-run.sh").toString();
	}

	/**
	 * {@code meshgate.jar} with a manifest naming this module's classes (as a jar) and its
	 * dependencies, copied to {@code lib/} and named by relative paths as {@code extract} does: the
	 * JVM resolves the class path of a cache itself, and takes manifest entries for paths, not URLs.
	 */
	private static Path extractedLayout(Path dir) throws IOException {
		Path root = Files.createDirectories(dir.resolve("layout"));
		Path lib = Files.createDirectories(root.resolve("lib"));
		List<String> classPath = new ArrayList<>();
		// Surefire starts tests on a manifest-only jar; the real class path is in this property
		String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		for (String entry : testClassPath.split(File.pathSeparator)) {
			Path path = Path.of(entry).toAbsolutePath();
			String name = classPath.size() + "-" + path.getFileName() + (Files.isDirectory(path) ? ".jar" : "");
			if (Files.isDirectory(path) && !path.endsWith("test-classes")) {
				jarOf(path, lib.resolve(name));
				classPath.add("lib/" + name);
			}
			else if (Files.isRegularFile(path)) {
				Files.copy(path, lib.resolve(name));
				classPath.add("lib/" + name);
			}
		}
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, MeshgateApplication.class.getName());
		manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
		try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(root.resolve("meshgate.jar")),
				manifest)) {
			// the manifest is all there is
		}
		return root;
	}

	private static Path jarOf(Path classes, Path target) throws IOException {
		try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target));
				Stream<Path> files = Files.walk(classes)) {
			for (Path file : files.filter(file -> !file.equals(classes)).toList()) {
				String name = classes.relativize(file).toString().replace(File.separatorChar, '/');
				// directory entries too: component scanning lists packages through them
				jar.putNextEntry(new JarEntry(Files.isDirectory(file) ? name + "/" : name));
				if (Files.isRegularFile(file)) {
					Files.copy(file, (OutputStream) jar);
				}
				jar.closeEntry();
			}
		}
		return target;
	}

	private Result run(List<String> command, Map<String, String> environment, int timeoutSeconds) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(work.resolve("out-" + System.nanoTime() + ".log").toFile());
		builder.environment().put("TRAINING_PORT", String.valueOf(freePort()));
		builder.environment().put("TRAINING_ADMIN_PORT", String.valueOf(freePort()));
		builder.environment().putAll(environment);
		Process process = builder.start();
		if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(command + " still running after " + timeoutSeconds + " s");
		}
		return new Result(process.exitValue(), Files.readString(builder.redirectOutput().file().toPath()));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private record Result(int exit, String output) {
	}

}
