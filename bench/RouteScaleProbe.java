import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.Route;

/**
 * Meshgate with N routes, for bench/run.sh: starts the gateway in this JVM with an editor login
 * and a fresh file store, puts N routes with distinct path prefixes ({@code /r0/**} …
 * {@code /rN-1/**}) through the admin API, then edits the last route EDITS times through the admin
 * API ({@code PUT /api/routes/rN-1} with a new path prefix: validated as a whole, stored, applied)
 * and measures, for each edit, the time from sending the PUT until a request on the new path gets
 * 200; then EDITS more edits of the routing layer alone ({@code MeshRouting.apply}, no admin
 * validation or store). Prints {@code READY path=/… applyMs=… editMs=[…] editMedianMs=…
 * routingEditMs=[…] routingEditMedianMs=…} and keeps serving until killed, so that the caller can
 * measure throughput on the last route.
 *
 * Run: java -cp 'meshgate.jar:lib/*' RouteScaleProbe N UPSTREAM_URL EDITS [Spring arguments...]
 */
public class RouteScaleProbe {

	private static final String PASSWORD = "bench-only-password";

	public static void main(String[] args) throws Exception {
		int routes = Integer.parseInt(args[0]);
		String upstream = args[1];
		int edits = Integer.parseInt(args[2]);
		List<String> springArgs = new ArrayList<>(Arrays.asList(args).subList(3, args.length));
		springArgs.add("--meshgate.store.path=" + Files.createTempDirectory("meshgate-scale"));
		springArgs.add("--meshgate.admin.users[0].name=bench");
		springArgs.add("--meshgate.admin.users[0].password={bcrypt}" + new BCryptPasswordEncoder(4).encode(PASSWORD));
		springArgs.add("--meshgate.admin.users[0].roles[0]=editor");
		ConfigurableApplicationContext context = SpringApplication.run(MeshgateApplication.class,
				springArgs.toArray(String[]::new));
		int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
		int adminPort = Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

		StringBuilder config = new StringBuilder("{\"upstreams\":[{\"name\":\"up\",\"endpoints\":[\"")
			.append(upstream)
			.append("\"]}],\"routes\":[");
		for (int i = 0; i < routes; i++) {
			config.append(i == 0 ? "" : ",").append(route("/r" + i));
		}
		config.append("]}");
		long start = System.nanoTime();
		put(http, adminPort, "/api/config", config.toString());
		String last = "/r" + (routes - 1) + "/x";
		awaitOk(http, port, last);
		long applyMs = (System.nanoTime() - start) / 1_000_000;

		long[] editMs = new long[edits];
		for (int e = 0; e < edits; e++) {
			String prefix = "/r" + (routes - 1) + "-e" + e;
			long began = System.nanoTime();
			put(http, adminPort, "/api/routes/r" + (routes - 1), route(prefix));
			awaitOk(http, port, prefix + "/x");
			editMs[e] = (System.nanoTime() - began) / 1_000_000;
			last = prefix + "/x";
		}
		// the routing layer alone: MeshRouting.apply of the running table with the last route changed
		MeshRouting routing = context.getBean(MeshRouting.class);
		long[] routingMs = new long[edits];
		for (int e = 0; e < edits; e++) {
			String prefix = "/r" + (routes - 1) + "-a" + e;
			List<Route> table = new ArrayList<>(routing.current().routes());
			table.replaceAll(r -> r.id().equals("r" + (routes - 1)) ? Route.of(r.id(), prefix + "/**", Backend.of("up", 1)) : r);
			long began = System.nanoTime();
			routing.apply(new MeshConfig(routing.current().upstreams(), table));
			awaitOk(http, port, prefix + "/x");
			routingMs[e] = (System.nanoTime() - began) / 1_000_000;
			last = prefix + "/x";
		}
		System.out.println("READY routes=" + routes + " path=" + last + " applyMs=" + applyMs + " editMs="
				+ Arrays.toString(editMs) + " editMedianMs=" + median(editMs) + " routingEditMs="
				+ Arrays.toString(routingMs) + " routingEditMedianMs=" + median(routingMs));
		System.out.flush();
	}

	private static long median(long[] values) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted.length == 0 ? -1 : sorted[sorted.length / 2];
	}

	private static String route(String prefix) {
		String id = prefix.substring(1).replaceFirst("-e\\d+$", "");
		return "{\"id\":\"" + id + "\",\"match\":{\"path\":\"" + prefix + "/**\"},\"backends\":[{\"upstream\":\"up\"}]}";
	}

	private static void put(HttpClient http, int adminPort, String path, String json) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
			.timeout(Duration.ofSeconds(120))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString(("bench:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json))
			.build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("PUT " + path + ": " + response.statusCode() + " " + response.body());
		}
	}

	private static void awaitOk(HttpClient http, int port, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(5))
			.build();
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (System.nanoTime() < deadline) {
			if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
				return;
			}
			Thread.sleep(2);
		}
		throw new IllegalStateException("no 200 on " + path + " within 120 s");
	}

}
