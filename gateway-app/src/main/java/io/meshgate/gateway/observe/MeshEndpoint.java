package io.meshgate.gateway.observe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import io.meshgate.gateway.https.HttpsCertificates;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;

/**
 * {@code /actuator/mesh}: every route with its effective policies and live state, every upstream
 * with its endpoints and the state of its policies, and the certificates the HTTPS listener serves
 * (never their keys). {@code /actuator/mesh/routes/{id}} and
 * {@code /actuator/mesh/upstreams/{name}} answer one of them (404 when there is no such one).
 * Read-only; answers from memory.
 */
@Endpoint(id = "mesh")
public class MeshEndpoint {

	private final MeshRouting routing;

	private final UpstreamRegistry upstreams;

	private final MeshView view;

	private final HttpsCertificates certificates;

	MeshEndpoint(MeshRouting routing, UpstreamRegistry upstreams, MeshView view, HttpsCertificates certificates) {
		this.routing = routing;
		this.upstreams = upstreams;
		this.view = view;
		this.certificates = certificates;
	}

	@ReadOperation
	public Map<String, Object> mesh() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("routes", routing.current().routes().stream().map(view::route).toList());
		json.put("upstreams", upstreams().stream().map(view::upstream).toList());
		json.put("certificates", certificates.list().stream().map(MeshView::certificate).toList());
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
				.map(view::route)
				.orElse(null);
		}
		if ("upstreams".equals(kind)) {
			UpstreamRuntime upstream = upstreams.get(name);
			return upstream == null ? null : view.upstream(upstream);
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
