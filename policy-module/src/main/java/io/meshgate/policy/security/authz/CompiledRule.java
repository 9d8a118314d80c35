package io.meshgate.policy.security.authz;

import java.util.List;

import io.meshgate.policy.edge.CidrSet;
import io.meshgate.policy.security.PeerIdentity;
import io.meshgate.policy.security.authz.AuthorizationPolicy.Condition;
import io.meshgate.policy.security.authz.AuthorizationPolicy.Operation;
import io.meshgate.policy.security.authz.AuthorizationPolicy.Rule;
import io.meshgate.policy.security.authz.AuthorizationPolicy.Source;

/**
 * A rule compiled for the request path: each field it gives as a {@link ValueMatch} array, port
 * array, {@link CidrSet} or condition, each field it leaves empty as {@code null}, tested in one
 * straight sequence (no call through an interface per field: a hundred rules are tested per
 * request). All given fields must match; a field matches when one of its values does, its
 * {@code not} form when none does (an absent attribute matches no value).
 */
final class CompiledRule {

	private final ValueMatch[] methods;

	private final ValueMatch[] notMethods;

	private final ValueMatch[] paths;

	private final ValueMatch[] notPaths;

	private final ValueMatch[] hosts;

	private final ValueMatch[] notHosts;

	private final int[] ports;

	private final int[] notPorts;

	private final ValueMatch[] principals;

	private final ValueMatch[] notPrincipals;

	private final ValueMatch[] requestPrincipals;

	private final ValueMatch[] notRequestPrincipals;

	private final ValueMatch[] consumers;

	private final ValueMatch[] notConsumers;

	private final CidrSet ipBlocks;

	private final CidrSet notIpBlocks;

	private final CompiledCondition[] conditions;

	private CompiledRule(Rule rule) {
		Operation to = rule.to();
		methods = compiled(to.methods());
		notMethods = compiled(to.notMethods());
		paths = compiled(to.paths());
		notPaths = compiled(to.notPaths());
		hosts = compiled(to.hosts());
		notHosts = compiled(to.notHosts());
		ports = to.ports().isEmpty() ? null : to.ports().stream().mapToInt(Integer::intValue).toArray();
		notPorts = to.notPorts().isEmpty() ? null : to.notPorts().stream().mapToInt(Integer::intValue).toArray();
		Source from = rule.from();
		principals = compiled(from.principals());
		notPrincipals = compiled(from.notPrincipals());
		requestPrincipals = compiled(from.requestPrincipals());
		notRequestPrincipals = compiled(from.notRequestPrincipals());
		consumers = compiled(from.consumers());
		notConsumers = compiled(from.notConsumers());
		ipBlocks = from.ipBlocks().isEmpty() ? null : CidrSet.of("ipBlocks", from.ipBlocks());
		notIpBlocks = from.notIpBlocks().isEmpty() ? null : CidrSet.of("notIpBlocks", from.notIpBlocks());
		conditions = rule.when().stream().map(CompiledCondition::new).toArray(CompiledCondition[]::new);
	}

	static CompiledRule of(Rule rule) {
		return new CompiledRule(rule);
	}

	private static ValueMatch[] compiled(List<String> values) {
		return values.isEmpty() ? null : ValueMatch.compile(values);
	}

	boolean matches(RequestFacts request) {
		// what the request asks for first: known without reading the identity
		if (!field(methods, notMethods, request.method()) || !field(paths, notPaths, request.path())) {
			return false;
		}
		if ((hosts != null || notHosts != null) && !field(hosts, notHosts, request.host())) {
			return false;
		}
		if ((ports != null && !contains(ports, request.localPort()))
				|| (notPorts != null && contains(notPorts, request.localPort()))) {
			return false;
		}
		if ((principals != null || notPrincipals != null) && !field(principals, notPrincipals, peerPrincipal(request))) {
			return false;
		}
		if ((requestPrincipals != null || notRequestPrincipals != null)
				&& !field(requestPrincipals, notRequestPrincipals, request.identity().requestPrincipal())) {
			return false;
		}
		if ((consumers != null || notConsumers != null)
				&& !field(consumers, notConsumers, request.identity().consumer())) {
			return false;
		}
		if (ipBlocks != null && !inside(ipBlocks, request)) {
			return false;
		}
		if (notIpBlocks != null && inside(notIpBlocks, request)) {
			return false;
		}
		for (CompiledCondition condition : conditions) {
			if (!condition.matches(request)) {
				return false;
			}
		}
		return true;
	}

	/** A field and its {@code not} form, either {@code null} when not given. */
	private static boolean field(ValueMatch[] values, ValueMatch[] notValues, String actual) {
		return (values == null || ValueMatch.any(values, actual)) && (notValues == null || !ValueMatch.any(notValues, actual));
	}

	private static String peerPrincipal(RequestFacts request) {
		PeerIdentity peer = request.identity().peer();
		return peer == null ? null : peer.principal();
	}

	private static boolean contains(int[] ports, int port) {
		for (int candidate : ports) {
			if (candidate == port) {
				return true;
			}
		}
		return false;
	}

	private static boolean inside(CidrSet blocks, RequestFacts request) {
		byte[] client = request.clientBytes();
		return client != null && blocks.contains(client);
	}

	/** A condition: the attribute its key names matches one of the values and none of the not-values. */
	private static final class CompiledCondition {

		private final ConditionKey key;

		private final ValueMatch[] values;

		private final ValueMatch[] notValues;

		CompiledCondition(Condition condition) {
			key = ConditionKey.of(condition.key());
			values = compiled(condition.values());
			notValues = compiled(condition.notValues());
		}

		boolean matches(RequestFacts request) {
			Object value = key.read(request);
			return (values == null || anyOf(values, value)) && (notValues == null || !anyOf(notValues, value));
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

}
