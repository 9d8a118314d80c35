package io.meshgate.gateway.kubernetes.gatewayapi;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;

import io.meshgate.gateway.kubernetes.ObjectKey;
import io.meshgate.policy.l4.TcpRoute;
import io.meshgate.policy.l4.TlsPassthroughRoute;

/**
 * What TCPRoutes and TLSRoutes add up to: the L4 routes, the names of the {@code protocol: TCP}
 * upstreams they use, the object each route comes from (by route name), and the statuses to write.
 */
public record TcpTlsTranslation(List<TcpRoute> tcpRoutes, List<TlsPassthroughRoute> tlsPassthroughRoutes,
		Set<String> upstreams, Map<String, ObjectKey> owners, Map<ObjectKey, List<RouteParentStatus>> tlsRouteStatuses,
		Map<ObjectKey, List<RouteParentStatus>> tcpRouteStatuses) {

	public static final TcpTlsTranslation EMPTY = new TcpTlsTranslation(List.of(), List.of(), Set.of(), Map.of(), Map.of(),
			Map.of());

}
