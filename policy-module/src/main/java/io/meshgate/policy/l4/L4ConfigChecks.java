package io.meshgate.policy.l4;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.meshgate.policy.upstream.Upstream;

/**
 * The checks of L4 routes across a whole configuration ({@code MeshConfig}): every backend names
 * a TCP upstream, one TCP route per port, one TLS passthrough route per host pattern, and no HTTP
 * route or mirror sends requests to a TCP upstream.
 */
public final class L4ConfigChecks {

	private L4ConfigChecks() {
	}

	/** Checks the L4 routes; returns the names of the TCP upstreams. */
	public static Set<String> check(List<Upstream> upstreams, List<TcpRoute> tcpRoutes,
			List<TlsPassthroughRoute> passthroughRoutes) {
		Set<String> tcp = upstreams.stream().filter(Upstream::tcp).map(Upstream::name).collect(Collectors.toSet());
		Map<Integer, String> ports = new HashMap<>();
		for (TcpRoute route : tcpRoutes) {
			String other = ports.putIfAbsent(route.port(), route.name());
			if (other != null) {
				throw new IllegalArgumentException("tcpRoutes[" + route.name() + "].port: " + route.port()
						+ " (expected: a port no other TCP route listens on; " + other + " does)");
			}
			backends(tcp, "tcpRoutes[" + route.name() + "]", route.backends());
		}
		Map<String, String> hosts = new HashMap<>();
		for (TlsPassthroughRoute route : passthroughRoutes) {
			for (int i = 0; i < route.hosts().size(); i++) {
				String other = hosts.putIfAbsent(route.hosts().get(i), route.name());
				if (other != null) {
					throw new IllegalArgumentException("tlsPassthroughRoutes[" + route.name() + "].hosts[" + i + "]: "
							+ route.hosts().get(i) + " (expected: a host no other passthrough route takes; " + other
							+ " does)");
				}
			}
			backends(tcp, "tlsPassthroughRoutes[" + route.name() + "]", route.backends());
		}
		return tcp;
	}

	private static void backends(Set<String> tcp, String route, List<L4Backend> backends) {
		for (int i = 0; i < backends.size(); i++) {
			if (!tcp.contains(backends.get(i).upstream())) {
				throw new IllegalArgumentException(route + ".backends[" + i + "].upstream: " + backends.get(i).upstream()
						+ " (expected: one of the upstreams with protocol TCP " + tcp.stream().sorted().toList() + ")");
			}
		}
	}

	/** Refuses an HTTP route's use of a TCP upstream at {@code path}. */
	public static void notTcp(Set<String> tcp, String upstream, String path) {
		if (tcp.contains(upstream)) {
			throw new IllegalArgumentException(path + ": " + upstream
					+ " (expected: an HTTP upstream; a TCP upstream serves tcpRoutes and tlsPassthroughRoutes only)");
		}
	}

}
