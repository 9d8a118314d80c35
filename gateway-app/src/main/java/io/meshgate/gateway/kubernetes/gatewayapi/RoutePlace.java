package io.meshgate.gateway.kubernetes.gatewayapi;

import java.util.List;

/**
 * Where an HTTPRoute is served through one listener: the listener's port, one host name (null:
 * any), less the host names that more specific listeners on the same port take, since a request
 * belongs to the most specific listener its host matches (GEP-1713's listener isolation).
 *
 * @param exceptHosts host patterns of those listeners, as {@code RouteMatch.listener.exceptHosts}
 */
record RoutePlace(int port, String hostname, List<String> exceptHosts) {

	RoutePlace {
		exceptHosts = List.copyOf(exceptHosts);
	}

}
