package io.meshgate.policy.match;

import java.util.List;
import java.util.function.Predicate;

import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.binding.PolicyPredicateFactory;
import io.meshgate.policy.edge.RequestHost;
import io.meshgate.policy.route.HostPattern;
import io.meshgate.policy.route.ListenerMatch;
import io.meshgate.policy.route.ListenerPorts;

/**
 * Matches requests that arrived on a listener ({@link ListenerMatch}): on the server standing for
 * the listener port ({@link ListenerPorts}), with a host none of the more specific listeners of
 * that port take: {@code ListenerMatch=8080}. The host is read only when there are such listeners.
 */
public class ListenerMatchRoutePredicateFactory extends PolicyPredicateFactory<ListenerMatch> {

	private final ListenerPorts ports;

	public ListenerMatchRoutePredicateFactory(ListenerPorts ports) {
		super(ListenerMatch.class);
		this.ports = ports;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("port");
	}

	@Override
	public Predicate<ServerWebExchange> predicate(ListenerMatch match) {
		int port = match.port();
		HostPattern[] except = match.exceptHosts().stream().map(h -> HostPattern.of("exceptHosts", h))
			.toArray(HostPattern[]::new);
		return new GatewayPredicate() {
			@Override
			public boolean test(ServerWebExchange exchange) {
				if (ports.of(exchange) != port) {
					return false;
				}
				if (except.length > 0) {
					String host = RequestHost.of(exchange);
					for (HostPattern pattern : except) {
						if (pattern.matches(host)) {
							return false;
						}
					}
				}
				return true;
			}

			@Override
			public String toString() {
				return "ListenerMatch " + match;
			}
		};
	}

}
