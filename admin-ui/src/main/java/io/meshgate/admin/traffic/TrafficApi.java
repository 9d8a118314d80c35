package io.meshgate.admin.traffic;

import java.util.Objects;

import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /api/traffic} on the admin port: the live traffic the admin UI polls every few
 * seconds ({@link LiveTraffic}). Readable by viewers and editors, as every {@code GET /api/**}.
 * It holds names, addresses and numbers, no configuration values, so there is nothing to mask.
 * The work is a bounded walk over in-memory meters, done on the calling thread.
 */
public final class TrafficApi {

	private final LiveTraffic traffic;

	public TrafficApi(LiveTraffic traffic) {
		this.traffic = Objects.requireNonNull(traffic, "traffic");
	}

	public RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.GET("/api/traffic", request -> Mono.fromSupplier(traffic::view)
				.flatMap(view -> ServerResponse.ok()
					.contentType(MediaType.APPLICATION_JSON)
					.cacheControl(CacheControl.noStore())
					.bodyValue(view)))
			.build();
	}

}
