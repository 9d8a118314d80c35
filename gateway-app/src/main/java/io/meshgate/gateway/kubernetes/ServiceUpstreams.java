package io.meshgate.gateway.kubernetes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import io.meshgate.admin.model.ConfigBinder;
import io.meshgate.admin.model.ConfigTrees;
import io.meshgate.admin.model.InvalidConfigException;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.upstream.Upstream;

/**
 * One upstream per (namespace, Service, port) that some route uses, following the Service's
 * endpoints through discovery, with the policies its annotations and BackendTLSPolicies give. A
 * Service that does not exist (yet) still gets its upstream, without endpoints: an Ingress path
 * to it answers 503 until the Service and its pods appear ({@link Resolved#serviceExists} says
 * which; an HTTPRoute answers 500 for such a reference instead, as Gateway API asks).
 */
public final class ServiceUpstreams {

	/**
	 * What a backend reference resolved to: the upstream's name, or why there is none.
	 *
	 * @param error why the Service cannot be served (its annotations or port are wrong)
	 * @param unusable why requests to it must fail although it exists: the BackendTLSPolicy it
	 * would be reached with cannot be used ({@link BackendTlsValidation}); Gateway API asks for a 5xx
	 */
	public record Resolved(String upstream, boolean serviceExists, String error, String unusable) {

	}

	private final ClusterSnapshot cluster;

	private final PemFiles pemFiles;

	/** The Gateways' backend client certificate Secret per Service ({@code namespace/name}). */
	private final Map<String, ObjectKey> gatewayClientCertificates;

	private final Map<String, Upstream> bound = new LinkedHashMap<>();

	private final Map<String, String> errors = new LinkedHashMap<>();

	private final Map<String, String> unusable = new LinkedHashMap<>();

	/** @param controllerName whose Gateways' backend client certificates ({@link BackendClientCertificates}) are presented */
	public ServiceUpstreams(ClusterSnapshot cluster, PemFiles pemFiles, String controllerName) {
		this.cluster = cluster;
		this.pemFiles = pemFiles;
		this.gatewayClientCertificates = BackendClientCertificates.of(cluster, controllerName);
	}

	public Resolved resolve(String namespace, String service, int port) {
		String name = Names.upstream(namespace, service, port);
		Optional<Service> found = cluster.service(namespace, service);
		if (!bound.containsKey(name) && !errors.containsKey(name) && !unusable.containsKey(name)) {
			try {
				BackendTlsPolicy policy = found.map(object -> policy(namespace, service, servicePortName(object, port)))
					.orElse(null);
				BackendTlsValidation validation = policy == null ? null : BackendTlsValidation.of(policy, cluster);
				if (validation != null && !validation.usable()) {
					unusable.put(name, policyName(policy) + " cannot be used: " + validation.message());
				}
				else {
					bound.put(name, bind(name, namespace, service, port, found.orElse(null), policy, validation));
				}
			}
			catch (IllegalArgumentException ex) {
				errors.put(name, "Service " + namespace + "/" + service + ": " + ex.getMessage());
			}
			catch (InvalidConfigException ex) {
				errors.put(name, "Service " + namespace + "/" + service + ": "
						+ ex.errors().stream().map(e -> e.message()).toList());
			}
		}
		return new Resolved(name, found.isPresent(), errors.get(name), unusable.get(name));
	}

	/**
	 * The {@code protocol: TCP} upstream of a Service port, for TCPRoutes and TLSRoutes: its
	 * endpoints discovered as for HTTP, with the Service's load-balancer and outlier-detection
	 * annotations (TLS, BackendTLSPolicies and the circuit breaker are HTTP's only).
	 */
	public Resolved resolveTcp(String namespace, String service, int port) {
		String name = Names.tcpUpstream(namespace, service, port);
		Optional<Service> found = cluster.service(namespace, service);
		if (!bound.containsKey(name) && !errors.containsKey(name)) {
			try {
				Map<String, Object> tree = discovered(name, namespace, service, port, found.orElse(null));
				tree.put("protocol", "TCP");
				bound.put(name, ConfigBinder.bind(Map.of("upstreams", List.of(tree)), MeshConfig.EMPTY).upstreams().get(0));
			}
			catch (IllegalArgumentException ex) {
				errors.put(name, "Service " + namespace + "/" + service + ": " + ex.getMessage());
			}
			catch (InvalidConfigException ex) {
				errors.put(name, "Service " + namespace + "/" + service + ": "
						+ ex.errors().stream().map(e -> e.message()).toList());
			}
		}
		return new Resolved(name, found.isPresent(), errors.get(name), null);
	}

	/** The cluster's ReferenceGrants, which decide whether a route may use a Service of another namespace. */
	public ReferenceGrants referenceGrants() {
		return cluster.referenceGrants();
	}

	public Upstream get(String name) {
		return bound.get(name);
	}

	/**
	 * Binds route trees through the admin API's binder, together with the upstreams they name (a
	 * configuration is checked as a whole), and returns the routes; throws
	 * {@link InvalidConfigException} with every problem.
	 */
	public List<Route> bindRoutes(List<Map<String, Object>> routes, Collection<String> upstreams) {
		Map<String, Object> tree = new LinkedHashMap<>();
		tree.put("upstreams", ConfigTrees.toTree(upstreams.stream().distinct().map(bound::get).toList()));
		tree.put("routes", routes);
		return ConfigBinder.bind(tree, MeshConfig.EMPTY).routes();
	}

	/** The BackendTLSPolicy of a Service port: of those targeting it, the one {@link BackendTlsPolicy#precedence} puts first. */
	private BackendTlsPolicy policy(String namespace, String service, String portName) {
		return cluster.backendTlsPolicies()
			.stream()
			.filter(p -> p.targets(namespace, service, portName))
			.min(BackendTlsPolicy.precedence(service, portName))
			.orElse(null);
	}

	private Upstream bind(String name, String namespace, String service, int port, Service object,
			BackendTlsPolicy policy, BackendTlsValidation validation) {
		Map<String, Object> tree = discovered(name, namespace, service, port, object);
		if (object != null) {
			putIfPresent(tree, "circuitBreaker", Annotations.tree(object, Annotations.CIRCUIT_BREAKER));
			putIfPresent(tree, "tls", tls(namespace, service, object, policy, validation));
			// Gateway API's appProtocol for HTTP/2 with prior knowledge (gRPC servers without TLS);
			// kubernetes.io/ws needs nothing: WebSocket upgrades go over HTTP/1.1
			if ("kubernetes.io/h2c".equals(servicePort(object, port).map(ServicePort::getAppProtocol).orElse(null))) {
				tree.put("protocol", "H2C");
			}
		}
		MeshConfig config = ConfigBinder.bind(Map.of("upstreams", List.of(tree)), MeshConfig.EMPTY);
		return config.upstreams().get(0);
	}

	/**
	 * An upstream tree following the endpoints of a Service port (of a Service that does not
	 * exist yet: of the port's number), with the Service's load-balancer and outlier-detection annotations.
	 */
	private static Map<String, Object> discovered(String name, String namespace, String service, int port,
			Service object) {
		Map<String, Object> tree = new LinkedHashMap<>();
		tree.put("name", name);
		Map<String, Object> discovery = new LinkedHashMap<>();
		discovery.put("serviceId", service);
		discovery.put("namespace", namespace);
		String portName = object == null ? String.valueOf(port) : endpointPort(object, port);
		if (portName != null) {
			discovery.put("port", portName);
		}
		tree.put("discovery", discovery);
		if (object != null) {
			putIfPresent(tree, "loadBalancer", Annotations.tree(object, Annotations.LOAD_BALANCER));
			putIfPresent(tree, "outlierDetection", Annotations.tree(object, Annotations.OUTLIER_DETECTION));
		}
		return tree;
	}

	/**
	 * EndpointSlices name their ports as the Service does but carry the target port's number, so
	 * a Service port number is turned into its name; a single unnamed port is the first one.
	 */
	private static String endpointPort(Service service, int port) {
		List<ServicePort> ports = service.getSpec() == null || service.getSpec().getPorts() == null ? List.of()
				: service.getSpec().getPorts();
		for (ServicePort candidate : ports) {
			if (candidate.getPort() != null && candidate.getPort() == port) {
				if (candidate.getName() != null && !candidate.getName().isBlank()) {
					return candidate.getName();
				}
				return ports.size() == 1 ? null : targetPort(candidate, port);
			}
		}
		throw new IllegalArgumentException("port: " + port + " (expected: one of the Service's ports "
				+ ports.stream().map(ServicePort::getPort).toList() + ")");
	}

	/** The Service's port {@code port}, if it has one. */
	private static java.util.Optional<ServicePort> servicePort(Service service, int port) {
		List<ServicePort> ports = service.getSpec() == null || service.getSpec().getPorts() == null ? List.of()
				: service.getSpec().getPorts();
		return ports.stream().filter(candidate -> candidate.getPort() != null && candidate.getPort() == port).findFirst();
	}

	/** The name of the Service's port {@code port}; null when it has none or no such port. */
	public static String servicePortName(Service service, int port) {
		return servicePort(service, port).map(ServicePort::getName)
			.filter(name -> name != null && !name.isBlank())
			.orElse(null);
	}

	private static String targetPort(ServicePort port, int fallback) {
		if (port.getTargetPort() != null && port.getTargetPort().getIntVal() != null) {
			return String.valueOf(port.getTargetPort().getIntVal());
		}
		return String.valueOf(fallback);
	}

	/**
	 * SIMPLE TLS from the Service port's BackendTLSPolicy, sending its {@code hostname} as SNI;
	 * MUTUAL with the client certificate of the Gateways' {@code tls.backend}, or the Secret the
	 * deprecated Service annotation names (which also turns TLS on without a policy). The
	 * certificate must carry one of the policy's {@code subjectAltNames}, or its {@code hostname}
	 * when it names none.
	 */
	private Map<String, Object> tls(String namespace, String service, Service object, BackendTlsPolicy policy,
			BackendTlsValidation validation) {
		String clientSecret = Annotations.get(object, Annotations.CLIENT_CERTIFICATE_SECRET);
		String secretNamespace = namespace;
		String field = Annotations.CLIENT_CERTIFICATE_SECRET;
		ObjectKey fromGateway = gatewayClientCertificates.get(namespace + "/" + service);
		if (clientSecret == null && policy != null && fromGateway != null) {
			clientSecret = fromGateway.name();
			secretNamespace = fromGateway.namespace();
			field = "Gateway tls.backend.clientCertificateRef";
		}
		if (policy == null && clientSecret == null) {
			return null;
		}
		Map<String, Object> tls = new LinkedHashMap<>();
		tls.put("mode", clientSecret == null ? "SIMPLE" : "MUTUAL");
		String ca = null;
		if (policy != null) {
			ca = validation.caPem();
			boolean hostname = policy.hostname() != null && !policy.hostname().isBlank();
			List<String> names = policy.subjectAltNames().isEmpty() && hostname ? List.of(policy.hostname())
					: policy.subjectAltNames();
			if (names.stream().anyMatch(String::isBlank)) {
				throw new IllegalArgumentException(policyName(policy) + ".validation.subjectAltNames: "
						+ policy.subjectAltNames() + " (expected: type Hostname with a hostname or type URI with a uri)");
			}
			if (!names.isEmpty()) {
				tls.put("subjectAltNames", names);
			}
			if (hostname) {
				tls.put("sni", policy.hostname());
			}
		}
		if (clientSecret != null) {
			String name = clientSecret;
			String in = secretNamespace;
			String where = field;
			Map<String, String> secret = cluster.data("Secret", in, name)
				.filter(data -> data.containsKey("tls.crt") && data.containsKey("tls.key"))
				.orElseThrow(() -> new IllegalArgumentException(where + ": " + name
						+ " (expected: a Secret in " + in + " with tls.crt and tls.key)"));
			String prefix = "secret-" + in + "-" + name;
			tls.put("certificate", path(pemFiles.write(prefix + "-tls.crt", secret.get("tls.crt"))));
			tls.put("privateKey", path(pemFiles.write(prefix + "-tls.key", secret.get("tls.key"))));
			if (ca == null) {
				ca = secret.get("ca.crt");
			}
		}
		if (ca != null) {
			tls.put("caCertificates", path(pemFiles.write("ca-" + namespace + "-" + service + ".crt", ca)));
		}
		return tls;
	}

	private static String policyName(BackendTlsPolicy policy) {
		return "BackendTLSPolicy " + policy.namespace() + "/" + policy.name();
	}

	private static String path(Path path) {
		return path.toString();
	}

	private static void putIfPresent(Map<String, Object> tree, String key, Object value) {
		if (value != null) {
			tree.put(key, value);
		}
	}

}
