package io.meshgate.gateway.kubernetes.ingress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;

import io.meshgate.admin.model.ConfigError;
import io.meshgate.admin.model.InvalidConfigException;
import io.meshgate.gateway.kubernetes.Annotations;
import io.meshgate.gateway.kubernetes.ClusterSnapshot;
import io.meshgate.gateway.kubernetes.Names;
import io.meshgate.gateway.kubernetes.ObjectKey;
import io.meshgate.gateway.kubernetes.Paths;
import io.meshgate.gateway.kubernetes.Precedence;
import io.meshgate.gateway.kubernetes.RouteCandidate;
import io.meshgate.gateway.kubernetes.ServiceUpstreams;
import io.meshgate.policy.route.Route;

/**
 * Ingresses of Meshgate's class as routes: one per (rule, path), host and path as written
 * ({@code Prefix} and {@code ImplementationSpecific} are prefixes by path element), the default
 * backend as a catch-all. An Ingress Meshgate cannot serve (a resource backend, an invalid
 * annotation) is skipped whole and its problem reported. Pure.
 */
public final class IngressTranslator {

	/** Legacy class annotation, still honoured when {@code ingressClassName} is absent. */
	static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";

	static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";

	/** A TLS section: the host names and the {@code kubernetes.io/tls} Secret with their certificate. */
	public record TlsHosts(ObjectKey ingress, List<String> hosts, String secretNamespace, String secretName) {

	}

	/** The routes, TLS sections and the Ingresses served; problems per skipped Ingress. */
	public record Translation(List<RouteCandidate> routes, List<TlsHosts> tls, List<ObjectKey> served,
			Map<ObjectKey, String> problems) {

	}

	private IngressTranslator() {
	}

	public static Translation translate(ClusterSnapshot cluster, String ingressClass, ServiceUpstreams upstreams) {
		boolean isDefault = cluster.ingressClasses()
			.stream()
			.anyMatch(c -> ingressClass.equals(c.getMetadata().getName()) && "true"
				.equals(Annotations.get(c, DEFAULT_CLASS_ANNOTATION)));
		List<RouteCandidate> routes = new ArrayList<>();
		List<TlsHosts> tls = new ArrayList<>();
		List<ObjectKey> served = new ArrayList<>();
		Map<ObjectKey, String> problems = new LinkedHashMap<>();
		for (Ingress ingress : cluster.ingresses()) {
			if (!ours(ingress, ingressClass, isDefault)) {
				continue;
			}
			ObjectKey key = ObjectKey.of(ingress);
			try {
				routes.addAll(routes(ingress, cluster, upstreams));
				for (IngressTLS section : ingress.getSpec().getTls() == null ? List.<IngressTLS>of() : ingress.getSpec().getTls()) {
					if (section.getSecretName() != null) {
						tls.add(new TlsHosts(key, section.getHosts() == null ? List.of() : List.copyOf(section.getHosts()),
								ingress.getMetadata().getNamespace(), section.getSecretName()));
					}
				}
				served.add(key);
			}
			catch (IllegalArgumentException ex) {
				problems.put(key, ex.getMessage());
			}
			catch (InvalidConfigException ex) {
				problems.put(key, String.join("; ", ex.errors().stream().map(ConfigError::message).toList()));
			}
		}
		return new Translation(routes, tls, served, problems);
	}

	static boolean ours(Ingress ingress, String ingressClass, boolean isDefault) {
		if (ingress.getSpec() == null) {
			return false;
		}
		String name = ingress.getSpec().getIngressClassName();
		if (name == null) {
			name = Annotations.get(ingress, CLASS_ANNOTATION);
		}
		return name == null ? isDefault : name.equals(ingressClass);
	}

	private static List<RouteCandidate> routes(Ingress ingress, ClusterSnapshot cluster, ServiceUpstreams upstreams) {
		String namespace = ingress.getMetadata().getNamespace();
		String name = ingress.getMetadata().getName();
		List<Map<String, Object>> trees = new ArrayList<>();
		List<Precedence> order = new ArrayList<>();
		List<String> used = new ArrayList<>();
		List<IngressRule> rules = ingress.getSpec().getRules() == null ? List.of() : ingress.getSpec().getRules();
		for (int r = 0; r < rules.size(); r++) {
			IngressRule rule = rules.get(r);
			if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
				continue;
			}
			List<HTTPIngressPath> paths = rule.getHttp().getPaths();
			for (int p = 0; p < paths.size(); p++) {
				HTTPIngressPath path = paths.get(p);
				String where = "rules[" + r + "].http.paths[" + p + "]";
				Precedence.PathType type = "Exact".equals(path.getPathType()) ? Precedence.PathType.EXACT
						: Precedence.PathType.PREFIX;
				String value = path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath();
				trees.add(tree(Names.route("ingress", namespace, name, r, p), type, value, rule.getHost(),
						backend(path.getBackend(), namespace, cluster, upstreams, used, where + ".backend"), ingress));
				order.add(new Precedence(rule.getHost(), type, value.length(), false, 0, 0,
						ingress.getMetadata().getCreationTimestamp(), namespace, name, r, p));
			}
		}
		if (ingress.getSpec().getDefaultBackend() != null) {
			trees.add(tree(Names.route("ingress", namespace, name, rules.size()), Precedence.PathType.PREFIX, "/", null,
					backend(ingress.getSpec().getDefaultBackend(), namespace, cluster, upstreams, used, "defaultBackend"),
					ingress));
			order.add(new Precedence(null, Precedence.PathType.PREFIX, 0, false, 0, 0,
					ingress.getMetadata().getCreationTimestamp(), namespace, name, Integer.MAX_VALUE, 0));
		}
		List<Route> bound = upstreams.bindRoutes(trees, used);
		List<RouteCandidate> routes = new ArrayList<>();
		for (int i = 0; i < bound.size(); i++) {
			Route route = bound.get(i);
			routes.add(new RouteCandidate(ObjectKey.of(ingress), route, order.get(i)));
		}
		return routes;
	}

	private static Map<String, Object> tree(String id, Precedence.PathType type, String path, String host, String upstream,
			Ingress ingress) {
		Map<String, Object> tree = new LinkedHashMap<>();
		tree.put("id", id);
		Map<String, Object> match = new LinkedHashMap<>(Paths.match(type, path));
		if (Paths.host(host) != null) {
			match.put("host", Paths.host(host));
		}
		tree.put("match", match);
		tree.put("backends", List.of(Map.of("upstream", upstream)));
		Map<String, Object> canary = Annotations.canary(ingress);
		if (canary != null) {
			tree.put("canary", canary);
		}
		Object retries = Annotations.tree(ingress, Annotations.RETRIES);
		if (retries != null) {
			tree.put("retries", retries);
		}
		Object extAuthz = Annotations.tree(ingress, Annotations.EXT_AUTHZ);
		if (extAuthz != null) {
			tree.put("extAuthz", extAuthz);
		}
		return tree;
	}

	private static String backend(IngressBackend backend, String namespace, ClusterSnapshot cluster,
			ServiceUpstreams upstreams, List<String> used, String where) {
		if (backend == null || backend.getService() == null) {
			throw new IllegalArgumentException(where + ": " + (backend == null ? null : "resource")
					+ " (expected: a service backend)");
		}
		String service = backend.getService().getName();
		Integer port = backend.getService().getPort() == null ? null : backend.getService().getPort().getNumber();
		if (port == null && backend.getService().getPort() != null && backend.getService().getPort().getName() != null) {
			String portName = backend.getService().getPort().getName();
			port = cluster.service(namespace, service)
				.map(Service::getSpec)
				.flatMap(spec -> spec.getPorts().stream().filter(p -> portName.equals(p.getName())).findFirst())
				.map(ServicePort::getPort)
				.orElseThrow(() -> new IllegalArgumentException(where + ".service.port.name: " + portName
						+ " (expected: a port of Service " + namespace + "/" + service + ")"));
		}
		if (port == null) {
			throw new IllegalArgumentException(where + ".service.port: null (expected: a number or name)");
		}
		ServiceUpstreams.Resolved resolved = upstreams.resolve(namespace, service, port);
		if (resolved.error() != null || resolved.unusable() != null) {
			throw new IllegalArgumentException(resolved.error() != null ? resolved.error() : resolved.unusable());
		}
		used.add(resolved.upstream());
		return resolved.upstream();
	}

}
