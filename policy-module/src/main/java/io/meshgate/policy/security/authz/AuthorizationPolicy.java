package io.meshgate.policy.security.authz;

import java.util.ArrayList;
import java.util.List;

import io.meshgate.policy.edge.CidrSet;
import io.meshgate.policy.schema.Example;
import io.meshgate.policy.schema.ObjectName;

/**
 * Who may call what (Istio's {@code AuthorizationPolicy}, evaluated in Istio's order): a route's
 * external authorization (Istio's {@code CUSTOM}) runs first, then every {@code DENY} policy that
 * applies to the request (one matching denies), then the {@code ALLOW} policies that apply: when
 * there are any, one of them must match, else the request is denied; when there are none, it is
 * allowed. A denied request is answered 403 naming the policy, never a rule's values.
 *
 * <pre>
 * authorizationPolicies:
 *   - name: internal-only
 *     action: DENY
 *     targets: {routes: [orders]}
 *     rules:
 *       - from: {notIpBlocks: [10.0.0.0/8]}
 *         to: {paths: [/orders/admin*]}
 *   - name: shop-readers
 *     action: ALLOW
 *     targets: {hosts: [api.example.com]}
 *     rules:
 *       - from: {principals: [spiffe://cluster.local/ns/shop/sa/web]}
 *         to: {methods: [GET, HEAD]}
 *       - from: {requestPrincipals: ["https://idp.example.com/*"]}
 *         when: [{key: "request.auth.claims[tier]", values: [gold]}]
 * </pre>
 *
 * A rule matches when its {@code from}, {@code to} and {@code when} all do; an empty part matches
 * every request. Within a part every given field must match; a field matches when one of its
 * values does, and its {@code not} form when none does. Values are matched as Istio matches them:
 * {@code abc} exactly, {@code abc*} as a prefix, {@code *abc} as a suffix, {@code *} when the
 * attribute is present at all. Unlike Istio, {@code from} and {@code to} are one object each, not
 * lists: write one rule per alternative.
 *
 * @param name the policy's name, unique; named in 403 answers and metrics; required
 * @param action {@code ALLOW} or {@code DENY}; required
 * @param dryRun evaluate but never enforce: each request the policy would deny is counted
 * ({@code decision=dry-run-deny}) and passes; default false
 * @param targets the routes and hosts the policy applies to; default: every request of the gateway
 * @param rules the rules, in order; the first that matches decides. An {@code ALLOW} policy
 * without rules matches nothing, so it denies every request it applies to (Istio's
 * allow-nothing); a {@code DENY} policy needs at least one. Istio's empty rule {@code {}} (every
 * request) is written {@code {to: {paths: ["*"]}}}: an empty object does not survive
 * configuration binding, and is refused where Meshgate sees it; default none
 */
public record AuthorizationPolicy(@Example("internal-only") String name, @Example({ "ALLOW", "DENY" }) Action action,
		Boolean dryRun, Targets targets, List<Rule> rules) {

	public AuthorizationPolicy {
		ObjectName.require("name", name);
		if (action == null) {
			throw new IllegalArgumentException("action: null (expected: one of [ALLOW, DENY])");
		}
		dryRun = dryRun != null && dryRun;
		targets = targets == null ? Targets.GATEWAY : targets;
		rules = rules == null ? List.of() : List.copyOf(rules);
		for (int i = 0; i < rules.size(); i++) {
			if (rules.get(i).empty()) {
				throw new IllegalArgumentException("rules[" + i + "]: {} (expected: at least one of from, to, when; a "
						+ "rule for every request is " + Rule.EVERY_REQUEST + ")");
			}
		}
		if (action == Action.DENY && rules.isEmpty()) {
			// configuration binding drops an empty rule ({}): a DENY of everything must not become one of nothing
			throw new IllegalArgumentException("rules: [] (expected: at least one rule for a DENY policy; a rule "
					+ "that matches every request is " + Rule.EVERY_REQUEST + ")");
		}
	}

	/** What a policy does with the requests its rules match. */
	public enum Action {

		/** A request that no applying ALLOW policy matches is denied, once any applies. */
		ALLOW,
		/** A request that an applying DENY policy matches is denied. */
		DENY

	}

	/**
	 * Where a policy applies: to the requests of each named route, and to the requests for each
	 * named host, whatever their route. Neither given: to every request of the gateway.
	 *
	 * @param routes route ids, each of a route of the same configuration; default none
	 * @param hosts hosts as the {@code Host} header names them, compared without port and case:
	 * {@code api.example.com}, or {@code *.example.com} for its subdomains; default none
	 */
	public record Targets(@Example("orders") List<String> routes, @Example("api.example.com") List<String> hosts) {

		/** No target: the whole gateway. */
		public static final Targets GATEWAY = new Targets(null, null);

		public Targets {
			List<String> errors = new ArrayList<>();
			for (int i = 0; routes != null && i < routes.size(); i++) {
				if (routes.get(i) == null || routes.get(i).isBlank()) {
					errors.add("routes[" + i + "]: " + routes.get(i) + " (expected: a route id)");
				}
			}
			hosts = ValueMatch.hosts("hosts", hosts, errors);
			Rule.throwIfAny(errors);
			routes = routes == null ? List.of() : List.copyOf(routes);
		}

		/** Whether the policy applies to every request. */
		public boolean gateway() {
			return routes.isEmpty() && hosts.isEmpty();
		}

	}

	/**
	 * One rule: matches when {@code from}, {@code to} and every condition of {@code when} match.
	 *
	 * @param from who sends the request; default: anyone
	 * @param to what the request asks for; default: anything
	 * @param when further conditions, all of which must hold; default none
	 */
	public record Rule(Source from, Operation to, List<Condition> when) {

		/** How a rule for every request is written: Istio's empty rule {@code {}} does not survive binding. */
		public static final String EVERY_REQUEST = "{to: {paths: [\"*\"]}}";

		public Rule {
			from = from == null ? Source.ANYONE : from;
			to = to == null ? Operation.ANY : to;
			when = when == null ? List.of() : List.copyOf(when);
		}

		/** Whether the rule gives no field at all. */
		boolean empty() {
			return from.equals(Source.ANYONE) && to.equals(Operation.ANY) && when.isEmpty();
		}

		static void throwIfAny(List<String> errors) {
			if (!errors.isEmpty()) {
				throw new IllegalArgumentException(String.join("; ", errors));
			}
		}

	}

	/**
	 * Who sends the request, as the gateway verified it ({@code security.Identity}) and as the
	 * edge resolved the client's address. A request without the attribute never matches a field
	 * and always matches its {@code not} form: {@code notRequestPrincipals: ["*"]} matches every
	 * request without a verified token.
	 *
	 * @param principals the peer principal of the verified client certificate: its SPIFFE ID
	 * ({@code spiffe://cluster.local/ns/shop/sa/web}), else its first URI SAN, DNS SAN or subject
	 * @param notPrincipals principals that do not match
	 * @param requestPrincipals {@code iss/sub} of the verified JWT ({@code https://idp.example.com/alice})
	 * @param notRequestPrincipals request principals that do not match
	 * @param consumers the consumer an API key named
	 * @param notConsumers consumers that do not match
	 * @param ipBlocks the client's address (forwarded headers count only from trusted proxies),
	 * in CIDR ranges ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or single addresses
	 * @param notIpBlocks ranges the client's address is not in
	 */
	public record Source(@Example("spiffe://cluster.local/ns/shop/sa/web") List<String> principals,
			List<String> notPrincipals, @Example("https://idp.example.com/*") List<String> requestPrincipals,
			List<String> notRequestPrincipals, @Example("shop-frontend") List<String> consumers,
			List<String> notConsumers, @Example("10.0.0.0/8") List<String> ipBlocks, List<String> notIpBlocks) {

		/** No field: every request. */
		public static final Source ANYONE = new Source(null, null, null, null, null, null, null, null);

		public Source {
			List<String> errors = new ArrayList<>();
			principals = ValueMatch.values("principals", principals, errors);
			notPrincipals = ValueMatch.values("notPrincipals", notPrincipals, errors);
			requestPrincipals = ValueMatch.values("requestPrincipals", requestPrincipals, errors);
			notRequestPrincipals = ValueMatch.values("notRequestPrincipals", notRequestPrincipals, errors);
			consumers = ValueMatch.values("consumers", consumers, errors);
			notConsumers = ValueMatch.values("notConsumers", notConsumers, errors);
			ipBlocks = cidrs("ipBlocks", ipBlocks, errors);
			notIpBlocks = cidrs("notIpBlocks", notIpBlocks, errors);
			Rule.throwIfAny(errors);
		}

		private static List<String> cidrs(String field, List<String> blocks, List<String> errors) {
			List<String> copy = blocks == null ? List.of() : List.copyOf(blocks);
			try {
				CidrSet.of(field, copy);
			}
			catch (IllegalArgumentException ex) {
				errors.add(ex.getMessage());
			}
			return copy;
		}

	}

	/**
	 * What the request asks for.
	 *
	 * @param hosts the {@code Host} header without port, compared without case
	 * @param notHosts hosts that do not match
	 * @param ports the local port the request came in on
	 * @param notPorts ports that do not match
	 * @param methods HTTP methods, upper case ({@code GET})
	 * @param notMethods methods that do not match
	 * @param paths the path as the edge normalized it, the one routes match, without query:
	 * {@code /orders/admin} exactly, {@code /orders/*} as a prefix, {@code *.json} as a suffix;
	 * written in that normal form (no dot segments, no needless percent-encoding)
	 * @param notPaths paths that do not match
	 */
	public record Operation(@Example("api.example.com") List<String> hosts, List<String> notHosts,
			@Example("8443") List<Integer> ports, List<Integer> notPorts, @Example({ "GET", "HEAD" }) List<String> methods,
			List<String> notMethods, @Example("/orders/*") List<String> paths, List<String> notPaths) {

		/** No field: every request. */
		public static final Operation ANY = new Operation(null, null, null, null, null, null, null, null);

		public Operation {
			List<String> errors = new ArrayList<>();
			hosts = ValueMatch.hosts("hosts", hosts, errors);
			notHosts = ValueMatch.hosts("notHosts", notHosts, errors);
			ports = ports("ports", ports, errors);
			notPorts = ports("notPorts", notPorts, errors);
			methods = ValueMatch.methods("methods", methods, errors);
			notMethods = ValueMatch.methods("notMethods", notMethods, errors);
			paths = ValueMatch.paths("paths", paths, errors);
			notPaths = ValueMatch.paths("notPaths", notPaths, errors);
			Rule.throwIfAny(errors);
		}

		private static List<Integer> ports(String field, List<Integer> ports, List<String> errors) {
			List<Integer> copy = ports == null ? List.of() : List.copyOf(ports);
			for (int i = 0; i < copy.size(); i++) {
				if (copy.get(i) < 1 || copy.get(i) > 65535) {
					errors.add(field + "[" + i + "]: " + copy.get(i) + " (expected: a port, 1-65535)");
				}
			}
			return copy;
		}

	}

	/**
	 * A further condition (Istio's {@code when}): the attribute {@code key} names must match one of
	 * {@code values}, and none of {@code notValues}; at least one of the two is given.
	 *
	 * @param key {@code request.headers[<name>]} (several values are read joined by {@code ,}, as
	 * Envoy reads them), {@code request.auth.claims[<name>]} (nested: {@code [a][b]}; a list claim
	 * matches when one element does), {@code request.auth.principal}, {@code request.auth.audiences},
	 * {@code request.auth.presenter}, {@code source.principal}; required
	 * @param values values one of which must match
	 * @param notValues values none of which may match
	 */
	public record Condition(@Example("request.auth.claims[tier]") String key, @Example("gold") List<String> values,
			List<String> notValues) {

		public Condition {
			List<String> errors = new ArrayList<>();
			try {
				ConditionKey.of(key);
			}
			catch (IllegalArgumentException ex) {
				errors.add(ex.getMessage());
			}
			values = ValueMatch.values("values", values, errors);
			notValues = ValueMatch.values("notValues", notValues, errors);
			if (values.isEmpty() && notValues.isEmpty()) {
				errors.add("values: [] (expected: values or notValues, at least one value)");
			}
			Rule.throwIfAny(errors);
		}

	}

}
