package io.meshgate.policy.l4.proxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.meshgate.policy.l4.TlsPassthroughRoute;
import io.meshgate.policy.route.HostPattern;

/**
 * Which TLS passthrough route takes an SNI name: the route with the name written exactly, else
 * the route whose wildcard ends with the longest domain. Built once per configuration; a lookup
 * is a map read and, for names no route has exactly, a walk over the wildcards.
 */
final class PassthroughTable {

	static final PassthroughTable EMPTY = new PassthroughTable(Map.of(), List.of());

	private final Map<String, L4Route> exact;

	private final List<Wildcard> wildcards;

	private PassthroughTable(Map<String, L4Route> exact, List<Wildcard> wildcards) {
		this.exact = exact;
		this.wildcards = wildcards;
	}

	static PassthroughTable of(Map<TlsPassthroughRoute, L4Route> routes) {
		Map<String, L4Route> exact = new HashMap<>();
		List<Wildcard> wildcards = new ArrayList<>();
		routes.forEach((spec, route) -> {
			for (String host : spec.hosts()) {
				if (host.startsWith("*")) {
					wildcards.add(new Wildcard(HostPattern.of("hosts", host), host.length() - host.indexOf('.'), route));
				}
				else {
					exact.put(host, route);
				}
			}
		});
		wildcards.sort(Comparator.comparingInt(Wildcard::length).reversed());
		return new PassthroughTable(Map.copyOf(exact), List.copyOf(wildcards));
	}

	boolean isEmpty() {
		return exact.isEmpty() && wildcards.isEmpty();
	}

	/** The route for {@code serverName} as the ClientHello carries it, or {@code null}. */
	L4Route lookup(String serverName) {
		if (serverName == null || isEmpty()) {
			return null;
		}
		String host = serverName.toLowerCase(Locale.ROOT);
		host = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
		L4Route route = exact.get(host);
		if (route != null) {
			return route;
		}
		for (Wildcard wildcard : wildcards) {
			if (wildcard.pattern.matches(host)) {
				return wildcard.route;
			}
		}
		return null;
	}

	private record Wildcard(HostPattern pattern, int length, L4Route route) {

	}

}
