package io.meshgate.gateway.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.meshgate.gateway.https.ServerCertificate;
import io.meshgate.gateway.kubernetes.gatewayapi.GatewayApiTranslator;
import io.meshgate.gateway.kubernetes.ingress.IngressTranslator;
import io.meshgate.gateway.listeners.ServedPorts;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.upstream.Upstream;

/**
 * Everything Meshgate serves from Kubernetes objects at one moment: the routes (in Gateway API
 * precedence order, Ingress paths included) and the L4 routes (TCPRoutes, TLSRoutes) over the
 * upstreams they use, and the statuses to write
 * back, and the HTTPS listener's certificates. A pure function of a {@link ClusterSnapshot} but for PEM files written for upstream TLS.
 */
public record KubernetesTranslation(MeshConfig config, Map<String, ObjectKey> owners,
		GatewayApiTranslator.Translation gatewayApi, IngressTranslator.Translation ingress, List<String> addresses,
		List<ServerCertificate> certificates) {

	public static KubernetesTranslation translate(ClusterSnapshot cluster, String controllerName, String ingressClass,
			List<String> addresses, ServedPorts served, PemFiles pemFiles) {
		ServiceUpstreams upstreams = new ServiceUpstreams(cluster, pemFiles, controllerName);
		GatewayApiTranslator.Translation gatewayApi = GatewayApiTranslator.translate(cluster, controllerName, addresses,
				served, upstreams);
		IngressTranslator.Translation ingress = IngressTranslator.translate(cluster, ingressClass, upstreams);
		List<RouteCandidate> candidates = new ArrayList<>(gatewayApi.routes());
		candidates.addAll(ingress.routes());
		candidates.sort((a, b) -> a.precedence().compareTo(b.precedence()));
		Map<String, Upstream> used = new LinkedHashMap<>();
		Map<String, ObjectKey> owners = new LinkedHashMap<>();
		List<Route> routes = new ArrayList<>();
		for (RouteCandidate candidate : candidates) {
			Route route = candidate.route();
			routes.add(route);
			owners.put(route.id(), candidate.owner());
			route.backends().stream().filter(b -> b.upstream() != null)
				.forEach(b -> used.putIfAbsent(b.upstream(), upstreams.get(b.upstream())));
			route.mirrors().forEach(m -> used.putIfAbsent(m.upstream(), upstreams.get(m.upstream())));
		}
		// TCPRoutes and TLSRoutes: their L4 routes over protocol TCP upstreams, owned like the routes
		gatewayApi.l4().upstreams().forEach(name -> used.putIfAbsent(name, upstreams.get(name)));
		owners.putAll(gatewayApi.l4().owners());
		MeshConfig config = new MeshConfig(List.copyOf(used.values()), routes).withL4(gatewayApi.l4().tcpRoutes(),
				gatewayApi.l4().tlsPassthroughRoutes());
		List<ServerCertificate> certificates = ServerCertificates.collect(cluster,
				cluster.gateways().stream().filter(g -> gatewayApi.gateways().containsKey(ObjectKey.of(g))).toList(), ingress);
		return new KubernetesTranslation(config, owners, gatewayApi,
				ingress, List.copyOf(addresses), certificates);
	}

}
