package io.meshgate.policy.route;

import java.util.List;

import io.meshgate.policy.schema.Example;

/**
 * The listener a route takes requests from: the listener port the request arrived on
 * ({@link ListenerPorts}) and, where several listeners share that port, its share of the host
 * names. Kubernetes Gateway listeners are translated to it; an admin-store route may use it to
 * serve on one port only. Also the arguments of the {@code ListenerMatch} predicate.
 *
 * @param port the listener port, 1-65535: the port the request's server stands for (the ingress
 * port, the HTTPS port, or an extra listener port), which {@link ListenerPorts} maps from the
 * port it is bound to; required
 * @param exceptHosts host patterns ({@link HostPattern}) taken by more specific listeners on the
 * same port: a request whose host one of them matches belongs to those listeners, not this one;
 * default none
 */
public record ListenerMatch(@Example("8080") Integer port, @Example("*.shop.example.com") List<String> exceptHosts) {

	public ListenerMatch {
		if (port == null || port < 1 || port > 65535) {
			throw new IllegalArgumentException("listener.port: " + port + " (expected: 1-65535)");
		}
		exceptHosts = exceptHosts == null ? List.of()
				: exceptHosts.stream().map(h -> HostPattern.of("listener.exceptHosts", h).toString()).distinct().toList();
	}

}
