package io.meshgate.policy.l4;

import java.util.ArrayList;
import java.util.List;

import io.meshgate.policy.schema.Example;

/**
 * A TLS passthrough route: a TLS connection to the HTTPS port whose ClientHello names one of
 * {@code hosts} (SNI) is relayed, bytes untouched and TLS not terminated, to one endpoint of one
 * of its weighted TCP upstreams (Gateway API's {@code TLSRoute} on a passthrough listener).
 * Every other name is terminated by the gateway as without the route, on the same port.
 *
 * <pre>
 * tlsPassthroughRoutes:
 *   - name: vault
 *     hosts: [vault.example.com, "*.vault.example.com"]
 *     backends: [{upstream: vault}]
 * </pre>
 *
 * @param name unique among TLS passthrough routes; a DNS label
 * @param hosts the SNI names taken: {@code vault.example.com}, {@code *.example.com} (names below),
 * {@code **.example.com} (the name and those below), as route hosts are written ({@code route.HostPattern});
 * at least one; each name belongs to one route
 * @param backends the TCP upstreams connections go to, by weight; at least one with a weight above 0
 * @param connection timeouts and the connection limit ({@link L4ConnectionPolicy}); default its defaults
 */
public record TlsPassthroughRoute(@Example("vault") String name, @Example("vault.example.com") List<String> hosts,
		List<L4Backend> backends, L4ConnectionPolicy connection) {

	public TlsPassthroughRoute {
		L4Routes.checkName(name);
		if (hosts == null || hosts.isEmpty()) {
			throw new IllegalArgumentException("hosts: [] (expected: at least one host name)");
		}
		List<String> normalized = new ArrayList<>(hosts.size());
		for (int i = 0; i < hosts.size(); i++) {
			normalized.add(L4Routes.host("hosts[" + i + "]", hosts.get(i)));
		}
		hosts = List.copyOf(normalized);
		backends = L4Routes.backends(backends);
		connection = connection == null ? L4ConnectionPolicy.DEFAULT : connection;
	}

	public static TlsPassthroughRoute of(String name, List<String> hosts, L4Backend... backends) {
		return new TlsPassthroughRoute(name, hosts, List.of(backends), null);
	}

}
