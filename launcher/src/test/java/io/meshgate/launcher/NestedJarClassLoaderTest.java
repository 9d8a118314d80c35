package io.meshgate.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import io.meshgate.launcher.fixture.first.Marker;
import io.meshgate.launcher.fixture.Probe;
import io.meshgate.launcher.fixture.sealed.SealedFirst;
import io.meshgate.launcher.fixture.sealed.SealedSecond;
import io.meshgate.launcher.fixture.undeclared.Undeclared;
import net.bytebuddy.ByteBuddy;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.loader.launch.JarLauncher;
import org.springframework.boot.loader.tools.Library;
import org.springframework.boot.loader.tools.LibraryScope;
import org.springframework.boot.loader.tools.Repackager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One executable jar, packaged by {@link MeshgateLayoutFactory} as gateway-app's is, started twice:
 * with its own {@code Main-Class} (Meshgate's launcher) and with Spring Boot's
 * {@link JarLauncher}. Its main class ({@link Probe}) asks its class loader for every entry of
 * its libraries, as a resource and as a class, and both starts must answer alike. The libraries are
 * fixtures for each rule (the first jar wins, multi-release, sealing) and real jars: a signed one
 * (bcprov), a multi-release one (Byte Buddy) and AssertJ.
 */
class NestedJarClassLoaderTest {

	private static final String FIXTURE = "io/meshgate/launcher/fixture/";

	@TempDir
	static Path dir;

	static Path executable;

	/** The probe's lines under Meshgate's launcher and under Spring Boot's. */
	static List<String> direct;

	static List<String> stock;

	@BeforeAll
	static void startTheSameJarUnderBothLaunchers() throws Exception {
		Path app = jar("app.jar", new Manifest(), classFile(Probe.class));
		List<Path> libraries = new ArrayList<>(List.of(
				jar("first.jar", manifest("Implementation-Version", "first"), classFile(Marker.class),
						text(FIXTURE + "which.txt", "first")),
				jar("second.jar", manifest("Implementation-Version", "second"), classFile(Marker.class),
						text(FIXTURE + "which.txt", "second"), text(FIXTURE + "only-second.txt", "second")),
				jar("multi.jar", manifest("Multi-Release", "true"), text(FIXTURE + "mr.txt", "base"),
						text("META-INF/versions/9/" + FIXTURE + "mr.txt", "9"),
						text("META-INF/versions/99/" + FIXTURE + "mr.txt", "99"),
						text("META-INF/versions/11/" + FIXTURE + "eleven/only11.txt", "11")),
				jar("sealed.jar", manifest("Sealed", "true"), classFile(SealedFirst.class)),
				jar("other.jar", new Manifest(), classFile(SealedSecond.class)),
				jarWithoutDirectories("undeclared.jar", manifest("Implementation-Version", "undeclared"),
						classFile(Undeclared.class))));
		libraries.add(location(BouncyCastleProvider.class));
		libraries.add(location(ByteBuddy.class));
		libraries.add(location(org.assertj.core.api.Assertions.class));

		executable = dir.resolve("executable.jar");
		Repackager repackager = new Repackager(app.toFile());
		repackager.setLayoutFactory(new MeshgateLayoutFactory());
		repackager.setMainClass(Probe.class.getName());
		repackager.setIncludeRelevantJarModeJars(false);
		repackager.repackage(executable.toFile(), (callback) -> {
			for (Path library : libraries) {
				callback.library(new Library(library.toFile(), LibraryScope.COMPILE));
			}
		});

		List<String> names = new ArrayList<>();
		for (Path library : libraries) {
			try (JarFile jar = new JarFile(library.toFile())) {
				names.addAll(Collections.list(jar.entries()).stream().map(JarEntry::getName).toList());
			}
		}
		// names that go the JDK's way, and names no jar holds
		names.addAll(List.of(FIXTURE + "eleven/only11.txt", FIXTURE, FIXTURE + "../fixture/which.txt", "/" + FIXTURE + "which.txt",
				FIXTURE + "with space.txt", "no/such/thing.txt", "NoSuchRoot.class", ""));
		Path list = Files.write(dir.resolve("names.txt"), names);

		direct = probe("direct", "-jar", executable.toString(), list.toString());
		stock = probe("stock", "-cp", executable.toString(), JarLauncher.class.getName(), list.toString());
	}

	@Test
	void theJarStartsWithMeshgatesLauncherAndItsLoader() throws IOException {
		try (JarFile jar = new JarFile(executable.toFile())) {
			assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
				.isEqualTo(MeshgateJarLauncher.class.getName());
			for (String name : MeshgateLayoutFactory.LAUNCHER_CLASSES) {
				assertThat(jar.getEntry(name.replace('.', '/') + ".class")).as(name).isNotNull();
			}
		}
		assertThat(MeshgateLayoutFactory.LAUNCHER).isEqualTo(MeshgateJarLauncher.class.getName());
		assertThat(direct.get(0)).isEqualTo("loader " + NestedJarClassLoader.class.getName());
		assertThat(stock.get(0)).isEqualTo("loader org.springframework.boot.loader.launch.LaunchedClassLoader");
	}

	@Test
	void everyAnswerIsSpringBootsLoadersAnswer() {
		assertThat(direct.subList(1, direct.size())).containsExactlyElementsOf(stock.subList(1, stock.size()));
		assertThat(direct.stream().filter((line) -> line.startsWith("class org.bouncycastle.") && line.contains(" launched ")))
			.hasSizeGreaterThan(1000);
		assertThat(direct.stream().filter((line) -> line.startsWith("class net.bytebuddy.") && line.contains(" launched ")))
			.hasSizeGreaterThan(1000);
	}

	@Test
	void theFirstJarOnTheClassPathWins() {
		assertThat(line("class " + Marker.class.getName() + " ")).contains("first.jar!/ signers=0")
			.endsWith("package=io.meshgate.launcher.fixture.first/first/sealed=false");
		assertThat(line("resource " + FIXTURE + "which.txt "))
			.matches("resource \\S+ \\S+first\\.jar!/\\S+ \\[\\S+first\\.jar!/\\S+, \\S+second\\.jar!/\\S+\\] 'first'");
		assertThat(line("resource " + FIXTURE + "only-second.txt ")).contains("second.jar!/").endsWith("'second'");
	}

	@Test
	void aMultiReleaseJarAnswersForTheRunningJava() {
		assertThat(Runtime.version().feature()).isBetween(11, 98);
		assertThat(line("resource " + FIXTURE + "mr.txt ")).endsWith("'9'");
		assertThat(line("resource " + FIXTURE + "eleven/only11.txt ")).contains("multi.jar!/").endsWith("'11'");
	}

	@Test
	void aSealedPackageTakesNoClassFromAnotherJar() {
		assertThat(line("class " + SealedFirst.class.getName() + " ")).contains("sealed.jar!/")
			.endsWith("/sealed=true");
		assertThat(line("class " + SealedSecond.class.getName() + " ")).endsWith("! java.lang.SecurityException");
	}

	@Test
	void aPackageIsDefinedFromItsJarsManifestWhenTheJarHasItsDirectory() {
		assertThat(line("class " + Undeclared.class.getName() + " ")).contains("undeclared.jar!/")
			.endsWith("package=io.meshgate.launcher.fixture.undeclared/null/sealed=false");
	}

	@Test
	void whatNoJarHoldsIsNotFound() {
		assertThat(line("resource no/such/thing.txt ")).isEqualTo("resource no/such/thing.txt null [] -");
		assertThat(line("resource NoSuchRoot.class ")).isEqualTo("resource NoSuchRoot.class null [] -");
		assertThat(line("class NoSuchRoot ")).isEqualTo("class NoSuchRoot ! java.lang.ClassNotFoundException");
	}

	@Test
	void onlyPlainNamesTakeTheDirectWay() {
		assertThat(NestedJarClassLoader.isPlain("org/example/Type$Inner.class")).isTrue();
		assertThat(NestedJarClassLoader.isPlain("META-INF/spring/a_b-c.imports")).isTrue();
		assertThat(NestedJarClassLoader.isPlain("")).isFalse();
		assertThat(NestedJarClassLoader.isPlain("org/example/")).isFalse();
		assertThat(NestedJarClassLoader.isPlain("/org/example/a.txt")).isFalse();
		assertThat(NestedJarClassLoader.isPlain("org/../a.txt")).isFalse();
		assertThat(NestedJarClassLoader.isPlain("org/a b.txt")).isFalse();
		assertThat(NestedJarClassLoader.isPlain("org/ä.txt")).isFalse();
		assertThat(NestedJarClassLoader.isPlain("org/a%20b.txt")).isFalse();
	}

	private static String line(String prefix) {
		return direct.stream().filter((line) -> line.startsWith(prefix)).findFirst().orElseThrow();
	}

	private static List<String> probe(String name, String... args) throws Exception {
		Path out = dir.resolve(name + ".out");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(List.of(args));
		command.add(out.toString());
		Path log = dir.resolve(name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!process.waitFor(3, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new AssertionError(name + " did not finish in 3 minutes: " + Files.readString(log));
		}
		assertThat(process.exitValue()).as("%s exit; output:%n%s", name, Files.readString(log)).isZero();
		return Files.readAllLines(out);
	}

	private static Path location(Class<?> type) throws Exception {
		return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

	private record Entry(String name, byte[] content) {
	}

	private static Entry classFile(Class<?> type) throws IOException {
		String name = type.getName().replace('.', '/') + ".class";
		try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
			return new Entry(name, in.readAllBytes());
		}
	}

	private static Entry text(String name, String content) {
		return new Entry(name, content.getBytes(StandardCharsets.UTF_8));
	}

	private static Manifest manifest(String name, String value) {
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().putValue(name, value);
		return manifest;
	}

	/** A jar as Maven packages one: each directory has its entry, before the directory's files. */
	private static Path jar(String name, Manifest manifest, Entry... entries) throws IOException {
		List<Entry> withDirectories = new ArrayList<>();
		Set<String> directories = new HashSet<>();
		for (Entry entry : entries) {
			for (int slash = entry.name().indexOf('/'); slash != -1; slash = entry.name().indexOf('/', slash + 1)) {
				String directory = entry.name().substring(0, slash + 1);
				if (directories.add(directory)) {
					withDirectories.add(new Entry(directory, null));
				}
			}
			withDirectories.add(entry);
		}
		return jarWithoutDirectories(name, manifest, withDirectories.toArray(Entry[]::new));
	}

	private static Path jarWithoutDirectories(String name, Manifest manifest, Entry... entries) throws IOException {
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		Path jar = dir.resolve(name);
		try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
			for (Entry entry : entries) {
				out.putNextEntry(new JarEntry(entry.name()));
				if (entry.content() != null) {
					out.write(entry.content());
				}
				out.closeEntry();
			}
		}
		return jar;
	}

}
