package io.meshgate.policy.health;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

import io.meshgate.policy.endpoint.UpstreamEndpoint;

/**
 * Runs one upstream's active health checks: every {@code interval}, its {@link HealthProbe}
 * ({@code GET path}, gRPC's {@code Health/Check}, a TCP connect) on each of its endpoints, all at once, on a timer of its own, never on the request path. A check that
 * does not pass within the timeout fails. Verdict changes are logged once each.
 */
public final class HealthChecker implements AutoCloseable {

	private static final Log log = LogFactory.getLog(HealthChecker.class);

	private final String upstream;

	private final HealthCheckPolicy policy;

	private final HealthProbe probe;

	private final Supplier<List<UpstreamEndpoint>> endpoints;

	private final Runnable onChange;

	private final Consumer<UpstreamEndpoint> onChecked;

	private Disposable schedule;

	/**
	 * @param client the upstream's own HTTP client (its TLS), asked anew for every round
	 * @param endpoints all endpoints of the upstream, healthy or not
	 * @param onChange called after an endpoint's verdict changed
	 * @param onChecked called after each check of an endpoint (to publish its state)
	 */
	public HealthChecker(String upstream, HealthCheckPolicy policy, Supplier<HttpClient> client,
			Supplier<List<UpstreamEndpoint>> endpoints, Runnable onChange, Consumer<UpstreamEndpoint> onChecked) {
		this(upstream, policy, policy.type() == HealthCheckType.GRPC ? new GrpcProbe(client, policy)
				: new HttpProbe(client, policy), endpoints, onChange, onChecked);
	}

	/**
	 * @param probe how one endpoint is checked (an HTTP GET, a TCP connect)
	 * @param endpoints all endpoints of the upstream, healthy or not
	 * @param onChange called after an endpoint's verdict changed
	 * @param onChecked called after each check of an endpoint (to publish its state)
	 */
	public HealthChecker(String upstream, HealthCheckPolicy policy, HealthProbe probe,
			Supplier<List<UpstreamEndpoint>> endpoints, Runnable onChange, Consumer<UpstreamEndpoint> onChecked) {
		this.upstream = upstream;
		this.policy = policy;
		this.probe = probe;
		this.endpoints = endpoints;
		this.onChange = onChange;
		this.onChecked = onChecked;
	}

	public HealthChecker start() {
		schedule = Flux.interval(policy.interval(), policy.interval(), Schedulers.parallel())
			.startWith(0L)
			.onBackpressureDrop()
			.concatMap(tick -> round(), 1)
			.subscribe();
		return this;
	}

	private Mono<Void> round() {
		HealthProbe.Round checks = probe.round();
		return Flux.fromIterable(endpoints.get()).flatMap(endpoint -> check(checks, endpoint)).then();
	}

	private Mono<Void> check(HealthProbe.Round checks, UpstreamEndpoint endpoint) {
		return checks.check(endpoint)
			.timeout(policy.timeout())
			.onErrorReturn(false)
			.doOnNext(passed -> {
				if (endpoint.health().recordCheck(passed, policy.healthyThreshold(), policy.unhealthyThreshold())) {
					log.warn("Upstream " + upstream + ": endpoint " + endpoint.address() + " is "
							+ (passed ? "healthy again" : "DOWN") + " (" + (passed ? policy.healthyThreshold()
									: policy.unhealthyThreshold()) + " checks in a row: " + probe + ")");
					onChange.run();
				}
				onChecked.accept(endpoint);
			})
			.then();
	}

	public HealthCheckPolicy policy() {
		return policy;
	}

	@Override
	public void close() {
		if (schedule != null) {
			schedule.dispose();
		}
	}

}
