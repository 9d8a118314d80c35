package io.meshgate.policy.security.authz;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.meshgate.policy.edge.CidrSet;
import io.meshgate.policy.security.PeerIdentity;
import io.meshgate.policy.security.authz.AuthorizationPolicy.Condition;
import io.meshgate.policy.security.authz.AuthorizationPolicy.Operation;
import io.meshgate.policy.security.authz.AuthorizationPolicy.Rule;
import io.meshgate.policy.security.authz.AuthorizationPolicy.Source;

/**
 * A rule compiled into the checks of the fields it gives, all of which must pass: value lists
 * become {@link ValueMatch} arrays, IP blocks a {@link CidrSet}, condition keys their reader. A
 * field a rule leaves empty costs nothing.
 */
final class CompiledRule {

	/** One field of a rule, tested against a request. */
	@FunctionalInterface
	interface Check {

		boolean test(RequestFacts request);

	}

	private final Check[] checks;

	private CompiledRule(Check[] checks) {
		this.checks = checks;
	}

	boolean matches(RequestFacts request) {
		for (Check check : checks) {
			if (!check.test(request)) {
				return false;
			}
		}
		return true;
	}

	static CompiledRule of(Rule rule) {
		List<Check> checks = new ArrayList<>();
		Operation to = rule.to();
		strings(checks, to.methods(), to.notMethods(), RequestFacts::method);
		strings(checks, to.paths(), to.notPaths(), RequestFacts::path);
		strings(checks, to.hosts(), to.notHosts(), RequestFacts::host);
		ports(checks, to.ports(), to.notPorts());
		Source from = rule.from();
		strings(checks, from.principals(), from.notPrincipals(), CompiledRule::peerPrincipal);
		strings(checks, from.requestPrincipals(), from.notRequestPrincipals(), r -> r.identity().requestPrincipal());
		strings(checks, from.consumers(), from.notConsumers(), r -> r.identity().consumer());
		ipBlocks(checks, from.ipBlocks(), from.notIpBlocks());
		for (Condition condition : rule.when()) {
			condition(checks, condition);
		}
		return new CompiledRule(checks.toArray(Check[]::new));
	}

	private static String peerPrincipal(RequestFacts request) {
		PeerIdentity peer = request.identity().peer();
		return peer == null ? null : peer.principal();
	}

	/** A field and its {@code not} form: one of the values matches; none of the others does (absent: none does). */
	private static void strings(List<Check> checks, List<String> values, List<String> notValues,
			Function<RequestFacts, String> attribute) {
		if (!values.isEmpty()) {
			ValueMatch[] matches = ValueMatch.compile(values);
			checks.add(request -> ValueMatch.any(matches, attribute.apply(request)));
		}
		if (!notValues.isEmpty()) {
			ValueMatch[] matches = ValueMatch.compile(notValues);
			checks.add(request -> !ValueMatch.any(matches, attribute.apply(request)));
		}
	}

	private static void ports(List<Check> checks, List<Integer> ports, List<Integer> notPorts) {
		if (!ports.isEmpty()) {
			int[] allowed = ports.stream().mapToInt(Integer::intValue).toArray();
			checks.add(request -> contains(allowed, request.localPort()));
		}
		if (!notPorts.isEmpty()) {
			int[] refused = notPorts.stream().mapToInt(Integer::intValue).toArray();
			checks.add(request -> !contains(refused, request.localPort()));
		}
	}

	private static boolean contains(int[] ports, int port) {
		for (int candidate : ports) {
			if (candidate == port) {
				return true;
			}
		}
		return false;
	}

	private static void ipBlocks(List<Check> checks, List<String> blocks, List<String> notBlocks) {
		if (!blocks.isEmpty()) {
			CidrSet in = CidrSet.of("ipBlocks", blocks);
			checks.add(request -> inside(in, request.client()));
		}
		if (!notBlocks.isEmpty()) {
			CidrSet out = CidrSet.of("notIpBlocks", notBlocks);
			checks.add(request -> !inside(out, request.client()));
		}
	}

	private static boolean inside(CidrSet blocks, InetSocketAddress client) {
		return client != null && blocks.contains(client.getAddress());
	}

	private static void condition(List<Check> checks, Condition condition) {
		ConditionKey key = ConditionKey.of(condition.key());
		if (!condition.values().isEmpty()) {
			ValueMatch[] matches = ValueMatch.compile(condition.values());
			checks.add(request -> anyOf(matches, key.read(request)));
		}
		if (!condition.notValues().isEmpty()) {
			ValueMatch[] matches = ValueMatch.compile(condition.notValues());
			checks.add(request -> !anyOf(matches, key.read(request)));
		}
	}

	/** A string, number or boolean matches by its text; a list when one of its elements does. */
	private static boolean anyOf(ValueMatch[] matches, Object value) {
		if (value instanceof String text) {
			return ValueMatch.any(matches, text);
		}
		if (value instanceof Number || value instanceof Boolean) {
			return ValueMatch.any(matches, value.toString());
		}
		if (value instanceof List<?> list) {
			for (Object element : list) {
				if (!(element instanceof List<?>) && anyOf(matches, element)) {
					return true;
				}
			}
		}
		return false;
	}

}
