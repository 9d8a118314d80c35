package io.meshgate.gateway.kubernetes;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TCPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha3.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

import io.meshgate.admin.api.AdminService;
import io.meshgate.admin.api.ConfigOverlay;
import io.meshgate.admin.model.InvalidConfigException;
import io.meshgate.gateway.https.HttpsCertificates;
import io.meshgate.gateway.kubernetes.gatewayapi.FrontendValidation;
import io.meshgate.gateway.kubernetes.rollout.HttpRouteRollouts;
import io.meshgate.gateway.kubernetes.status.Leadership;
import io.meshgate.gateway.kubernetes.status.LeaseTiming;
import io.meshgate.gateway.kubernetes.status.StatusWriter;
import io.meshgate.gateway.listeners.ServedPorts;
import io.meshgate.policy.route.MeshConfig;

/**
 * Serves Gateway API and Ingress objects: informers on GatewayClass, Gateway, HTTPRoute, GRPCRoute,
 * BackendTLSPolicy ({@code v1alpha3} and {@code v1}), ReferenceGrant ({@code v1beta1} and {@code v1}), Service, Namespace (the
 * labels {@code allowedRoutes} selects on), Ingress and IngressClass, TLSRoute and TCPRoute
 * ({@code v1alpha2}); any change schedules one
 * translation after a short debounce, on a thread of its own (never an informer's). The translation runs as the
 * read-only {@value #SOURCE} configuration through the admin service, checked whole with the admin
 * store's configuration like an edit; if it does not fit, the last good one keeps running. The
 * replica holding the Lease then writes the statuses. A resource the cluster does not have (Gateway
 * API CRDs not installed) counts as empty, and is retried.
 */
public final class IngressController implements SmartLifecycle {

	/** The source name of the routes and upstreams from Kubernetes, as the admin API shows it. */
	public static final String SOURCE = "kubernetes";

	private static final Log log = LogFactory.getLog(IngressController.class);

	/** The names under which the generic informers are watched and listed. */
	private static final String BACKEND_TLS_POLICY_V1 = "BackendTLSPolicy v1";

	private static final String REFERENCE_GRANT_V1 = "ReferenceGrant v1";

	private final KubernetesClient client;

	private final AdminService admin;

	private final HttpsCertificates certificates;

	private final IngressControllerProperties properties;

	private final Leadership leadership;

	private final StatusWriter statusWriter;

	private final PemFiles pemFiles;

	private final ServedPorts served;

	private final HttpRouteRollouts rollouts;

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "meshgate-kubernetes-ingress");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicBoolean pending = new AtomicBoolean();

	private volatile List<Watched<?>> watched = List.of();

	private volatile boolean running;

	private volatile KubernetesTranslation last;

	/** The routes last applied: the translation's, with the HTTPRoute rollouts' weights. */
	private MeshConfig applied;

	private Map<ObjectKey, String> lastProblems = Map.of();

	/**
	 * @param certificates where HTTPS certificates from Secrets go; null without the HTTPS listener
	 * @param served the listener ports this gateway serves
	 * @param rollouts the state of the rollouts declared on HTTPRoutes, put over their weights
	 */
	public IngressController(KubernetesClient client, AdminService admin, HttpsCertificates certificates,
			IngressControllerProperties properties, ServedPorts served, HttpRouteRollouts rollouts, Clock clock) {
		this.client = client;
		this.rollouts = rollouts;
		this.served = served;
		this.admin = admin;
		this.certificates = certificates;
		this.properties = properties;
		String namespace = properties.leaseNamespace() != null ? properties.leaseNamespace()
				: client.getNamespace() != null ? client.getNamespace() : "default";
		// a new leader writes status at once instead of at the next change
		this.leadership = new Leadership(client, namespace, properties.leaseName(), properties.identity(),
				"writes Kubernetes status", LeaseTiming.DEFAULT, this::changed);
		this.statusWriter = new StatusWriter(client, properties.controllerName(), clock);
		this.pemFiles = new PemFiles(properties.certificateDirectory());
	}

	/** Whether this replica holds the Lease and writes status. */
	public boolean leader() {
		return leadership.leader();
	}

	/** The last translation (routes and their owners, statuses); null before the first one. */
	public KubernetesTranslation last() {
		return last;
	}

	@Override
	public synchronized void start() {
		running = true;
		watched = List.of(watch(GatewayClass.class, false), watch(Gateway.class, true), watch(HTTPRoute.class, true),
				watch(BackendTLSPolicy.class, true), watch(BACKEND_TLS_POLICY_V1, GenericKubernetesResource.class,
						client.genericKubernetesResources(BackendTlsPolicies.V1).inAnyNamespace().runnableInformer(0)),
				watch(ReferenceGrant.class, true),
				watch(REFERENCE_GRANT_V1, GenericKubernetesResource.class,
						client.genericKubernetesResources(ReferenceGrants.V1).inAnyNamespace().runnableInformer(0)),
				watch(Service.class, true), watch(Namespace.class, false), watch(Ingress.class, true),
				watch(IngressClass.class, false), watch(GRPCRoute.class, true), watch(TLSRoute.class, true),
				watch(TCPRoute.class, true));
		leadership.start();
		rollouts.watch(this::changed);
		long resync = properties.resync().toMillis();
		executor.scheduleWithFixedDelay(this::changed, resync, resync, TimeUnit.MILLISECONDS);
		log.info("Serving Gateway API objects of controller " + properties.controllerName() + " and Ingresses of class "
				+ properties.ingressClass());
	}

	@Override
	public synchronized void stop() {
		running = false;
		watched.forEach(w -> w.informer().close());
		watched = List.of();
		leadership.close();
		rollouts.close();
		executor.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Runs a translation soon, at most one per debounce interval. */
	public void changed() {
		if (running && pending.compareAndSet(false, true)) {
			executor.schedule(this::translate, properties.debounce().toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void translate() {
		pending.set(false);
		if (watched.isEmpty() || !watched.stream().allMatch(Watched::usable)) {
			changed(); // a partial view would drop routes and write wrong statuses: wait for every informer
			return;
		}
		try {
			ClusterSnapshot cluster = new ClusterSnapshot(list(GatewayClass.class), list(Gateway.class),
					list(HTTPRoute.class),
					BackendTlsPolicies.of(list(BackendTLSPolicy.class),
							list(BACKEND_TLS_POLICY_V1, GenericKubernetesResource.class)),
					list(Service.class), list(Ingress.class), list(IngressClass.class),
					ReferenceGrants.of(list(ReferenceGrant.class), list(REFERENCE_GRANT_V1, GenericKubernetesResource.class)),
					list(Namespace.class), null);
			cluster = cluster.withGrpcRoutes(list(GRPCRoute.class)).withL4Routes(list(TLSRoute.class), list(TCPRoute.class));
			cluster = cluster.withData(referencedData(cluster));
			KubernetesTranslation translation = KubernetesTranslation.translate(cluster, properties.controllerName(),
					properties.ingressClass(), addresses(), served, pemFiles);
			reportProblems(translation.ingress().problems());
			KubernetesTranslation previous = last;
			MeshConfig config = rollouts.apply(translation.config());
			if (!config.equals(applied)) {
				try {
					admin.replaceOverlay(new ConfigOverlay(SOURCE, config));
				}
				catch (InvalidConfigException ex) {
					log.error("Kubernetes routes not applied, the last good ones keep running: " + ex.errors());
					return;
				}
				applied = config;
			}
			if (certificates != null && (previous == null || !previous.certificates().equals(translation.certificates()))) {
				certificates.replace(SOURCE, translation.certificates());
			}
			last = translation;
			if (leadership.leader()) {
				statusWriter.write(cluster, translation);
			}
		}
		catch (RuntimeException ex) {
			log.error("Translating Kubernetes objects failed; the last good routes keep running", ex);
		}
	}

	private void reportProblems(Map<ObjectKey, String> problems) {
		if (!problems.equals(lastProblems)) {
			problems.forEach((key, problem) -> log.warn(key + " is not served: " + problem));
			lastProblems = problems;
		}
	}

	/** The addresses written into status: configured, or those of the published Service. */
	private List<String> addresses() {
		if (!properties.addresses().isEmpty() || properties.publishService() == null) {
			return properties.addresses();
		}
		String[] parts = properties.publishService().split("/");
		Service service = client.services().inNamespace(parts[0]).withName(parts[1]).get();
		if (service == null) {
			return List.of();
		}
		List<String> addresses = new ArrayList<>();
		if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null
				&& service.getStatus().getLoadBalancer().getIngress() != null) {
			service.getStatus().getLoadBalancer().getIngress().forEach(i -> addresses.add(i.getIp() != null ? i.getIp() : i.getHostname()));
		}
		if (addresses.isEmpty() && service.getSpec() != null && service.getSpec().getClusterIP() != null
				&& !"None".equals(service.getSpec().getClusterIP())) {
			addresses.add(service.getSpec().getClusterIP());
		}
		return addresses.stream().filter(Objects::nonNull).toList();
	}

	/**
	 * ConfigMaps and Secrets the objects name, read now (they are not watched: the resync picks up
	 * changes). A Gateway's Secret or CA ConfigMap of another namespace is read only while a
	 * ReferenceGrant permits it.
	 */
	private Map<ObjectKey, Map<String, String>> referencedData(ClusterSnapshot cluster) {
		Map<ObjectKey, Map<String, String>> data = new LinkedHashMap<>();
		for (BackendTlsPolicy policy : cluster.backendTlsPolicies()) {
			policy.caConfigMaps().forEach(name -> configMap(data, policy.namespace(), name));
		}
		for (Service service : cluster.services()) {
			String secret = Annotations.get(service, Annotations.CLIENT_CERTIFICATE_SECRET);
			if (secret != null) {
				secret(data, service.getMetadata().getNamespace(), secret);
			}
		}
		for (Ingress ingress : cluster.ingresses()) {
			if (ingress.getSpec() != null && ingress.getSpec().getTls() != null) {
				for (IngressTLS tls : ingress.getSpec().getTls()) {
					if (tls.getSecretName() != null) {
						secret(data, ingress.getMetadata().getNamespace(), tls.getSecretName());
					}
				}
			}
		}
		for (Gateway gateway : cluster.gateways()) {
			for (Listener listener : gateway.getSpec() == null || gateway.getSpec().getListeners() == null
					? List.<Listener>of() : gateway.getSpec().getListeners()) {
				if (listener.getTls() != null && listener.getTls().getCertificateRefs() != null) {
					for (SecretObjectReference ref : listener.getTls().getCertificateRefs()) {
						String from = gateway.getMetadata().getNamespace();
						String namespace = ref.getNamespace() != null ? ref.getNamespace() : from;
						if (cluster.referenceGrants().permits("Gateway", from, new ObjectKey("Secret", namespace, ref.getName()))) {
							secret(data, namespace, ref.getName());
						}
					}
				}
			}
			ObjectKey backendCertificate = BackendClientCertificates.secret(gateway, cluster);
			if (backendCertificate != null) {
				secret(data, backendCertificate.namespace(), backendCertificate.name());
			}
			for (FrontendValidation.CaRef ref : FrontendValidation.references(gateway)) {
				if ("ConfigMap".equals(ref.kind()) && FrontendValidation.permitted(cluster, gateway, ref)) {
					configMap(data, ref.namespace(), ref.name());
				}
			}
		}
		return data;
	}

	private void configMap(Map<ObjectKey, Map<String, String>> data, String namespace, String name) {
		ObjectKey key = new ObjectKey("ConfigMap", namespace, name);
		if (!data.containsKey(key)) {
			try {
				ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
				if (map != null && map.getData() != null) {
					data.put(key, Map.copyOf(map.getData()));
				}
			}
			catch (RuntimeException ex) {
				log.warn("Reading " + key + " failed: " + ex.getMessage());
			}
		}
	}

	private void secret(Map<ObjectKey, Map<String, String>> data, String namespace, String name) {
		ObjectKey key = new ObjectKey("Secret", namespace, name);
		if (!data.containsKey(key)) {
			try {
				Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
				if (secret != null && secret.getData() != null) {
					Map<String, String> decoded = new LinkedHashMap<>();
					secret.getData()
						.forEach((k, v) -> decoded.put(k, new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
					data.put(key, decoded);
				}
			}
			catch (RuntimeException ex) {
				log.warn("Reading " + key + " failed: " + ex.getMessage());
			}
		}
	}

	private <T extends HasMetadata> List<T> list(Class<T> type) {
		return list(type.getSimpleName(), type);
	}

	/** The objects the informer watched under {@code name} holds; none while its watch fails. */
	@SuppressWarnings("unchecked")
	private <T extends HasMetadata> List<T> list(String name, Class<T> type) {
		for (Watched<?> w : watched) {
			if (w.name().equals(name) && w.type().equals(type)) {
				return w.failed().get() ? List.of() : (List<T>) w.informer().getStore().list();
			}
		}
		return List.of();
	}

	private <T extends HasMetadata> Watched<T> watch(Class<T> type, boolean namespaced) {
		return watch(type.getSimpleName(), type, namespaced ? client.resources(type).inAnyNamespace().runnableInformer(0)
				: client.resources(type).runnableInformer(0));
	}

	/** Watches with {@code informer}; its objects are listed by {@code name} and {@code type}. */
	private <T extends HasMetadata> Watched<T> watch(String name, Class<T> type, SharedIndexInformer<T> informer) {
		Watched<T> result = new Watched<>(name, type, informer, new AtomicBoolean());
		informer.addEventHandler(new ResourceEventHandler<>() {
			@Override
			public void onAdd(T object) {
				changed();
			}

			@Override
			public void onUpdate(T before, T after) {
				changed();
			}

			@Override
			public void onDelete(T object, boolean finalStateUnknown) {
				changed();
			}
		});
		informer.exceptionHandler((started, error) -> {
			if (!result.failed().getAndSet(true)) {
				log.warn("Watching " + name + " failed (is its CRD installed, may the gateway list it?); "
						+ "taken as none and retried: " + error.getMessage());
				changed();
			}
			return true;
		});
		informer.start().whenComplete((ignored, error) -> {
			if (error == null) {
				result.failed().set(false);
				changed();
			}
		});
		return result;
	}

	private record Watched<T extends HasMetadata>(String name, Class<T> type, SharedIndexInformer<T> informer, AtomicBoolean failed) {

		boolean usable() {
			return informer.hasSynced() || failed.get();
		}

	}

}
