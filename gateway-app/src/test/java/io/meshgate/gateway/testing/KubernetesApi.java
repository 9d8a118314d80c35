package io.meshgate.gateway.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * fabric8's mock Kubernetes API server in CRUD mode (objects written are read, listed and watched
 * back), with a client of it. Register it on a static field:
 * {@code @RegisterExtension static final KubernetesApi API = new KubernetesApi();}. It starts when
 * the field is set, so that static initializers and {@code @DynamicPropertySource} methods can use
 * it, and stops when the whole test run ends: a Spring context of the class may watch it until
 * the context closes, which happens after the class's own callbacks.
 */
public final class KubernetesApi implements BeforeAllCallback, AutoCloseable {

	private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
			new HashMap<>(), new KubernetesCrudDispatcher(), false);

	/** The User-Agent of the test's own client: its requests are not the gateway's ({@link #gatewayRequests}). */
	private static final String TEST_USER_AGENT = "meshgate-test-client";

	private final KubernetesClient client;

	public KubernetesApi() {
		server.init();
		client = server.createClient(builder -> builder.editOrNewConfig().withUserAgent(TEST_USER_AGENT).endConfig());
	}

	/** A client of the mock server, for the test to write the objects the gateway should see. */
	public KubernetesClient client() {
		return client;
	}

	/** Points the gateway's Kubernetes client (Spring Cloud Kubernetes) at this server, in {@code namespace}. */
	public void gatewayProperties(DynamicPropertyRegistry properties, String namespace) {
		gatewayProperties(namespace).forEach(property -> {
			int equals = property.indexOf('=');
			properties.add(property.substring(0, equals), () -> property.substring(equals + 1));
		});
	}

	/** The same as {@code name=value} lines, for an application started by the test itself. */
	public List<String> gatewayProperties(String namespace) {
		return List.of("spring.main.cloud-platform=kubernetes",
				"spring.cloud.kubernetes.client.master-url=" + client.getConfiguration().getMasterUrl(),
				"spring.cloud.kubernetes.client.namespace=" + namespace,
				"spring.cloud.kubernetes.client.trust-certs=true");
	}

	/**
	 * The command line of a gateway replica on the kubernetes store of this server, in
	 * {@code namespace}: ports 0, no demo, an editor login.
	 */
	public List<String> replicaArguments(String namespace) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--meshgate.demo.enabled=false", "--meshgate.store.type=kubernetes",
				"--meshgate.admin.users[0].name=" + TestUsers.EDITOR,
				"--meshgate.admin.users[0].password=" + TestUsers.EDITOR_HASH, "--meshgate.admin.users[0].roles[0]=editor"));
		gatewayProperties(namespace).forEach(property -> args.add("--" + property));
		return args;
	}

	/**
	 * The properties of a gateway whose ingress controller watches this server in {@code namespace},
	 * named {@code identity} in the status Lease: no demo, an editor login, a route store and a
	 * certificate directory of its own, the admin server on a free port.
	 */
	public void controllerProperties(DynamicPropertyRegistry properties, String namespace, String identity) {
		properties.add("management.server.port", () -> "0");
		properties.add("meshgate.demo.enabled", () -> "false");
		properties.add("meshgate.admin.users[0].name", () -> TestUsers.EDITOR);
		properties.add("meshgate.admin.users[0].password", () -> TestUsers.EDITOR_HASH);
		properties.add("meshgate.admin.users[0].roles[0]", () -> "editor");
		properties.add("meshgate.store.path", () -> "target/stores/" + identity + "-" + UUID.randomUUID());
		gatewayProperties(properties, namespace);
		properties.add("meshgate.kubernetes.ingress.enabled", () -> "true");
		properties.add("meshgate.kubernetes.ingress.identity", () -> identity);
		properties.add("meshgate.kubernetes.ingress.certificate-directory", () -> "target/k8s-tls-" + UUID.randomUUID());
	}

	/**
	 * The requests the gateway sent since the last call (the test's own client's left out), oldest
	 * first: what its ServiceAccount must be allowed to do ({@link ManifestRbac}).
	 */
	public List<RecordedRequest> gatewayRequests() {
		List<RecordedRequest> requests = new ArrayList<>();
		try {
			for (RecordedRequest request; (request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null;) {
				if (!TEST_USER_AGENT.equals(request.getHeader("User-Agent"))) {
					requests.add(request);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while reading the requests", ex);
		}
		return requests;
	}

	/** Creates or updates the objects of a YAML text of {@code ---}-separated documents. */
	public void apply(String yaml) {
		for (String document : yaml.split("(?m)^---$")) {
			if (document.lines().anyMatch(line -> line.startsWith("kind:"))) {
				HasMetadata object = client.getKubernetesSerialization().unmarshal(document);
				client.resource(object).createOr(NonDeletingOperation::update);
			}
		}
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		// closed by JUnit with the root context's store, once every class has run
		context.getRoot().getStore(ExtensionContext.Namespace.create(KubernetesApi.class)).put(this, this);
	}

	/** Closes the client and stops the server. */
	@Override
	public void close() {
		client.close();
		server.destroy();
	}

}
