package io.meshgate.policy.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

import io.meshgate.policy.breaker.UpstreamBreaker;
import io.meshgate.policy.endpoint.EndpointHealth;
import io.meshgate.policy.endpoint.EndpointSource;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.health.HealthChecker;
import io.meshgate.policy.lb.EndpointPicker;
import io.meshgate.policy.outlier.OutlierDetector;
import io.meshgate.policy.tls.UpstreamTls;

/**
 * A configured upstream while it serves traffic: its spec, the source of its endpoints, the
 * picker of its load-balancing policy, and its optional breaker, outlier detector, health
 * checker and TLS client. Exposed to Spring Cloud LoadBalancer as the upstream's
 * {@link ServiceInstanceListSupplier}, listing only the endpoints that may receive traffic.
 */
public final class UpstreamRuntime implements ServiceInstanceListSupplier, AutoCloseable {

	private final Upstream spec;

	private final EndpointSource source;

	private final EndpointPicker picker;

	private final LongSupplier nanoClock;

	private final AtomicLong healthVersion = new AtomicLong();

	private UpstreamBreaker breaker;

	private OutlierDetector outliers;

	private HealthChecker health;

	private UpstreamTls tls;

	private HttpClient cleartext;

	private volatile Available available = new Available(List.of(), -1, List.of(), 0);

	UpstreamRuntime(Upstream spec, EndpointSource source, EndpointPicker picker, LongSupplier nanoClock) {
		this.spec = spec;
		this.source = source;
		this.picker = picker;
		this.nanoClock = nanoClock;
	}

	void attach(UpstreamBreaker breaker, OutlierDetector outliers, HealthChecker health, UpstreamTls tls,
			HttpClient cleartext) {
		this.breaker = breaker;
		this.outliers = outliers;
		this.health = health;
		this.tls = tls;
		this.cleartext = cleartext;
	}

	public Upstream spec() {
		return spec;
	}

	public String name() {
		return spec.name();
	}

	public EndpointPicker picker() {
		return picker;
	}

	public UpstreamBreaker breaker() {
		return breaker;
	}

	public OutlierDetector outliers() {
		return outliers;
	}

	public HealthChecker health() {
		return health;
	}

	public UpstreamTls tls() {
		return tls;
	}

	/**
	 * The upstream's own client (its TLS, its HTTP version), or {@code null} to use the gateway's
	 * plain HTTP/1.1 client.
	 */
	public HttpClient httpClient() {
		return tls != null ? tls.client() : cleartext;
	}

	/** Every endpoint, healthy or not. */
	public List<UpstreamEndpoint> allEndpoints() {
		return source.endpoints();
	}

	/**
	 * The endpoints that may receive traffic now: neither down by the active health check nor
	 * ejected. The list object stays the same until that changes, so the pickers' caches hold.
	 */
	public List<UpstreamEndpoint> endpoints() {
		List<UpstreamEndpoint> all = source.endpoints();
		if (outliers == null && health == null) {
			return all;
		}
		long now = nanoClock.getAsLong();
		Available current = available;
		if (current.all == all && current.version == healthVersion.get() && now - current.validUntil < 0) {
			return current.list;
		}
		long version = healthVersion.get();
		List<UpstreamEndpoint> up = new ArrayList<>(all.size());
		long validUntil = now + Long.MAX_VALUE / 2;
		for (UpstreamEndpoint endpoint : all) {
			EndpointHealth state = endpoint.health();
			if (state.ejected(now)) {
				validUntil = state.ejectedUntilNanos() - validUntil < 0 ? state.ejectedUntilNanos() : validUntil;
			}
			else if (state.checkedHealthy()) {
				up.add(endpoint);
			}
		}
		current = new Available(all, version, up.size() == all.size() ? all : List.copyOf(up), validUntil);
		available = current;
		return current.list;
	}

	/**
	 * The endpoint for one try, by the upstream's policy: a first try's from the policy's
	 * schedule, a retry's apart from it and away from the endpoints already tried.
	 * @param endpoints {@link #endpoints()}, never empty
	 * @param request the request, for pickers that {@linkplain EndpointPicker#readsRequest read it}
	 * @param tried the instance ids this request already tried; {@code null} or empty on a first try
	 */
	public UpstreamEndpoint choose(List<UpstreamEndpoint> endpoints, RequestData request, Set<String> tried) {
		return tried == null || tried.isEmpty() ? picker.pick(endpoints, request)
				: picker.pickRetry(endpoints, request, tried);
	}

	/** Counts an answer of {@code endpoint} for outlier detection; {@code status} 0 when none came. */
	public void recordAnswer(UpstreamEndpoint endpoint, int status) {
		if (outliers != null) {
			outliers.record(endpoint, status, source.endpoints());
		}
	}

	/** Called when an endpoint's health changed: the next {@link #endpoints()} recomputes. */
	void healthChanged() {
		healthVersion.incrementAndGet();
	}

	@Override
	public String getServiceId() {
		return spec.name();
	}

	@Override
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public Flux<List<ServiceInstance>> get() {
		return Flux.just((List) endpoints());
	}

	@Override
	public void close() {
		source.close();
		for (AutoCloseable part : new AutoCloseable[] { health, tls }) {
			if (part != null) {
				try {
					part.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException("closing upstream " + spec.name(), ex);
				}
			}
		}
	}

	@Override
	public String toString() {
		return "Upstream " + spec.name() + " " + source.endpoints();
	}

	private record Available(List<UpstreamEndpoint> all, long version, List<UpstreamEndpoint> list, long validUntil) {

	}

}
