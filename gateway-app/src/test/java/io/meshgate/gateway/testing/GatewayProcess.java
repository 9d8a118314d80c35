package io.meshgate.gateway.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;

import io.meshgate.gateway.MeshgateApplication;

import static org.awaitility.Awaitility.await;

/**
 * A gateway in a JVM of its own, started from the tests' class path through
 * {@link MeshgateApplication#main}, for what only a whole process shows: its threads, its log, its
 * answer to a signal, JVM-wide settings. Its ingress and admin ports are free ports, its store a
 * temporary directory, and it has one viewer login ({@link TestUsers#VIEWER}).
 */
public final class GatewayProcess implements AutoCloseable {

	private final Process process;

	private final int ingress;

	private final int admin;

	private final Path log;

	private GatewayProcess(Process process, int ingress, int admin, Path log) {
		this.process = process;
		this.ingress = ingress;
		this.admin = admin;
		this.log = log;
	}

	/**
	 * Starts a gateway and waits (up to 90 s) until its admin port reports healthy; if it does not,
	 * stops it and fails with its log.
	 * @param jvmFlags flags for its JVM
	 * @param args arguments for the application, after the ports, store and login
	 */
	public static GatewayProcess start(List<String> jvmFlags, List<String> args) throws IOException {
		int ingress = freePort();
		int admin = freePort();
		Path log = Files.createTempFile("meshgate-process", ".log");
		List<String> command = new ArrayList<>();
		command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
		command.addAll(jvmFlags);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), MeshgateApplication.class.getName(),
				"--server.port=" + ingress, "--management.server.port=" + admin,
				"--meshgate.store.path=" + Files.createTempDirectory("meshgate-store"),
				"--meshgate.admin.users[0].name=" + TestUsers.VIEWER,
				"--meshgate.admin.users[0].password=" + TestUsers.VIEWER_HASH));
		command.addAll(args);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		GatewayProcess gateway = new GatewayProcess(process, ingress, admin, log);
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		try {
			await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(200))
				.ignoreExceptions()
				.until(() -> http
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/actuator/health"))
						.timeout(Duration.ofSeconds(5))
						.build(), HttpResponse.BodyHandlers.discarding())
					.statusCode() == 200);
		}
		catch (ConditionTimeoutException ex) {
			gateway.close();
			throw new AssertionError("the gateway process did not become healthy within 90 s:\n" + gateway.log(), ex);
		}
		return gateway;
	}

	public Process process() {
		return process;
	}

	public int ingressPort() {
		return ingress;
	}

	public int adminPort() {
		return admin;
	}

	/** Everything it wrote to stdout and stderr so far. */
	public String log() throws IOException {
		return Files.readString(log);
	}

	public List<String> logLines() throws IOException {
		return Files.readAllLines(log);
	}

	/** Its thread names as Linux keeps them (/proc/PID/task/TID/comm: the first 15 characters). */
	public List<String> threadNames() throws IOException {
		List<String> names = new ArrayList<>();
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
			for (Path task : tasks) {
				names.add(Files.readString(task.resolve("comm")).strip());
			}
		}
		return names;
	}

	@Override
	public void close() {
		process.destroyForcibly();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
