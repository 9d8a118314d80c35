package io.meshgate.gateway.observe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import io.meshgate.gateway.https.HttpsCertificates;
import io.meshgate.policy.binding.PolicyTrees;
import io.meshgate.policy.l4.proxy.L4Proxy;
import io.meshgate.policy.observe.Masking;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;

/**
 * {@code /actuator/mesh}: every route with its effective policies and live state, every upstream
 * with its endpoints and the state of its policies, the certificates the HTTPS listener serves
 * (never their keys) and what it asks of client certificates, by host name (never PEM text), the
 * JWT providers, the consumers (by name and number of keys, never a key's hash) and the
 * authorization policies, the routes' rollouts (docs/rollouts.md), the TCP routes (with their port
 * and open connections) and TLS passthrough routes (with their open connections).
 * {@code /actuator/mesh/routes/{id}} and
 * {@code /actuator/mesh/upstreams/{name}} answer one of them (404 when there is no such one).
 * Read-only; answers from memory. Each route and upstream says its {@code owner}: {@code admin}
 * (the route store, edited through the admin API) or the read-only source it comes from, such as
 * {@code kubernetes}.
 */
@Endpoint(id = "mesh")
public class MeshEndpoint {

	private final MeshRouting routing;

	private final UpstreamRegistry upstreams;

	private final MeshView view;

	private final HttpsCertificates certificates;

	/** (kind, id) to owner; kind is {@code routes} or {@code upstreams}. */
	private final BiFunction<String, String, String> owners;

	private final L4Proxy l4;

	MeshEndpoint(MeshRouting routing, UpstreamRegistry upstreams, MeshView view, HttpsCertificates certificates,
			BiFunction<String, String, String> owners, L4Proxy l4) {
		this.l4 = l4;
		this.routing = routing;
		this.upstreams = upstreams;
		this.view = view;
		this.certificates = certificates;
		this.owners = owners;
	}

	private Map<String, Object> route(Route route) {
		Map<String, Object> json = view.route(route);
		json.put("owner", owners.apply("routes", route.id()));
		return json;
	}

	private Map<String, Object> upstream(UpstreamRuntime upstream) {
		Map<String, Object> json = view.upstream(upstream);
		json.put("owner", owners.apply("upstreams", upstream.spec().name()));
		return json;
	}

	@ReadOperation
	public Map<String, Object> mesh() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("routes", routing.current().routes().stream().map(this::route).toList());
		json.put("upstreams", upstreams().stream().map(this::upstream).toList());
		json.put("certificates", certificates.list().stream().map(MeshView::certificate).toList());
		json.put("jwtProviders",
				routing.current().jwtProviders().stream().map(provider -> Masking.tree(PolicyTrees.compact(provider))).toList());
		json.put("consumers", routing.current().consumers().stream()
			.map(consumer -> Map.of("name", consumer.name(), "apiKeys", consumer.apiKeys().size()))
			.toList());
		json.put("authorizationPolicies", routing.current().authorizationPolicies().stream()
			.map(policy -> Masking.tree(PolicyTrees.compact(policy)))
			.toList());
		json.put("clientCertificates", certificates.clientCertificates());
		json.put("rollouts", routing.current().routes().stream().filter(route -> route.canary().rollout() != null)
			.map(view::rollout).toList());
		Map<String, Map<String, Object>> live = l4.state();
		json.put("tcpRoutes", routing.current().tcpRoutes().stream()
			.map(route -> l4Route(route, live.get("tcpRoutes").get(route.name())))
			.toList());
		json.put("tlsPassthroughRoutes", routing.current().tlsPassthroughRoutes().stream()
			.map(route -> l4Route(route, live.get("tlsPassthroughRoutes").get(route.name())))
			.toList());
		return json;
	}

	/** An L4 route's effective policy (defaults included) and its live state: port, open connections. */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> l4Route(Object route, Object state) {
		Map<String, Object> json = new LinkedHashMap<>((Map<String, Object>) PolicyTrees.compact(route));
		if (state instanceof Map<?, ?> values) {
			json.putAll((Map<String, Object>) values);
		}
		return json;
	}

	/** {@code kind} is {@code routes} or {@code upstreams}. */
	@ReadOperation
	public Map<String, Object> one(@Selector String kind, @Selector String name) {
		if ("routes".equals(kind)) {
			return routing.current()
				.routes()
				.stream()
				.filter(route -> route.id().equals(name))
				.findFirst()
				.map(this::route)
				.orElse(null);
		}
		if ("upstreams".equals(kind)) {
			UpstreamRuntime upstream = upstreams.get(name);
			return upstream == null ? null : upstream(upstream);
		}
		return null;
	}

	/** In the order of the configuration. */
	private List<UpstreamRuntime> upstreams() {
		return routing.current()
			.upstreams()
			.stream()
			.map(spec -> upstreams.get(spec.name()))
			.filter(runtime -> runtime != null)
			.toList();
	}

}
