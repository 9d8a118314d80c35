package io.meshgate.gateway.kubernetes;

import java.util.Comparator;

/**
 * Where a route from Kubernetes goes in the route table, as the Gateway API specification orders
 * matches: the most specific host (exact before wildcard before none), then exact path before
 * prefix (longest first) before regular expression, then a method match, then the most header
 * matches, then the most query-parameter matches; ties go to the oldest object, then to
 * namespace/name alphabetically, then to rule and match order within the object. Ingress paths
 * take part in the same order (they have no method, header or query matches).
 */
public record Precedence(String host, PathType pathType, int pathLength, boolean method, int headers, int queries,
		String created, String namespace, String name, int rule, int match) implements Comparable<Precedence> {

	/** Path match kinds in the order they win. */
	public enum PathType {
		EXACT, PREFIX, REGEX
	}

	private static final Comparator<Precedence> ORDER = Comparator.comparingInt(Precedence::hostRank)
		.thenComparing(Comparator.comparingInt((Precedence p) -> p.host == null ? 0 : p.host.length()).reversed())
		.thenComparing(Precedence::pathType)
		.thenComparing(Comparator.comparingInt(Precedence::pathLength).reversed())
		.thenComparing(p -> !p.method)
		.thenComparing(Comparator.comparingInt(Precedence::headers).reversed())
		.thenComparing(Comparator.comparingInt(Precedence::queries).reversed())
		.thenComparing(p -> p.created == null ? "" : p.created)
		.thenComparing(Precedence::namespace)
		.thenComparing(Precedence::name)
		.thenComparingInt(Precedence::rule)
		.thenComparingInt(Precedence::match);

	private int hostRank() {
		return host == null ? 2 : host.startsWith("*") ? 1 : 0;
	}

	@Override
	public int compareTo(Precedence other) {
		return ORDER.compare(this, other);
	}

}
