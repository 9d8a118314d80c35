package io.meshgate.policy.upstream;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.meshgate.policy.lb.EndpointPicker;

/**
 * The running upstreams, keyed by name. {@link #apply} swaps in a new set of upstreams as a
 * whole: unchanged upstreams keep their runtime (and their endpoints' state), changed ones are
 * rebuilt, removed ones are closed. Reads on the request path see either the old or the new set.
 */
public final class UpstreamRegistry implements AutoCloseable {

	private static final Log log = LogFactory.getLog(UpstreamRegistry.class);

	private final EndpointSourceFactory discovery;

	private final RandomGenerator random;

	private volatile Map<String, UpstreamRuntime> upstreams = Map.of();

	/**
	 * @param discovery opens sources for upstreams with a {@code discovery} block, or
	 * {@code null} when discovery is not available
	 * @param random the randomness of the load-balancing policies (fixed in tests)
	 */
	public UpstreamRegistry(EndpointSourceFactory discovery, RandomGenerator random) {
		this.discovery = discovery;
		this.random = Objects.requireNonNull(random, "random");
	}

	public UpstreamRuntime get(String name) {
		return upstreams.get(name);
	}

	public Collection<UpstreamRuntime> all() {
		return upstreams.values();
	}

	public boolean discoveryAvailable() {
		return discovery != null;
	}

	/**
	 * Replaces the running upstreams with {@code specs}. Either every new upstream starts and the
	 * set is swapped, or nothing changes and the error is thrown.
	 */
	public synchronized void apply(Collection<Upstream> specs) {
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
				UpstreamRuntime runtime = start(spec);
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
		retired.values().forEach(UpstreamRuntime::close);
		if (!started.isEmpty() || !retired.isEmpty()) {
			log.info("Upstreams applied: " + next.keySet() + " (" + started.size() + " started, " + retired.size()
					+ " retired)");
		}
	}

	private UpstreamRuntime start(Upstream spec) {
		EndpointSource source;
		if (spec.discovered()) {
			if (discovery == null) {
				throw new IllegalArgumentException("upstreams[" + spec.name() + "].discovery: "
						+ spec.discovery().serviceId() + " (expected: a Kubernetes client; run inside Kubernetes "
						+ "or set spring.main.cloud-platform=kubernetes)");
			}
			source = discovery.open(spec);
		}
		else {
			source = EndpointSource.fixed(spec.endpoints()
				.stream()
				.map(e -> new UpstreamEndpoint(spec.name(), e.uri(), e.weight(), Map.of()))
				.toList());
		}
		return new UpstreamRuntime(spec, source, EndpointPicker.of(spec.loadBalancer(), random));
	}

	@Override
	public synchronized void close() {
		upstreams.values().forEach(UpstreamRuntime::close);
		upstreams = Map.of();
	}

}
