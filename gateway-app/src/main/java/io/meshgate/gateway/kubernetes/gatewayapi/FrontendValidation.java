package io.meshgate.gateway.kubernetes.gatewayapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;

import io.meshgate.gateway.https.ClientCertificate;
import io.meshgate.gateway.kubernetes.ClusterSnapshot;
import io.meshgate.gateway.kubernetes.ObjectKey;

/**
 * Gateway API frontend client-certificate validation (GEP-91): {@code Gateway.spec.tls.frontend},
 * a {@code default} and {@code perPort} overrides, each {@code {validation: {caCertificateRefs,
 * mode}}}, for the Gateway's HTTPS listeners. The fabric8 model (7.4) predates the field, so it is
 * read from the spec's unknown properties, as the API server stores it.
 *
 * <p>Meshgate serves every Gateway on one HTTPS listener and tells them apart by SNI, so a
 * listener's validation guards its host name (or, without one, handshakes no other name claims):
 * <ul>
 * <li>{@code mode: AllowValidOnly} (the default) is {@link ClientCertificate.Mode#REQUIRE};</li>
 * <li>{@code AllowInsecureFallback} is {@link ClientCertificate.Mode#OPTIONAL}: a client without a
 * certificate passes anonymous; stricter than the specification allows, a certificate that fails
 * verification is still refused (a peer identity is only ever a verified one). The Gateway gets
 * the condition {@code InsecureFrontendValidationMode}.</li>
 * <li>CAs: ConfigMaps, their {@code ca.crt} (Core support), several references joined. A
 * ConfigMap of another namespace needs a ReferenceGrant there from Gateways of the Gateway's
 * namespace, else it is {@code RefNotPermitted}; another kind is {@code InvalidCACertificateKind},
 * a missing ConfigMap or key {@code InvalidCACertificateRef}; in every such case the listener's
 * host refuses every client certificate, so a broken reference never opens a host that asked for validation.</li>
 * </ul>
 */
public final class FrontendValidation {

	public static final String INSECURE_FALLBACK = "AllowInsecureFallback";

	private static final String CA_KEY = "ca.crt";

	private FrontendValidation() {
	}

	/** A CA certificate reference of a validation. */
	public record CaRef(String group, String kind, String namespace, String name) {

	}

	/** What a listener's validation refers to, and why it cannot be used (reason null when it can). */
	public record Resolved(ClientCertificate clientCertificate, String reason, String message) {

	}

	/** The validation of the listener's port: its {@code perPort} entry, else the default; empty when none. */
	static Optional<Map<?, ?>> validation(Gateway gateway, Integer port) {
		Map<?, ?> frontend = map(map(gateway.getSpec().getAdditionalProperties().get("tls")), "frontend");
		if (frontend == null) {
			return Optional.empty();
		}
		if (frontend.get("perPort") instanceof List<?> perPort) {
			for (Object entry : perPort) {
				if (entry instanceof Map<?, ?> portConfig && port != null && portConfig.get("port") instanceof Number number
						&& number.intValue() == port) {
					return Optional.ofNullable(map(map(portConfig, "tls"), "validation"));
				}
			}
		}
		return Optional.ofNullable(map(map(frontend, "default"), "validation"));
	}

	/** The CA references of every validation of the Gateway, for reading the ConfigMaps they name. */
	public static List<CaRef> references(Gateway gateway) {
		List<CaRef> refs = new ArrayList<>();
		if (gateway.getSpec() == null) {
			return refs;
		}
		Map<?, ?> frontend = map(map(gateway.getSpec().getAdditionalProperties().get("tls")), "frontend");
		if (frontend == null) {
			return refs;
		}
		refs.addAll(refs(map(map(frontend, "default"), "validation"), gateway));
		if (frontend.get("perPort") instanceof List<?> perPort) {
			for (Object entry : perPort) {
				refs.addAll(refs(map(map(map(entry), "tls"), "validation"), gateway));
			}
		}
		return refs;
	}

	/** The client-certificate requirement of an HTTPS listener; null when its Gateway asks none. */
	public static Resolved resolve(ClusterSnapshot cluster, Gateway gateway, Listener listener) {
		if (!"HTTPS".equals(listener.getProtocol()) || gateway.getSpec() == null) {
			return null;
		}
		Optional<Map<?, ?>> found = validation(gateway, listener.getPort());
		if (found.isEmpty()) {
			return null;
		}
		Map<?, ?> validation = found.get();
		ClientCertificate.Mode mode = INSECURE_FALLBACK.equals(validation.get("mode")) ? ClientCertificate.Mode.OPTIONAL
				: ClientCertificate.Mode.REQUIRE;
		List<CaRef> refs = refs(validation, gateway);
		if (refs.isEmpty()) {
			return refusing(mode, "InvalidCACertificateRef", "tls.frontend: caCertificateRefs: [] (expected: a ConfigMap with ca.crt)");
		}
		StringBuilder pem = new StringBuilder();
		for (CaRef ref : refs) {
			if (!(ref.group() == null || ref.group().isEmpty()) || !"ConfigMap".equals(ref.kind())) {
				return refusing(mode, "InvalidCACertificateKind", "tls.frontend: caCertificateRefs: " + ref.kind() + " "
						+ ref.name() + " (expected: a ConfigMap of the core group)");
			}
			if (!permitted(cluster, gateway, ref)) {
				return refusing(mode, "RefNotPermitted", "tls.frontend: caCertificateRefs: " + ref.namespace() + "/"
						+ ref.name() + " (expected: a ConfigMap in the Gateway's namespace, or a ReferenceGrant in "
						+ ref.namespace() + " from Gateways of " + gateway.getMetadata().getNamespace() + " to it)");
			}
			String ca = cluster.data("ConfigMap", ref.namespace(), ref.name()).map(data -> data.get(CA_KEY)).orElse(null);
			if (ca == null || ca.isBlank()) {
				return refusing(mode, "InvalidCACertificateRef", "tls.frontend: caCertificateRefs: " + ref.namespace() + "/"
						+ ref.name() + " (expected: a ConfigMap with ca.crt)");
			}
			pem.append(ca.strip()).append('\n');
		}
		return new Resolved(new ClientCertificate(mode, pem.toString(), List.of()), null, null);
	}

	/** Whether the Gateway may use the ConfigMap {@code ref} names: in its namespace, or granted. */
	public static boolean permitted(ClusterSnapshot cluster, Gateway gateway, CaRef ref) {
		ObjectKey configMap = new ObjectKey("ConfigMap", ref.namespace(), ref.name());
		return cluster.referenceGrants().permits("Gateway", gateway.getMetadata().getNamespace(), configMap);
	}

	/** Whether any validation of the Gateway allows clients without a certificate. */
	public static boolean insecureFallback(Gateway gateway) {
		if (gateway.getSpec() == null) {
			return false;
		}
		Map<?, ?> frontend = map(map(gateway.getSpec().getAdditionalProperties().get("tls")), "frontend");
		if (frontend == null) {
			return false;
		}
		if (INSECURE_FALLBACK.equals(value(map(map(frontend, "default"), "validation"), "mode"))) {
			return true;
		}
		if (frontend.get("perPort") instanceof List<?> perPort) {
			for (Object entry : perPort) {
				if (INSECURE_FALLBACK.equals(value(map(map(map(entry), "tls"), "validation"), "mode"))) {
					return true;
				}
			}
		}
		return false;
	}

	/** No CAs: every certificate is refused, and with REQUIRE every client. */
	private static Resolved refusing(ClientCertificate.Mode mode, String reason, String message) {
		return new Resolved(new ClientCertificate(mode, "", List.of()), reason, message);
	}

	private static List<CaRef> refs(Map<?, ?> validation, Gateway gateway) {
		List<CaRef> refs = new ArrayList<>();
		if (validation != null && validation.get("caCertificateRefs") instanceof List<?> list) {
			for (Object entry : list) {
				Map<?, ?> ref = map(entry);
				if (ref != null && value(ref, "name") instanceof String name) {
					Object namespace = value(ref, "namespace");
					refs.add(new CaRef(value(ref, "group") instanceof String g ? g : "",
							value(ref, "kind") instanceof String k ? k : "ConfigMap",
							namespace instanceof String ns ? ns : gateway.getMetadata().getNamespace(), name));
				}
			}
		}
		return refs;
	}

	private static Object value(Map<?, ?> map, String key) {
		return map == null ? null : map.get(key);
	}

	private static Map<?, ?> map(Map<?, ?> map, String key) {
		return map == null ? null : map(map.get(key));
	}

	private static Map<?, ?> map(Object value) {
		return value instanceof Map<?, ?> map ? map : null;
	}

}
