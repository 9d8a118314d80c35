import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.upstream.Upstream;

/**
 * Meshgate with N routes, for bench/run.sh: starts the gateway in this JVM, applies N routes with
 * distinct path prefixes ({@code /r0/**} … {@code /rN-1/**}), then edits the last route EDITS
 * times (a new path prefix each time) and measures, for each edit, the time from the call to
 * {@link MeshRouting#apply} until a request on the new path gets 200. Prints
 * {@code READY path=/… applyMs=… editMs=[…] editMedianMs=…} and keeps serving until killed, so
 * that the caller can measure throughput on the last route (the one every request must reach
 * after testing all the others).
 *
 * Run: java -cp 'meshgate.jar:lib/*' RouteScaleProbe N UPSTREAM_URL EDITS [Spring arguments...]
 */
public class RouteScaleProbe {

	public static void main(String[] args) throws Exception {
		int routes = Integer.parseInt(args[0]);
		String upstream = args[1];
		int edits = Integer.parseInt(args[2]);
		String[] springArgs = Arrays.copyOfRange(args, 3, args.length);
		ConfigurableApplicationContext context = SpringApplication.run(MeshgateApplication.class, springArgs);
		MeshRouting routing = context.getBean(MeshRouting.class);
		int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

		List<Upstream> upstreams = List.of(Upstream.of("up", upstream));
		List<Route> table = new ArrayList<>();
		for (int i = 0; i < routes; i++) {
			table.add(Route.of("r" + i, "/r" + i + "/**", Backend.of("up", 1)));
		}
		long start = System.nanoTime();
		routing.apply(new MeshConfig(upstreams, table));
		String last = "/r" + (routes - 1) + "/x";
		awaitOk(http, port, last);
		long applyMs = (System.nanoTime() - start) / 1_000_000;

		long[] editMs = new long[edits];
		for (int e = 0; e < edits; e++) {
			String prefix = "/r" + (routes - 1) + "-e" + e;
			table.set(routes - 1, Route.of("r" + (routes - 1), prefix + "/**", Backend.of("up", 1)));
			long began = System.nanoTime();
			routing.apply(new MeshConfig(upstreams, table));
			awaitOk(http, port, prefix + "/x");
			editMs[e] = (System.nanoTime() - began) / 1_000_000;
			last = prefix + "/x";
		}
		long[] sorted = editMs.clone();
		Arrays.sort(sorted);
		System.out.println("READY routes=" + routes + " path=" + last + " applyMs=" + applyMs + " editMs="
				+ Arrays.toString(editMs) + " editMedianMs=" + (edits == 0 ? -1 : sorted[edits / 2]));
		System.out.flush();
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
