package io.meshgate.gateway.kubernetes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import io.fabric8.kubernetes.api.model.HasMetadata;

import org.springframework.util.StringUtils;

/**
 * Meshgate's extras on Kubernetes objects. Values are written as the admin API's fields are, in
 * YAML flow style ({@code {attempts: 3, perTryTimeout: 1s}}) or as their shortcut strings
 * ({@code cookie:session}); they are bound and checked by the admin API's binder.
 */
public final class Annotations {

	/** HTTPRoute / Ingress: the route's {@code canary.stickyOn}, as {@code cookie:session} or {@code header:x-user}. */
	public static final String STICKY_ON = "meshgate.io/sticky-on";

	/**
	 * HTTPRoute / Ingress: the route's {@code canary.overrideHeader}, as {@code x-canary}. Without it
	 * no request chooses its backend; with it, never one of weight 0 (weight 0 means no traffic).
	 */
	public static final String CANARY_OVERRIDE_HEADER = "meshgate.io/canary-override-header";

	/** HTTPRoute / Ingress: the route's {@code canary.overrideFrom}, as {@code 10.0.0.0/8, 192.168.0.0/16}. */
	public static final String CANARY_OVERRIDE_FROM = "meshgate.io/canary-override-from";

	/** HTTPRoute / Ingress: the route's {@code retries}. */
	public static final String RETRIES = "meshgate.io/retries";

	/**
	 * HTTPRoute / Ingress: the route's {@code extAuthz}, an external authorization service asked
	 * before each request goes on, as in {@code {uri: "http://authz.auth:9000/check",
	 * headersToUpstreamOnAllow: [x-user-id]}}.
	 */
	public static final String EXT_AUTHZ = "meshgate.io/ext-authz";

	/**
	 * HTTPRoute: a rollout of each rule's second backendRef over its first, the route's
	 * {@code canary.rollout} (docs/rollouts.md), as in {@code {steps: [5, 25, 100], stepDuration: 10m}}.
	 * Rules with another number of backendRefs have none. Its state and the step's weights are
	 * Meshgate's (ConfigMap {@code meshgate-rollouts}) and override the backendRefs' weights;
	 * the HTTPRoute is never rewritten, so {@code promoteToBaseline} is refused.
	 */
	public static final String ROLLOUT = "meshgate.io/rollout";

	/** Service: the upstream's {@code loadBalancer}. */
	public static final String LOAD_BALANCER = "meshgate.io/load-balancer";

	/** Service: the upstream's {@code outlierDetection}. */
	public static final String OUTLIER_DETECTION = "meshgate.io/outlier-detection";

	/** Service: the upstream's {@code circuitBreaker}. */
	public static final String CIRCUIT_BREAKER = "meshgate.io/circuit-breaker";

	/**
	 * Service: a {@code kubernetes.io/tls} Secret in its namespace presented as client certificate
	 * (MUTUAL TLS, on even without a BackendTLSPolicy). Deprecated: a Gateway's
	 * {@code spec.tls.backend.clientCertificateRef} ({@link BackendClientCertificates}) says the same
	 * in Gateway API; the annotation still wins where both apply.
	 */
	public static final String CLIENT_CERTIFICATE_SECRET = "meshgate.io/client-certificate-secret";

	private Annotations() {
	}

	public static String get(HasMetadata object, String name) {
		Map<String, String> annotations = object.getMetadata().getAnnotations();
		String value = annotations == null ? null : annotations.get(name);
		return value == null || value.isBlank() ? null : value.trim();
	}

	/**
	 * The route's {@code canary} from {@link #STICKY_ON}, {@link #CANARY_OVERRIDE_HEADER} and
	 * {@link #CANARY_OVERRIDE_FROM}, or null when none is set.
	 */
	public static Map<String, Object> canary(HasMetadata object) {
		Map<String, Object> canary = new LinkedHashMap<>();
		putIfSet(canary, "stickyOn", get(object, STICKY_ON));
		putIfSet(canary, "overrideHeader", get(object, CANARY_OVERRIDE_HEADER));
		String overrideFrom = get(object, CANARY_OVERRIDE_FROM);
		if (overrideFrom != null) {
			canary.put("overrideFrom", List.of(StringUtils.tokenizeToStringArray(overrideFrom, ",")));
		}
		return canary.isEmpty() ? null : canary;
	}

	private static void putIfSet(Map<String, Object> tree, String field, String value) {
		if (value != null) {
			tree.put(field, value);
		}
	}

	/** The value as a configuration tree (a map, a list or a scalar). */
	public static Object tree(HasMetadata object, String name) {
		String value = get(object, name);
		if (value == null) {
			return null;
		}
		try {
			Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(value);
			return tree == null ? value : tree;
		}
		catch (YAMLException ex) {
			throw new IllegalArgumentException(
					name + ": " + value + " (expected: YAML, as in {attempts: 3}; " + ex.getMessage().lines().findFirst().orElse("") + ")");
		}
	}

}
