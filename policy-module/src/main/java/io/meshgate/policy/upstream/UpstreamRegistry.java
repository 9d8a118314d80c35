package io.meshgate.policy.upstream;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.http.client.HttpClient;

import io.meshgate.policy.breaker.UpstreamBreaker;
import io.meshgate.policy.endpoint.EndpointSource;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.health.HealthChecker;
import io.meshgate.policy.health.TcpConnectProbe;
import io.meshgate.policy.lb.EndpointPicker;
import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.outlier.OutlierDetector;
import io.meshgate.policy.tls.TlsMaterial;
import io.meshgate.policy.tls.UpstreamTls;

/**
 * The running upstreams, keyed by name. {@link #apply} swaps in a new set of upstreams as a
 * whole: unchanged upstreams keep their runtime (and their endpoints' state), changed ones are
 * rebuilt, removed ones are closed. Reads on the request path see either the old or the new set.
 */
public final class UpstreamRegistry implements AutoCloseable {

	private static final Log log = LogFactory.getLog(UpstreamRegistry.class);

	private final UpstreamServices services;

	private volatile Map<String, UpstreamRuntime> upstreams = Map.of();

	public UpstreamRegistry(UpstreamServices services) {
		this.services = Objects.requireNonNull(services, "services");
	}

	public UpstreamRuntime get(String name) {
		return upstreams.get(name);
	}

	public Collection<UpstreamRuntime> all() {
		return upstreams.values();
	}

	/**
	 * Replaces the running upstreams with {@code specs}. Either every new upstream starts and the
	 * set is swapped, or nothing changes and the error is thrown. The upstreams that were replaced
	 * or removed keep running until the returned handle is closed, so that routes still pointing
	 * at them can be switched over first.
	 */
	public synchronized AutoCloseable apply(Collection<Upstream> specs) {
		Map<String, UpstreamRuntime> current = upstreams;
		Map<String, UpstreamRuntime> next = new LinkedHashMap<>();
		List<UpstreamRuntime> started = new ArrayList<>();
		try {
			for (Upstream spec : specs) {
				UpstreamRuntime existing = current.get(spec.name());
				if (existing != null && existing.spec().equals(spec)) {
					next.put(spec.name(), existing);
					continue;
				}
				services.gatewayPorts().check(spec);
				UpstreamRuntime runtime = named(spec, () -> start(spec));
				started.add(runtime);
				next.put(spec.name(), runtime);
			}
		}
		catch (RuntimeException ex) {
			started.forEach(UpstreamRuntime::close);
			throw ex;
		}
		upstreams = Map.copyOf(next);
		Map<String, UpstreamRuntime> retired = new HashMap<>(current);
		next.forEach((name, runtime) -> retired.remove(name, runtime));
		if (!started.isEmpty() || !retired.isEmpty()) {
			log.info("Upstreams applied: " + next.keySet() + " (" + started.size() + " started, " + retired.size()
					+ " retired)");
		}
		return () -> retired.values().forEach(UpstreamRuntime::close);
	}

	/**
	 * Checks what {@link #apply} would check of the upstreams that are new or changed, without
	 * starting anything: their endpoints are not the gateway's own ports, and their TLS files are
	 * read and parsed. A dry run of an edit calls it; throws {@link IllegalArgumentException}
	 * naming the upstream and field. Reads files: never call it on an event-loop thread.
	 */
	public void check(Collection<Upstream> specs) {
		Map<String, UpstreamRuntime> current = upstreams;
		for (Upstream spec : specs) {
			UpstreamRuntime existing = current.get(spec.name());
			if (existing != null && existing.spec().equals(spec)) {
				continue;
			}
			services.gatewayPorts().check(spec);
			if (spec.tls().enabled()) {
				named(spec, () -> TlsMaterial.load(spec.tls(), Instant.now()));
			}
		}
	}

	/**
	 * Refuses every upstream of {@code specs}, changed or not, with an endpoint that is the gateway
	 * on one of {@code tcpRoutePorts}, the ports of the configuration's TCP routes; throws
	 * {@link IllegalArgumentException} naming the upstream and endpoint.
	 */
	public void checkTcpRoutePorts(Collection<Upstream> specs, Set<Integer> tcpRoutePorts) {
		if (!tcpRoutePorts.isEmpty()) {
			specs.forEach(spec -> services.gatewayPorts().checkTcpRoutePorts(spec, tcpRoutePorts));
		}
	}

	/** Makes {@code tcpRoutePorts} the TCP route ports in force, refused for resolved and discovered endpoints too. */
	public void tcpRoutePorts(Set<Integer> tcpRoutePorts) {
		services.gatewayPorts().tcpRoutePorts(tcpRoutePorts);
	}

	/** {@code work}, with its errors about a field ({@code tls.caCertificates: …}) named by upstream. */
	private static <T> T named(Upstream spec, Supplier<T> work) {
		try {
			return work.get();
		}
		catch (IllegalArgumentException ex) {
			String message = String.valueOf(ex.getMessage());
			throw message.startsWith("upstreams[") ? ex
					: new IllegalArgumentException("upstreams[" + spec.name() + "]." + message, ex);
		}
	}

	private UpstreamRuntime start(Upstream spec) {
		UpstreamRuntime runtime = new UpstreamRuntime(spec, source(spec),
				EndpointPicker.of(spec.loadBalancer(), services.random()), services.nanoClock());
		UpstreamTls tls = null;
		UpstreamBreaker breaker = null;
		try {
			boolean secure = spec.tls().enabled();
			// the upstream's own client for its HTTP version; null: the gateway's HTTP/1.1 one
			HttpClient base = !spec.protocol().ownClient() ? null
					: (spec.protocol().http2(secure) ? services.http2Client() : services.httpClient()).get()
						.protocol(spec.protocol().clientProtocols(secure));
			tls = secure ? services.tls().open(spec.name(), spec.tls(), base) : null;
			HttpClient cleartext = tls == null ? base : null;
			breaker = spec.circuitBreaker() == null ? null
					: new UpstreamBreaker(spec.name(), spec.circuitBreaker(), services.nanoClock());
			OutlierDetector outliers = spec.outlierDetection() == null ? null
					: new OutlierDetector(spec.name(), spec.outlierDetection(), services.nanoClock(), services.meters(),
							runtime::healthChanged);
			HealthChecker health = spec.healthCheck() == null ? null
					: spec.tcp() ? new HealthChecker(spec.name(), spec.healthCheck(),
							new TcpConnectProbe(spec.healthCheck().timeout()), runtime::allEndpoints,
							runtime::healthChanged, endpoint -> healthGauge(spec.name(), endpoint))
					: new HealthChecker(spec.name(), spec.healthCheck(),
							() -> runtime.httpClient() != null ? runtime.httpClient() : services.httpClient().get(),
							runtime::allEndpoints, runtime::healthChanged, endpoint -> healthGauge(spec.name(), endpoint));
			runtime.attach(breaker, outliers, health, tls, cleartext);
			if (health != null) {
				health.start();
			}
			registerGauges(spec);
			return runtime;
		}
		catch (RuntimeException ex) {
			if (tls != null) {
				tls.close();
			}
			runtime.close();
			throw ex;
		}
	}

	/**
	 * Gauges read the upstream by name at each scrape, so an upstream that is replaced keeps its
	 * series and one that is removed reads NaN instead of holding on to the old runtime.
	 */
	private void registerGauges(Upstream spec) {
		String name = spec.name();
		if (spec.circuitBreaker() != null) {
			for (CircuitBreaker.State state : List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN,
					CircuitBreaker.State.HALF_OPEN)) {
				if (registered(MeshMetrics.BREAKER_STATE, MeshMetrics.UPSTREAM, name, "state", state.name())) {
					continue;
				}
				Gauge.builder(MeshMetrics.BREAKER_STATE, this, registry -> {
					UpstreamRuntime runtime = registry.get(name);
					return runtime == null || runtime.breaker() == null ? Double.NaN
							: runtime.breaker().circuitBreaker().getState() == state ? 1 : 0;
				}).tags(MeshMetrics.UPSTREAM, name, "state", state.name()).register(services.meters());
			}
		}
		if (spec.tls().enabled() && !registered(MeshMetrics.TLS_CERTIFICATE_EXPIRY, MeshMetrics.UPSTREAM, name, "certificate", "client")) {
			Gauge.builder(MeshMetrics.TLS_CERTIFICATE_EXPIRY, this, registry -> secondsLeft(registry.get(name), true))
				.description("Seconds until the certificate expires")
				.baseUnit("seconds")
				.tags(MeshMetrics.UPSTREAM, name, "certificate", "client")
				.register(services.meters());
			Gauge.builder(MeshMetrics.TLS_CERTIFICATE_EXPIRY, this, registry -> secondsLeft(registry.get(name), false))
				.description("Seconds until the certificate expires")
				.baseUnit("seconds")
				.tags(MeshMetrics.UPSTREAM, name, "certificate", "server")
				.register(services.meters());
		}
	}

	/**
	 * Whether the gauge is there already: an upstream built again (edited, or checked before it
	 * is applied) keeps its series, and registering it twice would only make Micrometer warn.
	 */
	private boolean registered(String name, String... tags) {
		return services.meters().find(name).tags(tags).gauge() != null;
	}

	private void healthGauge(String upstream, UpstreamEndpoint endpoint) {
		String address = endpoint.address();
		if (registered(MeshMetrics.ENDPOINT_HEALTHY, MeshMetrics.UPSTREAM, upstream, MeshMetrics.ENDPOINT, address)) {
			return;
		}
		Gauge.builder(MeshMetrics.ENDPOINT_HEALTHY, this, registry -> {
			UpstreamEndpoint current = registry.endpoint(upstream, address);
			return current == null ? Double.NaN : current.health().checkedHealthy() ? 1 : 0;
		}).tags(MeshMetrics.UPSTREAM, upstream, MeshMetrics.ENDPOINT, address).register(services.meters());
	}

	private static double secondsLeft(UpstreamRuntime runtime, boolean client) {
		if (runtime == null || runtime.tls() == null) {
			return Double.NaN;
		}
		java.security.cert.X509Certificate certificate = client ? runtime.tls().clientCertificate()
				: runtime.tls().serverCertificate();
		return certificate == null ? Double.NaN
				: (certificate.getNotAfter().getTime() - System.currentTimeMillis()) / 1000.0;
	}

	/** The endpoint of {@code upstream} at {@code address}, or {@code null}. */
	UpstreamEndpoint endpoint(String upstream, String address) {
		UpstreamRuntime runtime = get(upstream);
		return runtime == null ? null
				: runtime.allEndpoints().stream().filter(e -> e.address().equals(address)).findFirst().orElse(null);
	}

	private EndpointSource source(Upstream spec) {
		String scheme = spec.tcp() ? EndpointSpec.TCP : spec.tls().enabled() ? "https" : "http";
		if (spec.discovered()) {
			if (services.discovery() == null) {
				throw new IllegalArgumentException("upstreams[" + spec.name() + "].discovery: "
						+ spec.discovery().serviceId() + " (expected: a Kubernetes client; run inside Kubernetes "
						+ "or set spring.main.cloud-platform=kubernetes)");
			}
			return services.discovery().open(spec.name(), spec.discovery(), scheme, spec.allowLinkLocal());
		}
		return EndpointSource.fixed(spec.endpoints()
			.stream()
			.map(e -> new UpstreamEndpoint(spec.name(), URI.create(scheme + "://" + e.uri().getRawAuthority()),
					e.weight(), Map.of()))
			.toList());
	}

	@Override
	public synchronized void close() {
		upstreams.values().forEach(UpstreamRuntime::close);
		upstreams = Map.of();
	}

}
