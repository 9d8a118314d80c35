package io.meshgate.gateway.kubernetes.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLException;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import org.springframework.boot.ssl.pem.PemContent;

import io.meshgate.gateway.kubernetes.BackendTlsPolicies;
import io.meshgate.gateway.kubernetes.IngressControllerProperties;

/**
 * The conformance suite's cluster on fabric8's mock API server: manifests of Gateway API v1.4.1
 * (copied verbatim from kubernetes-sigs/gateway-api at tag v1.4.1 into
 * {@code src/test/resources/conformance/v1.4.1}) applied as the suite applies them, with the
 * adaptations the mock server needs, each made here and nowhere else:
 * <ul>
 * <li>{@code {GATEWAY_CLASS_NAME}} becomes {@value #GATEWAY_CLASS} and {@code {GATEWAY_CONTROLLER_NAME}}
 * Meshgate's controller name, as the suite's {@code --gateway-class} flag and controller lookup do;</li>
 * <li>{@code PLACEHOLDER_USABLE_ADDRS} and {@code PLACEHOLDER_UNUSABLE_ADDRS} become {@value #USABLE_ADDRESS}
 * and {@value #UNUSABLE_ADDRESS}, as the suite's {@code --usable-network-addresses} and
 * {@code --unusable-network-addresses} flags make them;</li>
 * <li>Gateways, GatewayClasses and HTTPRoutes written as {@code v1beta1} are stored as {@code v1}: a
 * real API server keeps one storage version of a CRD and serves every version from it (the CRDs
 * convert with {@code strategy: None}), where the mock server keeps each version apart and the
 * controller watches {@code v1};</li>
 * <li>the CRDs' schema defaults are filled in ({@link CrdDefaults}), as a real API server does;</li>
 * <li>a Namespace gets the label {@code kubernetes.io/metadata.name: <name>}, which the API server
 * adds to every Namespace (Kubernetes 1.22 and later) and the manifests' selectors rely on;</li>
 * <li>Deployments are not applied: nothing runs pods. Each Deployment's pods are one
 * {@link EchoBackend} on a loopback port, started when a Service selecting {@code app: <name>}
 * is applied (serving HTTPS with the {@code tls.crt}/{@code tls.key} of the Secret its volume
 * mounts when its container sets {@code TLS_SERVER_CERT}, as echo-basic does),
 * and the Service gets the EndpointSlice the EndpointSlice controller would write:
 * every Service port, with the backend's port as the target port and 127.0.0.1 as the pod
 * address. Services without a selector keep the EndpointSlices of their manifest, as in a
 * cluster. A Deployment whose container sets {@code GRPC_ECHO_SERVER} runs a {@link GrpcEchoBackend}
 * instead, and every port of its Services leads to it;</li>
 * <li>the Secrets and ConfigMaps the suite makes in Go ({@code MustCreateSelfSignedCertSecret})
 * are made by the test class with certificates of its own.</li>
 * </ul>
 */
final class ConformanceCluster implements AutoCloseable {

	static final String GATEWAY_CLASS = "meshgate";

	static final String ROOT = "/conformance/v1.4.1";

	/**
	 * The suite's {@code --usable-network-addresses}: the address the gateway is configured with
	 * ({@code ConformanceSupport.ADDRESS}).
	 */
	static final String USABLE_ADDRESS = "127.0.0.1";

	/** The suite's {@code --unusable-network-addresses}: one the gateway does not have (TEST-NET-1). */
	static final String UNUSABLE_ADDRESS = "192.0.2.1";

	private static final String V1BETA1 = "gateway.networking.k8s.io/v1beta1";

	private static final String V1 = "gateway.networking.k8s.io/v1";

	private static final java.util.Set<String> SERVED_AS_V1 = java.util.Set.of("Gateway", "GatewayClass", "HTTPRoute");

	private final KubernetesClient kube;

	private final KubernetesSerialization serialization;

	private final CrdDefaults defaults;

	/** The Secret of each TLS Deployment (namespace/app), from its manifest. */
	private final Map<String, String> tlsSecrets = new ConcurrentHashMap<>();

	/** One backend per (namespace, app): the pods a Deployment would run. */
	private final Map<String, EchoBackend> backends = new ConcurrentHashMap<>();

	/** The apps (namespace/app) whose Deployment runs echo-basic's gRPC server. */
	private final java.util.Set<String> grpcApps = ConcurrentHashMap.newKeySet();

	/** One gRPC backend per app of {@link #grpcApps}. */
	private final Map<String, GrpcEchoBackend> grpcBackends = new ConcurrentHashMap<>();

	ConformanceCluster(KubernetesClient kube) {
		this.kube = kube;
		this.serialization = kube.getKubernetesSerialization();
		this.defaults = new CrdDefaults(serialization, ROOT + "/crd");
	}

	/** The objects of a manifest ({@code base/manifests.yaml}, {@code tests/<name>.yaml}), adapted as the class says. */
	List<HasMetadata> load(String manifest) {
		return loadText(CrdDefaults.read(ROOT + "/" + manifest));
	}

	/** The objects of a manifest's text, adapted as the class says. */
	List<HasMetadata> loadText(String manifest) {
		String text = manifest.replace("{GATEWAY_CLASS_NAME}", GATEWAY_CLASS)
			.replace("{GATEWAY_CONTROLLER_NAME}", IngressControllerProperties.DEFAULT_CONTROLLER_NAME)
			.replace("PLACEHOLDER_USABLE_ADDRS", USABLE_ADDRESS)
			.replace("PLACEHOLDER_UNUSABLE_ADDRS", UNUSABLE_ADDRESS);
		List<HasMetadata> objects = new ArrayList<>();
		for (String document : text.split("(?m)^---\\s*$")) {
			if (document.lines().allMatch(line -> line.isBlank() || line.trim().startsWith("#"))) {
				continue;
			}
			@SuppressWarnings("unchecked")
			Map<String, Object> tree = serialization.unmarshal(document, LinkedHashMap.class);
			if ("Deployment".equals(tree.get("kind"))) {
				rememberPods(tree);
				continue;
			}
			if (V1BETA1.equals(tree.get("apiVersion")) && SERVED_AS_V1.contains(tree.get("kind"))) {
				tree.put("apiVersion", V1);
			}
			defaults.apply(tree);
			if ("Namespace".equals(tree.get("kind"))) {
				@SuppressWarnings("unchecked")
				Map<String, Object> metadata = (Map<String, Object>) tree.get("metadata");
				@SuppressWarnings("unchecked")
				Map<String, Object> labels = (Map<String, Object>) metadata.computeIfAbsent("labels", k -> new LinkedHashMap<>());
				labels.put("kubernetes.io/metadata.name", metadata.get("name"));
			}
			objects.add(serialization.unmarshal(serialization.asJson(tree)));
		}
		return objects;
	}

	/** Applies a manifest (create, or update when it exists) and returns its objects, for {@link #delete}. */
	List<HasMetadata> apply(String manifest) {
		List<HasMetadata> objects = load(manifest);
		objects.forEach(this::apply);
		return objects;
	}

	/** Applies a manifest given as text, as {@link #apply(String)} does. */
	List<HasMetadata> applyText(String manifest) {
		List<HasMetadata> objects = loadText(manifest);
		objects.forEach(this::apply);
		return objects;
	}

	void apply(HasMetadata object) {
		resource(object).createOr(NonDeletingOperation::update);
		if (object instanceof Service service) {
			endpoints(service);
		}
	}

	/** Deletes what {@link #apply} created, the EndpointSlices made for Services included. */
	void delete(List<HasMetadata> objects) {
		for (HasMetadata object : reversed(objects)) {
			if (object instanceof Service service && selector(service) != null) {
				kube.resources(EndpointSlice.class).inNamespace(namespace(service)).withName(sliceName(service)).delete();
			}
			resource(object).delete();
		}
	}

	/**
	 * The client's handle of an object; a BackendTLSPolicy {@code v1}, which the client's model
	 * lacks, is read generically and handled through its resource definition.
	 */
	private io.fabric8.kubernetes.client.dsl.Resource<? extends HasMetadata> resource(HasMetadata object) {
		if (object instanceof GenericKubernetesResource generic && "BackendTLSPolicy".equals(generic.getKind())) {
			return kube.genericKubernetesResources(BackendTlsPolicies.V1).resource(generic);
		}
		return kube.resource(object);
	}

	/** The pods of a Deployment ({@code app} label) in a namespace. */
	EchoBackend backend(String namespace, String app) {
		return backends.computeIfAbsent(namespace + "/" + app, key -> {
			String pod = app + "-conformance-0";
			String secret = tlsSecrets.get(key);
			return secret == null ? EchoBackend.start(namespace, pod)
					: EchoBackend.startTls(namespace, pod, serverContext(namespace, secret));
		});
	}

	/**
	 * Notes what a Deployment's ({@code metadata.labels.app}) pods are: echo-basic's gRPC server
	 * where its container sets {@code GRPC_ECHO_SERVER}; where it sets {@code TLS_SERVER_CERT}, the
	 * Secret its {@code secret} volume mounts.
	 */
	@SuppressWarnings("unchecked")
	private void rememberPods(Map<String, Object> deployment) {
		String json = serialization.asJson(deployment);
		Map<String, Object> metadata = (Map<String, Object>) deployment.get("metadata");
		String app = ((Map<String, String>) metadata.get("labels")).get("app");
		if (json.contains("\"GRPC_ECHO_SERVER\"")) {
			grpcApps.add(metadata.get("namespace") + "/" + app);
		}
		if (!json.contains("\"TLS_SERVER_CERT\"")) {
			return;
		}
		Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) deployment.get("spec"))
			.get("template")).get("spec");
		for (Map<String, Object> volume : (List<Map<String, Object>>) pod.get("volumes")) {
			if (volume.get("secret") instanceof Map<?, ?> secret) {
				tlsSecrets.put(metadata.get("namespace") + "/" + app, String.valueOf(secret.get("secretName")));
			}
		}
	}

	/** A server TLS context with the certificate and key of a kubernetes.io/tls Secret of the cluster. */
	private SslContext serverContext(String namespace, String name) {
		Secret secret = kube.secrets().inNamespace(namespace).withName(name).get();
		if (secret == null) {
			throw new IllegalStateException("Secret " + namespace + "/" + name + " of a TLS backend does not exist");
		}
		try {
			PemContent certificate = PemContent.of(decode(secret.getData().get("tls.crt")));
			PemContent key = PemContent.of(decode(secret.getData().get("tls.key")));
			return SslContextBuilder.forServer(key.getPrivateKey(), certificate.getCertificates()).build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Secret " + namespace + "/" + name + " holds no usable certificate", ex);
		}
	}

	private static String decode(String base64) {
		return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
	}

	private void endpoints(Service service) {
		String app = selector(service);
		if (app == null) {
			return;
		}
		String key = namespace(service) + "/" + app;
		GrpcEchoBackend grpc = !grpcApps.contains(key) ? null
				: grpcBackends.computeIfAbsent(key, k -> GrpcEchoBackend.start(namespace(service), app + "-conformance-0"));
		EchoBackend backend = grpc == null ? backend(namespace(service), app) : null;
		List<ServicePort> ports = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
		kube.resource(new EndpointSliceBuilder().withNewMetadata()
			.withName(sliceName(service))
			.withNamespace(namespace(service))
			.withLabels(Map.of("kubernetes.io/service-name", service.getMetadata().getName()))
			.endMetadata()
			.withAddressType("IPv4")
			.withPorts(ports.stream()
				.map(p -> new EndpointPortBuilder().withName(p.getName() == null ? "" : p.getName())
					.withPort(grpc != null ? grpc.port() : "kubernetes.io/ws".equals(p.getAppProtocol()) ? backend.webSocketPort()
							: "kubernetes.io/h2c".equals(p.getAppProtocol()) ? backend.h2cPort() : backend.port())
					.withProtocol("TCP")
					.withAppProtocol(p.getAppProtocol())
					.build())
				.toList())
			.withEndpoints(new EndpointBuilder().withAddresses("127.0.0.1")
				.withNewConditions()
				.withReady(true)
				.endConditions()
				.withTargetRef(new ObjectReferenceBuilder().withKind("Pod")
					.withName(grpc != null ? grpc.pod() : backend.pod())
					.withNamespace(namespace(service))
					.build())
				.build())
			.build()).createOr(NonDeletingOperation::update);
	}

	private static String selector(Service service) {
		Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
		return selector == null ? null : selector.get("app");
	}

	private static String sliceName(Service service) {
		return service.getMetadata().getName() + "-conformance";
	}

	private static String namespace(HasMetadata object) {
		return object.getMetadata().getNamespace();
	}

	private static List<HasMetadata> reversed(List<HasMetadata> objects) {
		List<HasMetadata> copy = new ArrayList<>(objects);
		java.util.Collections.reverse(copy);
		return copy;
	}

	KubernetesClient kube() {
		return kube;
	}

	@Override
	public void close() {
		backends.values().forEach(EchoBackend::close);
		grpcBackends.values().forEach(GrpcEchoBackend::close);
		// a later test class applying Services again starts pods again
		backends.clear();
		grpcBackends.clear();
	}

}
