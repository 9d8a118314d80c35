package io.meshgate.gateway.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.meshgate.admin.security.AdminUser;
import io.meshgate.gateway.kubernetes.ClusterSnapshot;
import io.meshgate.gateway.kubernetes.IngressControllerProperties;
import io.meshgate.gateway.kubernetes.KubernetesTranslation;
import io.meshgate.gateway.kubernetes.PemFiles;
import io.meshgate.gateway.listeners.ServedPorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The Kubernetes manifests in {@code config/kubernetes/}, read into fabric8's typed model the
 * way the API server would read them. Besides the fields that matter, every test checks that
 * no key went unrecognised: fabric8 keeps unknown keys (a typo such as {@code readinesProbe})
 * in {@code additionalProperties} instead of failing, and the API server would silently drop
 * them.
 */
class KubernetesManifestsTest {

	private static final String NAMESPACE = "meshgate";

	private static final String ADMIN_SECRET = "meshgate-admin";

	/** Maven runs tests in the module directory; an IDE may run them in the repository root. */
	private static final Path DIR = Stream.of(Path.of("..", "config", "kubernetes"), Path.of("config", "kubernetes"))
		.filter(Files::isDirectory)
		.findFirst()
		.orElse(Path.of("..", "config", "kubernetes"));

	private final KubernetesSerialization serialization = new KubernetesSerialization();

	@Test
	void namespace() throws IOException {
		Namespace namespace = load("namespace.yaml", Namespace.class);

		assertThat(namespace.getMetadata().getName()).isEqualTo(NAMESPACE);
	}

	@Test
	void serviceAccount() throws IOException {
		ServiceAccount account = load("serviceaccount.yaml", ServiceAccount.class);

		assertNamed(account, "meshgate");
		// Discovery talks to the API server with the account's token.
		assertThat(account.getAutomountServiceAccountToken()).isNotEqualTo(Boolean.FALSE);
	}

	@Test
	void role() throws IOException {
		Role role = load("role.yaml", Role.class);

		assertNamed(role, "meshgate");
		// written: the rollouts' own ConfigMaps (those of gone replicas and gone HTTPRoutes deleted)
		// and the Leases; everything else read only
		assertThat(role.getRules()).filteredOn((rule) -> !rule.getApiGroups().contains("coordination.k8s.io")
				&& !rule.getResources().equals(List.of("configmaps")))
			.allSatisfy((rule) -> assertThat(rule.getVerbs()).containsOnly("get", "list", "watch"));
		assertThat(resources(role.getRules(), "")).contains("endpoints", "services", "pods", "configmaps");
		assertThat(resources(role.getRules(), "discovery.k8s.io")).contains("endpointslices");
		// the state, versions and replicas' counters of HTTPRoute rollouts, the counters of replicas gone
		// deleted by the decider (what the code sends is checked against these rules in
		// GatewayApiTrafficTest and HttpRouteRolloutReplicasTest, on the mock API server)
		assertThat(verbs(role.getRules(), "", "configmaps")).containsExactlyInAnyOrder("get", "list", "watch", "create",
				"update", "delete");
		// the ingress controller's status Lease, the rollout decider's
		assertThat(verbs(role.getRules(), "coordination.k8s.io", "leases")).containsExactlyInAnyOrder("create", "get",
				"update", "patch");
	}

	@Test
	void clusterRoleForTheIngressController() throws IOException {
		ClusterRole role = load("clusterrole.yaml", ClusterRole.class);

		assertThat(role.getMetadata().getName()).isEqualTo("meshgate-ingress");
		for (String resource : List.of("gatewayclasses", "gateways", "httproutes", "backendtlspolicies",
				"referencegrants")) {
			assertThat(verbs(role.getRules(), "gateway.networking.k8s.io", resource)).as(resource)
				.contains("get", "list", "watch");
		}
		for (String resource : List.of("gatewayclasses/status", "gateways/status", "httproutes/status")) {
			assertThat(verbs(role.getRules(), "gateway.networking.k8s.io", resource)).as(resource)
				.contains("update", "patch");
		}
		assertThat(verbs(role.getRules(), "gateway.networking.k8s.io", "grpcroutes")).contains("get", "list", "watch");
		assertThat(verbs(role.getRules(), "gateway.networking.k8s.io", "grpcroutes/status")).contains("update", "patch");
		for (String resource : List.of("ingresses", "ingressclasses")) {
			assertThat(verbs(role.getRules(), "networking.k8s.io", resource)).as(resource).contains("get", "list", "watch");
		}
		assertThat(verbs(role.getRules(), "networking.k8s.io", "ingresses/status")).contains("update", "patch");
		for (String resource : List.of("tlsroutes", "tcproutes")) {
			assertThat(verbs(role.getRules(), "gateway.networking.k8s.io", resource)).as(resource)
				.contains("get", "list", "watch");
			assertThat(verbs(role.getRules(), "gateway.networking.k8s.io", resource + "/status")).as(resource)
				.contains("update", "patch");
		}
		for (String resource : List.of("services", "secrets", "configmaps", "namespaces")) {
			assertThat(verbs(role.getRules(), "", resource)).as(resource).contains("get", "list", "watch");
		}
		assertThat(verbs(role.getRules(), "discovery.k8s.io", "endpointslices")).contains("get", "list", "watch");
		// nothing but status is written
		assertThat(role.getRules()).filteredOn((rule) -> rule.getResources().stream().noneMatch((r) -> r.endsWith("/status")))
			.allSatisfy((rule) -> assertThat(rule.getVerbs()).containsOnly("get", "list", "watch"));

		ClusterRoleBinding binding = load("clusterrolebinding.yaml", ClusterRoleBinding.class);
		assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
		assertThat(binding.getRoleRef().getName()).isEqualTo("meshgate-ingress");
		assertThat(binding.getSubjects()).singleElement().satisfies((subject) -> {
			assertThat(subject.getKind()).isEqualTo("ServiceAccount");
			assertThat(subject.getName()).isEqualTo("meshgate");
			assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
		});
	}

	@Test
	void gatewayAndIngressClasses() throws IOException {
		GatewayClass gatewayClass = load("gatewayclass.yaml", GatewayClass.class);
		assertThat(gatewayClass.getMetadata().getName()).isEqualTo("meshgate");
		assertThat(gatewayClass.getSpec().getControllerName()).isEqualTo(IngressControllerProperties.DEFAULT_CONTROLLER_NAME);

		IngressClass ingressClass = load("ingressclass.yaml", IngressClass.class);
		assertThat(ingressClass.getMetadata().getName()).isEqualTo("meshgate");
	}

	@Test
	void exampleGatewayAndHttpRouteAreACanaryWithAMirror() throws IOException {
		Gateway gateway = load("examples/gateway.yaml", Gateway.class);
		HTTPRoute route = load("examples/httproute.yaml", HTTPRoute.class);
		GatewayClass gatewayClass = load("gatewayclass.yaml", GatewayClass.class);
		assertThat(gateway.getSpec().getGatewayClassName()).isEqualTo(gatewayClass.getMetadata().getName());

		// served as the controller would serve it, once its Services exist
		List<Service> services = java.util.stream.Stream.of("orders-v1", "orders-v2", "orders-shadow")
			.map(name -> new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata()
				.withName(name).withNamespace("shop").endMetadata()
				.withNewSpec().addNewPort().withName("http").withPort(80).endPort().endSpec().build())
			.toList();
		KubernetesTranslation translation = KubernetesTranslation.translate(
				new ClusterSnapshot(List.of(gatewayClass), List.of(gateway), List.of(route), null, services, null, null,
						null),
				IngressControllerProperties.DEFAULT_CONTROLLER_NAME, "meshgate", List.of(), ServedPorts.DEFAULT, new PemFiles(Path.of("target")));
		assertThat(translation.config().routes()).singleElement().satisfies((served) -> {
			assertThat(served.backends()).extracting((b) -> b.weight()).containsExactly(90, 10);
			assertThat(served.mirrors()).singleElement().satisfies((m) -> assertThat(m.percentage()).isEqualTo(5.0));
			assertThat(served.match().host()).isEqualTo("shop.example.com");
			assertThat(served.canary().stickyOn()).hasToString("cookie:session");
			assertThat(served.retries().attempts()).isEqualTo(2);
		});
	}

	@Test
	void roleBinding() throws IOException {
		RoleBinding binding = load("rolebinding.yaml", RoleBinding.class);

		assertNamed(binding, "meshgate");
		assertThat(binding.getSubjects()).singleElement().satisfies((subject) -> {
			assertThat(subject.getKind()).isEqualTo("ServiceAccount");
			assertThat(subject.getName()).isEqualTo("meshgate");
			assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
		});
		assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
		assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
		assertThat(binding.getRoleRef().getName()).isEqualTo("meshgate");
	}

	@Test
	@SuppressWarnings("unchecked")
	void configMap() throws IOException {
		ConfigMap configMap = load("configmap.yaml", ConfigMap.class);

		assertNamed(configMap, "meshgate-config");
		assertThat(configMap.getData()).containsOnlyKeys("application.yml");
		Map<String, Object> config = new Yaml().load(configMap.getData().get("application.yml"));
		Map<String, Object> meshgate = (Map<String, Object>) config.get("meshgate");
		assertThat(meshgate).isNotNull();
		assertThat((Map<String, Object>) meshgate.get("demo")).containsEntry("enabled", false);

		List<Map<String, Object>> upstreams = (List<Map<String, Object>>) meshgate.get("upstreams");
		assertThat(upstreams).extracting((upstream) -> upstream.get("name")).containsExactly("orders-v1", "orders-v2");
		assertThat(upstreams).allSatisfy((upstream) -> assertThat((Map<String, Object>) upstream.get("discovery"))
			.containsEntry("serviceId", "orders")
			.containsKey("subset"));

		List<Map<String, Object>> routes = (List<Map<String, Object>>) meshgate.get("routes");
		assertThat(routes).singleElement().satisfies((route) -> {
			assertThat((Map<String, Object>) route.get("match")).containsEntry("path", "/orders/**");
			List<Map<String, Object>> backends = (List<Map<String, Object>>) route.get("backends");
			assertThat(backends).extracting((backend) -> backend.get("upstream"))
				.containsExactly("orders-v1", "orders-v2");
			assertThat(backends).extracting((backend) -> backend.get("weight")).containsExactly(90, 10);
		});

		// The probes in deployment.yaml go to the admin port.
		assertThat(path(config, "management", "server", "port")).isEqualTo(8081);
		assertThat(path(config, "management", "endpoint", "health", "probes", "enabled")).isEqualTo(true);
	}

	@Test
	void deployment() throws IOException {
		Deployment deployment = load("deployment.yaml", Deployment.class);

		assertNamed(deployment, "meshgate");
		assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
		assertThat(deployment.getSpec().getSelector().getMatchLabels())
			.isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());

		PodSpec pod = deployment.getSpec().getTemplate().getSpec();
		assertThat(pod.getServiceAccountName()).isEqualTo("meshgate");
		// preStop sleep (5 s) + graceful shutdown (30 s) must fit before SIGKILL.
		assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(35L);
		assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();

		assertThat(pod.getContainers()).hasSize(1);
		Container container = pod.getContainers().get(0);
		assertThat(container.getImage()).isEqualTo("meshgate:0.1.0");
		assertThat(container.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
			.containsExactlyInAnyOrder(tuple("http", 8080), tuple("https", 8443), tuple("admin", 8081));

		assertProbe(container.getLivenessProbe(), "/actuator/health/liveness");
		assertProbe(container.getReadinessProbe(), "/actuator/health/readiness");
		if (container.getStartupProbe() != null) {
			assertProbe(container.getStartupProbe(), "/actuator/health/liveness");
		}

		Map<String, Quantity> requests = container.getResources().getRequests();
		assertThat(requests).containsEntry("cpu", new Quantity("500m")).containsEntry("memory", new Quantity("512Mi"));
		assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("768Mi"));

		assertThat(env(container, "JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=75");
		assertThat(env(container, "SPRING_CONFIG_ADDITIONAL_LOCATION")).isEqualTo("/config/,/etc/meshgate/admin/");

		assertThat(container.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "5");
		assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();

		// The ConfigMap read-only at /config, an emptyDir at /tmp (the root filesystem is read-only).
		assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/config", "/tmp",
				"/app/data");
		// the file route store (./data in the working directory /app) must be writable
		assertThat(volume(pod, mount(container, "/app/data").getName()).getEmptyDir()).isNotNull();
		VolumeMount config = mount(container, "/config");
		assertThat(config.getReadOnly()).isTrue();
		assertThat(volume(pod, config.getName()).getConfigMap().getName()).isEqualTo("meshgate-config");
		assertThat(volume(pod, mount(container, "/tmp").getName()).getEmptyDir()).isNotNull();

		// the admin users from the Secret, read after the ConfigMap; a pod without it never starts
		VolumeMount users = mount(container, "/etc/meshgate/admin");
		assertThat(users.getReadOnly()).isTrue();
		SecretVolumeSource secret = volume(pod, users.getName()).getSecret();
		assertThat(secret.getSecretName()).isEqualTo(ADMIN_SECRET);
		assertThat(secret.getOptional()).isNotEqualTo(Boolean.TRUE);
	}

	@Test
	@SuppressWarnings("unchecked")
	void adminUsersComeFromAGeneratedSecretWhoseExampleCannotLogIn() throws IOException {
		Map<String, Object> kustomization = new Yaml().load(Files.readString(DIR.resolve("kustomization.yaml")));
		List<Map<String, Object>> generators = (List<Map<String, Object>>) kustomization.get("secretGenerator");
		assertThat(generators).singleElement().satisfies((generator) -> {
			assertThat(generator).containsEntry("name", ADMIN_SECRET);
			assertThat((List<String>) generator.get("files")).containsExactly("application.yml=admin/admin-users.yml");
		});
		// the real file stays out of git; the example next to it holds no usable password
		assertThat(Files.readAllLines(DIR.resolve("admin/.gitignore"))).contains("admin-users.yml");
		Map<String, Object> example = new Yaml().load(Files.readString(DIR.resolve("admin/admin-users.example.yml")));
		List<Map<String, Object>> users = (List<Map<String, Object>>) path(example, "meshgate", "admin", "users");
		assertThat(users).isNotEmpty().allSatisfy((user) -> assertThatThrownBy(() -> new AdminUser(
				(String) user.get("name"), (String) user.get("password"), (List<String>) user.get("roles")))
			.hasMessageStartingWith("password: (hidden) (expected: a bcrypt hash"));
		// and no manifest carries a hash (or the ConfigMap a user list)
		try (Stream<Path> files = Files.walk(DIR)) {
			// (a local admin/admin-users.yml is the operator's own, ignored by git)
			files.filter((file) -> Files.isRegularFile(file) && !file.endsWith(Path.of("admin", "admin-users.yml")))
				.forEach((file) -> assertThat(read(file)).as(file.toString())
				.doesNotContainPattern("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}"));
		}
		Map<String, Object> config = new Yaml()
			.load(load("configmap.yaml", ConfigMap.class).getData().get("application.yml"));
		assertThat((Map<String, Object>) path(config, "meshgate")).doesNotContainKey("admin");
	}

	@Test
	void networkPolicyOpensTheIngressToAllAndTheAdminPortToLabelledPeersOnly() throws IOException {
		NetworkPolicy policy = load("networkpolicy.yaml", NetworkPolicy.class);
		Deployment deployment = load("deployment.yaml", Deployment.class);

		assertNamed(policy, "meshgate");
		assertThat(policy.getSpec().getPodSelector().getMatchLabels())
			.isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
		assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
		List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
		assertThat(rules).filteredOn((rule) -> rule.getFrom() == null || rule.getFrom().isEmpty())
			.singleElement()
			.satisfies((open) -> assertThat(open.getPorts()).extracting((port) -> port.getPort().getIntVal())
				.containsExactlyInAnyOrder(8080, 8443));
		NetworkPolicyIngressRule admin = rules.stream()
			.filter((rule) -> rule.getPorts().stream().anyMatch((port) -> port.getPort().getIntVal() == 8081))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no rule for the admin port"));
		assertThat(admin.getPorts()).extracting((port) -> port.getPort().getIntVal()).containsExactly(8081);
		assertThat(admin.getFrom()).isNotEmpty().allSatisfy((peer) -> {
			assertThat(peer.getIpBlock()).isNull();
			Map<String, String> labels = peer.getPodSelector() != null ? peer.getPodSelector().getMatchLabels()
					: peer.getNamespaceSelector().getMatchLabels();
			assertThat(labels).containsExactly(Map.entry("meshgate.io/admin-access", "true"));
		});
		assertThat(admin.getFrom()).anySatisfy((peer) -> assertThat(peer.getNamespaceSelector()).isNotNull());
	}

	@Test
	void service() throws IOException {
		Service service = load("service.yaml", Service.class);
		Deployment deployment = load("deployment.yaml", Deployment.class);

		assertNamed(service, "meshgate");
		assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
		assertThat(service.getSpec().getSelector())
			.isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
		assertThat(service.getSpec().getPorts())
			.extracting(ServicePort::getName, ServicePort::getPort, ServicePort::getTargetPort)
			.containsExactly(tuple("http", 80, new IntOrString(8080)), tuple("https", 443, new IntOrString(8443)));
		// The admin port (actuator) stays inside the cluster.
		assertThat(service.getSpec().getPorts()).extracting(ServicePort::getPort).doesNotContain(8081);
		assertThat(service.getSpec().getPorts()).extracting(ServicePort::getTargetPort)
			.doesNotContain(new IntOrString(8081), new IntOrString("admin"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void kustomization() throws IOException {
		Map<String, Object> kustomization = new Yaml().load(Files.readString(DIR.resolve("kustomization.yaml")));

		assertThat(kustomization).containsEntry("kind", "Kustomization").containsEntry("namespace", NAMESPACE);
		List<String> manifests;
		try (Stream<Path> files = Files.list(DIR)) {
			manifests = files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(".yaml") && !name.equals("kustomization.yaml"))
				.toList();
		}
		assertThat((List<String>) kustomization.get("resources")).containsExactlyInAnyOrderElementsOf(manifests);
	}

	private <T extends HasMetadata> T load(String file, Class<T> type) throws IOException {
		T resource;
		try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
			resource = serialization.unmarshal(in, type);
		}
		assertThat(resource).as(file).isNotNull();
		assertThat(resource.getKind()).as(file).isEqualTo(type.getSimpleName());
		assertNoUnknownKeys(file, resource);
		return resource;
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static void assertNamed(HasMetadata resource, String name) {
		assertThat(resource.getMetadata().getName()).isEqualTo(name);
		assertThat(resource.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
	}

	private static List<String> resources(List<PolicyRule> rules, String apiGroup) {
		return rules.stream()
			.filter((rule) -> rule.getApiGroups().contains(apiGroup))
			.flatMap((rule) -> rule.getResources().stream())
			.toList();
	}

	private static List<String> verbs(List<PolicyRule> rules, String apiGroup, String resource) {
		return rules.stream()
			.filter((rule) -> rule.getApiGroups().contains(apiGroup) && rule.getResources().contains(resource))
			.flatMap((rule) -> rule.getVerbs().stream())
			.toList();
	}

	private static void assertProbe(Probe probe, String path) {
		assertThat(probe).as(path).isNotNull();
		HTTPGetAction get = probe.getHttpGet();
		assertThat(get.getPath()).isEqualTo(path);
		// The admin (management) port, by name or number; never the ingress port.
		assertThat(get.getPort()).isIn(new IntOrString("admin"), new IntOrString(8081));
	}

	private static String env(Container container, String name) {
		return container.getEnv()
			.stream()
			.filter((env) -> env.getName().equals(name))
			.map(EnvVar::getValue)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no env " + name));
	}

	private static VolumeMount mount(Container container, String path) {
		return container.getVolumeMounts()
			.stream()
			.filter((mount) -> mount.getMountPath().equals(path))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no volume mounted at " + path));
	}

	private static Volume volume(PodSpec pod, String name) {
		return pod.getVolumes()
			.stream()
			.filter((volume) -> volume.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no volume " + name));
	}

	@SuppressWarnings("unchecked")
	private static Object path(Map<String, Object> yaml, String... keys) {
		Object node = yaml;
		for (String key : keys) {
			assertThat(node).as(String.join(".", keys)).isInstanceOf(Map.class);
			node = ((Map<String, Object>) node).get(key);
		}
		return node;
	}

	/**
	 * Walks the typed model and fails on any key fabric8 did not recognise (kept in an
	 * {@code additionalProperties} map).
	 */
	private static void assertNoUnknownKeys(String file, Object resource) {
		List<String> unknown = new ArrayList<>();
		collectUnknownKeys(resource, "", unknown);
		assertThat(unknown).as("keys in %s that Kubernetes does not know", file).isEmpty();
	}

	private static void collectUnknownKeys(Object node, String path, List<String> unknown) {
		if (node == null) {
			return;
		}
		if (node instanceof Collection<?> collection) {
			int i = 0;
			for (Object element : collection) {
				collectUnknownKeys(element, path + "[" + i++ + "]", unknown);
			}
			return;
		}
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> collectUnknownKeys(value, path + "." + key, unknown));
			return;
		}
		if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model.")) {
			return;
		}
		if (node instanceof Quantity || node instanceof IntOrString) {
			return; // scalar values (500m, 8080, "admin"), not objects with keys
		}
		for (Method getter : node.getClass().getMethods()) {
			if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
					|| !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
				continue;
			}
			Object value;
			try {
				value = getter.invoke(node);
			}
			catch (IllegalAccessException | InvocationTargetException ex) {
				continue;
			}
			String property = decapitalize(getter.getName().substring(3));
			if (getter.getName().equals("getAdditionalProperties")) {
				if (value instanceof Map<?, ?> extra) {
					extra.keySet().forEach((key) -> unknown.add(path + "." + key));
				}
			}
			else {
				collectUnknownKeys(value, path + "." + property, unknown);
			}
		}
	}

	private static String decapitalize(String name) {
		return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
	}

}
