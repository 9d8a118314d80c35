package io.meshgate.admin.traffic;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.meshgate.policy.mirror.MirrorComparisons;
import io.meshgate.policy.route.MeshConfig;

/**
 * The traffic the admin UI shows, on the admin port; readable by viewers and editors, as every
 * {@code GET /api/**}. The answers hold names, addresses and numbers, no configuration values, and
 * the mirrors' answers as {@link io.meshgate.policy.mirror.compare.ShadowComparisons} kept them:
 * masked already. The work is a bounded walk over in-memory meters and points, done on
 * the calling thread.
 * <ul>
 * <li>{@code GET /api/traffic}: the last seconds ({@link LiveTraffic}), polled by the lists.</li>
 * <li>{@code GET /api/traffic/history?route=ID} or {@code ?upstream=NAME}: the last 15 minutes
 * ({@link TrafficHistory}); 404 for a name that is not running, 400 without exactly one of the two.
 * Error texts are fixed: the name asked for is never echoed.</li>
 * <li>{@code GET /api/traffic/map}: routes, upstreams and endpoints as a graph ({@link TrafficMap}).</li>
 * <li>{@code GET /api/traffic/comparisons?route=ID}: the route's mirrors, each shadow's answers
 * compared with the primary's ({@link MirrorFindings}; bodies and headers masked); 404 for a route
 * that is not running.</li>
 * </ul>
 */
public final class TrafficApi {

	static final String NO_SUCH_ROUTE = "no route of that id is running";

	static final String NO_SUCH_UPSTREAM = "no upstream of that name is running";

	static final String ROUTE_ONLY = "query: (expected: route=ID)";

	static final String ONE_OF = "query: (expected: route=ID or upstream=NAME, one of them)";

	private final LiveTraffic traffic;

	private final TrafficHistory history;

	private final TrafficMap map;

	private final MirrorFindings mirrors;

	/**
	 * @param comparisons every route's mirror comparisons; {@code null} when the gateway keeps none
	 * @param running the running configuration
	 */
	public TrafficApi(LiveTraffic traffic, TrafficHistory history, MirrorComparisons comparisons,
			Supplier<MeshConfig> running) {
		this.traffic = Objects.requireNonNull(traffic, "traffic");
		this.history = Objects.requireNonNull(history, "history");
		this.map = new TrafficMap(traffic, running);
		this.mirrors = new MirrorFindings(comparisons, running);
	}

	public RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.GET("/api/traffic", request -> Mono.fromSupplier(traffic::view).flatMap(TrafficApi::ok))
			.GET("/api/traffic/map", request -> Mono.fromSupplier(map::view).flatMap(TrafficApi::ok))
			.GET("/api/traffic/history", this::history)
			.GET("/api/traffic/comparisons", this::comparisons)
			.build();
	}

	private Mono<ServerResponse> history(ServerRequest request) {
		Optional<String> route = request.queryParam("route");
		Optional<String> upstream = request.queryParam("upstream");
		if (route.isPresent() == upstream.isPresent()) {
			return error(HttpStatus.BAD_REQUEST, ONE_OF);
		}
		return Mono.fromSupplier(() -> route.isPresent() ? history.route(route.get()) : history.upstream(upstream.get()))
			.flatMap(view -> view.isPresent() ? ok(view.get())
					: error(HttpStatus.NOT_FOUND, route.isPresent() ? NO_SUCH_ROUTE : NO_SUCH_UPSTREAM));
	}

	private Mono<ServerResponse> comparisons(ServerRequest request) {
		Optional<String> route = request.queryParam("route");
		if (route.isEmpty()) {
			return error(HttpStatus.BAD_REQUEST, ROUTE_ONLY);
		}
		return Mono.fromSupplier(() -> mirrors.route(route.get()))
			.flatMap(view -> view.isPresent() ? ok(view.get()) : error(HttpStatus.NOT_FOUND, NO_SUCH_ROUTE));
	}

	private static Mono<ServerResponse> ok(Map<String, Object> view) {
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore()).bodyValue(view);
	}

	private static Mono<ServerResponse> error(HttpStatus status, String message) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", status.value());
		body.put("error", status.getReasonPhrase());
		body.put("message", message);
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore())
			.bodyValue(body);
	}

}
