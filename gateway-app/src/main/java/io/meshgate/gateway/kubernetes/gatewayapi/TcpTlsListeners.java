package io.meshgate.gateway.kubernetes.gatewayapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;

import io.meshgate.gateway.kubernetes.Conditions;
import io.meshgate.gateway.listeners.ServedPorts;

/**
 * Gateway listeners of the L4 protocols: {@code protocol: TLS} with {@code tls.mode: Passthrough}
 * takes TLSRoutes, served on the HTTPS port where the ClientHello's server name chooses between
 * passthrough and termination; {@code protocol: TCP} takes TCPRoutes, on a port of its own that
 * its TCP route binds. TLS termination on a TLS listener is not served (HTTPS listeners terminate).
 * A TCP listener on a port that another listener of any of the gateway's Gateways uses with another
 * protocol conflicts ({@code Conflicted: ProtocolConflict} on both): the other one keeps the port.
 */
final class TcpTlsListeners {

	static final String TLS_ROUTE = "TLSRoute";

	static final String TCP_ROUTE = "TCPRoute";

	private TcpTlsListeners() {
	}

	/** Whether the listener speaks an L4 protocol (TLS or TCP), whatever else is wrong with it. */
	static boolean l4(Listener listener) {
		return "TLS".equals(listener.getProtocol()) || "TCP".equals(listener.getProtocol());
	}

	/** Whether a listener takes routes of {@code kind} by its protocol (allowedRoutes aside). */
	static boolean takes(Listener listener, String kind) {
		return switch (kind) {
			case TLS_ROUTE -> "TLS".equals(listener.getProtocol()) && passthrough(listener);
			case TCP_ROUTE -> "TCP".equals(listener.getProtocol());
			default -> "HTTP".equals(listener.getProtocol()) || "HTTPS".equals(listener.getProtocol());
		};
	}

	private static boolean passthrough(Listener listener) {
		return listener.getTls() != null && "Passthrough".equals(listener.getTls().getMode());
	}

	/** The route kind an L4 listener takes. */
	private static String kind(Listener listener) {
		return "TLS".equals(listener.getProtocol()) ? TLS_ROUTE : TCP_ROUTE;
	}

	/**
	 * The ports that TCP listeners share with listeners of another protocol, across {@code gateways}
	 * (a port the gateway serves HTTP or HTTPS on conflicts with a TCP listener too).
	 */
	static Set<Integer> conflictedPorts(List<Gateway> gateways, ServedPorts served) {
		Map<Integer, Set<String>> protocols = new HashMap<>();
		for (Gateway gateway : gateways) {
			for (Listener listener : listeners(gateway)) {
				if (listener.getPort() != null && listener.getProtocol() != null) {
					protocols.computeIfAbsent(listener.getPort(), p -> new TreeSet<>()).add(listener.getProtocol());
				}
			}
		}
		Set<Integer> conflicted = new TreeSet<>();
		protocols.forEach((port, used) -> {
			if (used.contains("TCP") && (used.size() > 1 || served.httpPort(port))) {
				conflicted.add(port);
			}
		});
		return conflicted;
	}

	static List<Listener> listeners(Gateway gateway) {
		return gateway.getSpec() == null || gateway.getSpec().getListeners() == null ? List.of()
				: gateway.getSpec().getListeners();
	}

	/**
	 * Why an L4 listener is not served, as its {@code Accepted} condition's reason and message;
	 * null when it is.
	 */
	static Refusal refusal(Listener listener, ServedPorts served, Set<Integer> conflicted) {
		if ("TLS".equals(listener.getProtocol()) && !passthrough(listener)) {
			return new Refusal("UnsupportedProtocol", "tls.mode: "
					+ (listener.getTls() == null || listener.getTls().getMode() == null ? "Terminate" : listener.getTls().getMode())
					+ " (expected: Passthrough; TLS is terminated on HTTPS listeners)");
		}
		if ("TCP".equals(listener.getProtocol()) && listener.getPort() != null && conflicted.contains(listener.getPort())) {
			return new Refusal("PortUnavailable", "port: " + listener.getPort()
					+ " (expected: a port no listener of another protocol uses: see Conflicted)");
		}
		String port = served.refusal(listener.getPort(), listener.getProtocol());
		return port == null ? null : new Refusal("PortUnavailable", port);
	}

	/** The status of an L4 listener with {@code attached} routes. */
	static ListenerStatus status(Listener listener, ServedPorts served, Set<Integer> conflicted, int attached,
			Long generation) {
		String kind = kind(listener);
		boolean invalidKinds = listener.getAllowedRoutes() != null && listener.getAllowedRoutes().getKinds() != null
				&& !listener.getAllowedRoutes().getKinds().stream().allMatch(k -> is(k, kind));
		List<RouteGroupKind> kinds = invalidKinds && listener.getAllowedRoutes().getKinds().stream().noneMatch(k -> is(k, kind))
				? List.of() : List.of(new RouteGroupKind(GatewayApiTranslator.GROUP, kind));
		Refusal refusal = refusal(listener, served, conflicted);
		List<Condition> conditions = new ArrayList<>();
		if (refusal != null) {
			conditions.add(Conditions.of("Accepted", false, refusal.reason(), refusal.message(), generation));
			conditions.add(Conditions.of("Programmed", false, "Invalid", "not served: see Accepted", generation));
		}
		else {
			conditions.add(Conditions.of("Accepted", true, "Accepted", "", generation));
			conditions.add(Conditions.of("Programmed", true, "Programmed", "", generation));
		}
		conditions.add(invalidKinds
				? Conditions.of("ResolvedRefs", false, "InvalidRouteKinds",
						"allowedRoutes.kinds: (expected: " + kind + " of " + GatewayApiTranslator.GROUP + ")", generation)
				: Conditions.of("ResolvedRefs", true, "ResolvedRefs", "", generation));
		if (listener.getPort() != null && conflicted.contains(listener.getPort())) {
			conditions.add(conflict(listener.getPort(), generation));
		}
		return new ListenerStatusBuilder().withName(listener.getName())
			.withAttachedRoutes(refusal == null ? attached : 0)
			.withSupportedKinds(kinds)
			.withConditions(conditions)
			.build();
	}

	/** Whether an L4 listener's status says it is served. */
	static boolean served(ListenerStatus status) {
		return status.getConditions().stream().anyMatch(c -> "Programmed".equals(c.getType()) && "True".equals(c.getStatus()));
	}

	/** The condition of a listener whose port a TCP listener and a listener of another protocol share. */
	static Condition conflict(int port, Long generation) {
		return Conditions.of("Conflicted", true, "ProtocolConflict",
				"port " + port + " has a TCP listener and a listener of another protocol", generation);
	}

	/** Why a listener is not served: its {@code Accepted} condition's reason and message. */
	record Refusal(String reason, String message) {

	}

	private static boolean is(RouteGroupKind groupKind, String kind) {
		return kind.equals(groupKind.getKind())
				&& (groupKind.getGroup() == null || GatewayApiTranslator.GROUP.equals(groupKind.getGroup()));
	}

}
