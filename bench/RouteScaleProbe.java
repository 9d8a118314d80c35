import java.io.BufferedReader;
import java.io.InputStreamReader;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.Route;

/**
 * Meshgate with route tables of several sizes, one after the other in one JVM, for bench/run.sh.
 * Starts the gateway in this JVM with an editor login and a fresh file store, then visits the
 * sizes up and back down, the largest twice in a row ({@code 1 100 1000 10000 10000 1000 100 1}):
 * each size is measured twice, at times that average to the same point, so the JIT warming up
 * during the run favours no size. A visit puts N routes with distinct path prefixes ({@code /r0/**}
 * … {@code /rN-1/**}) through the admin API ({@code PUT /api/config}, timed); on a size's first
 * visit the last route is then edited EDITS times through the admin API ({@code PUT
 * /api/routes/rN-1} with a new path prefix: validated as a whole, stored, applied), each timed from
 * the PUT until a request on the new path gets 200, and EDITS more times through the routing layer
 * alone ({@code MeshRouting.apply}, no admin validation or store). Each visit prints
 * {@code READY routes=N visit=V applyMs=… path=/…} (with {@code editMs=[…] editMedianMs=…
 * routingEditMs=[…] routingEditMedianMs=…} on a first visit), then waits for a line on standard
 * input: the caller measures throughput on that path meanwhile. Ends after the last visit.
 *
 * Run: java -cp 'meshgate.jar:lib/*' RouteScaleProbe SIZES UPSTREAM_URL EDITS [Spring arguments...]
 * with SIZES ascending and comma-separated, e.g. 1,100,1000,10000.
 */
public class RouteScaleProbe {

	private static final String PASSWORD = "bench-only-password";

	public static void main(String[] args) throws Exception {
		int[] sizes = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
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
		BufferedReader caller = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

		List<Integer> visits = new ArrayList<>();
		Arrays.stream(sizes).forEach(visits::add);
		for (int i = sizes.length - 1; i >= 0; i--) {
			visits.add(sizes[i]);
		}
		Map<Integer, Integer> visited = new HashMap<>();
		String last = null;
		for (int v = 0; v < visits.size(); v++) {
			int routes = visits.get(v);
			int visit = visited.merge(routes, 1, Integer::sum);
			StringBuilder ready = new StringBuilder("READY routes=" + routes + " visit=" + visit);
			if (v == 0 || visits.get(v - 1) != routes) { // the largest, visited twice in a row, is put once
				long start = System.nanoTime();
				put(http, adminPort, "/api/config", table(upstream, routes));
				last = "/r" + (routes - 1) + "/x";
				awaitOk(http, port, last);
				ready.append(" applyMs=").append((System.nanoTime() - start) / 1_000_000);
			}
			if (visit == 1) {
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
				ready.append(" editMs=").append(Arrays.toString(editMs)).append(" editMedianMs=").append(median(editMs))
					.append(" routingEditMs=").append(Arrays.toString(routingMs)).append(" routingEditMedianMs=")
					.append(median(routingMs));
			}
			System.out.println(ready.append(" path=").append(last));
			System.out.flush();
			if (caller.readLine() == null) {
				break;
			}
		}
		context.close();
	}

	private static String table(String upstream, int routes) {
		StringBuilder config = new StringBuilder("{\"upstreams\":[{\"name\":\"up\",\"endpoints\":[\"")
			.append(upstream)
			.append("\"]}],\"routes\":[");
		for (int i = 0; i < routes; i++) {
			config.append(i == 0 ? "" : ",").append(route("/r" + i));
		}
		return config.append("]}").toString();
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
