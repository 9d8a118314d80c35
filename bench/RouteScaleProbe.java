import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Route tables of several sizes in one running, warm Meshgate, for bench/run.sh. Visits the sizes
 * up and back down, the largest twice in a row ({@code 1 100 1000 10000 10000 1000 100 1}): each
 * size is measured twice, at times that average to the same point, so that what the JVM still
 * compiles during the visits favours no size. A visit puts N routes with distinct path prefixes
 * ({@code /r0/**} … {@code /rN-1/**}) in place of the gateway's configuration through the admin
 * API ({@code PUT /api/config}, timed until the last route answers); a size's first visit then
 * edits the last route EDITS times ({@code PUT /api/routes/rN-1} with a new path prefix: validated
 * as a whole, stored, applied), each timed from the PUT until a request on the new path gets 200.
 * Each visit prints {@code READY routes=N visit=V applyMs=… [editMs=[…] editMedianMs=…] path=/…}
 * and waits for a line on standard input: the caller measures throughput on that path meanwhile.
 *
 * Run: java RouteScaleProbe SIZES INGRESS_URL ADMIN_URL UPSTREAM_URL EDITS, with SIZES ascending
 * and comma-separated (1,100,1000,10000). The gateway must know the bench's editor login
 * ({@code bench}, password {@value #PASSWORD}; bench/run.sh passes its bcrypt hash).
 */
public class RouteScaleProbe {

	static final String PASSWORD = "bench-only-password";

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	public static void main(String[] args) throws Exception {
		int[] sizes = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
		String ingress = args[1];
		String admin = args[2];
		String upstream = args[3];
		int edits = Integer.parseInt(args[4]);
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
				put(admin + "/api/config", table(upstream, routes));
				last = "/r" + (routes - 1) + "/x";
				awaitOk(ingress + last);
				ready.append(" applyMs=").append((System.nanoTime() - start) / 1_000_000);
			}
			if (visit == 1) {
				long[] editMs = new long[edits];
				for (int e = 0; e < edits; e++) {
					String prefix = "/r" + (routes - 1) + "-e" + e;
					long began = System.nanoTime();
					put(admin + "/api/routes/r" + (routes - 1), route("r" + (routes - 1), prefix));
					awaitOk(ingress + prefix + "/x");
					editMs[e] = (System.nanoTime() - began) / 1_000_000;
					last = prefix + "/x";
				}
				ready.append(" editMs=").append(Arrays.toString(editMs)).append(" editMedianMs=").append(median(editMs));
			}
			System.out.println(ready.append(" path=").append(last));
			System.out.flush();
			if (caller.readLine() == null) {
				return;
			}
		}
	}

	private static String table(String upstream, int routes) {
		StringBuilder config = new StringBuilder("{\"upstreams\":[{\"name\":\"up\",\"endpoints\":[\"")
			.append(upstream)
			.append("\"]}],\"routes\":[");
		for (int i = 0; i < routes; i++) {
			config.append(i == 0 ? "" : ",").append(route("r" + i, "/r" + i));
		}
		return config.append("]}").toString();
	}

	private static String route(String id, String prefix) {
		return "{\"id\":\"" + id + "\",\"match\":{\"path\":\"" + prefix + "/**\"},\"backends\":[{\"upstream\":\"up\"}]}";
	}

	private static long median(long[] values) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted.length == 0 ? -1 : sorted[sorted.length / 2];
	}

	private static void put(String url, String json) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(120))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString(("bench:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json))
			.build();
		HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("PUT " + url + ": " + response.statusCode() + " " + response.body());
		}
	}

	private static void awaitOk(String url) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (System.nanoTime() < deadline) {
			if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
				return;
			}
			Thread.sleep(2);
		}
		throw new IllegalStateException("no 200 on " + url + " within 120 s");
	}

}
