package io.meshgate.gateway.kubernetes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha3.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha3.BackendTLSPolicyValidation;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha3.SubjectAltName;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import static io.meshgate.gateway.kubernetes.GenericFields.entries;
import static io.meshgate.gateway.kubernetes.GenericFields.map;
import static io.meshgate.gateway.kubernetes.GenericFields.text;

/**
 * Reads the cluster's BackendTLSPolicies: {@code v1} generically (the client's model has none) and
 * {@code v1alpha3} typed (served by clusters with Gateway API before v1.4). Where an API server
 * serves both versions one policy shows in both lists and is kept once, as {@code v1}.
 */
public final class BackendTlsPolicies {

	/** BackendTLSPolicy {@code v1}, which the client's model lacks: read generically. */
	public static final ResourceDefinitionContext V1 = new ResourceDefinitionContext.Builder()
		.withGroup("gateway.networking.k8s.io")
		.withVersion("v1")
		.withKind("BackendTLSPolicy")
		.withPlural("backendtlspolicies")
		.withNamespaced(true)
		.build();

	private BackendTlsPolicies() {
	}

	public static List<BackendTlsPolicy> of(Collection<BackendTLSPolicy> v1alpha3,
			Collection<GenericKubernetesResource> v1) {
		Map<ObjectKey, BackendTlsPolicy> policies = new LinkedHashMap<>();
		for (GenericKubernetesResource policy : v1 == null ? List.<GenericKubernetesResource>of() : v1) {
			BackendTlsPolicy read = v1(policy);
			policies.putIfAbsent(key(read), read);
		}
		for (BackendTLSPolicy policy : v1alpha3 == null ? List.<BackendTLSPolicy>of() : v1alpha3) {
			BackendTlsPolicy read = v1alpha3(policy);
			policies.putIfAbsent(key(read), read);
		}
		return List.copyOf(policies.values());
	}

	private static BackendTlsPolicy v1(GenericKubernetesResource policy) {
		Map<?, ?> spec = map(policy.getAdditionalProperties().get("spec"));
		List<BackendTlsPolicy.TargetRef> targets = new ArrayList<>();
		for (Map<?, ?> ref : entries(spec.get("targetRefs"))) {
			targets.add(new BackendTlsPolicy.TargetRef(text(ref, "group"), text(ref, "kind"), text(ref, "name"),
					text(ref, "sectionName")));
		}
		Map<?, ?> validation = map(spec.get("validation"));
		List<String> configMaps = new ArrayList<>();
		for (Map<?, ?> ref : entries(validation.get("caCertificateRefs"))) {
			configMaps.add(text(ref, "name"));
		}
		List<String> sans = new ArrayList<>();
		for (Map<?, ?> san : entries(validation.get("subjectAltNames"))) {
			sans.add(subjectAltName(text(san, "type"), text(san, "hostname"), text(san, "uri")));
		}
		return new BackendTlsPolicy(policy.getMetadata().getNamespace(), policy.getMetadata().getName(),
				policy.getMetadata().getCreationTimestamp(), targets,
				configMaps, text(validation, "wellKnownCACertificates"), text(validation, "hostname"), sans);
	}

	private static BackendTlsPolicy v1alpha3(BackendTLSPolicy policy) {
		List<BackendTlsPolicy.TargetRef> targets = new ArrayList<>();
		BackendTLSPolicyValidation validation = policy.getSpec() == null || policy.getSpec().getValidation() == null
				? new BackendTLSPolicyValidation() : policy.getSpec().getValidation();
		if (policy.getSpec() != null && policy.getSpec().getTargetRefs() != null) {
			policy.getSpec()
				.getTargetRefs()
				.forEach(ref -> targets.add(new BackendTlsPolicy.TargetRef(ref.getGroup(), ref.getKind(), ref.getName(),
						ref.getSectionName())));
		}
		List<String> configMaps = new ArrayList<>();
		if (validation.getCaCertificateRefs() != null) {
			validation.getCaCertificateRefs().forEach(ref -> configMaps.add(ref.getName()));
		}
		List<String> sans = new ArrayList<>();
		for (SubjectAltName san : validation.getSubjectAltNames() == null ? List.<SubjectAltName>of()
				: validation.getSubjectAltNames()) {
			sans.add(subjectAltName(san.getType(), san.getHostname(), san.getUri()));
		}
		return new BackendTlsPolicy(policy.getMetadata().getNamespace(), policy.getMetadata().getName(),
				policy.getMetadata().getCreationTimestamp(), targets,
				configMaps, validation.getWellKnownCACertificates(), validation.getHostname(), sans);
	}

	/** The value of a {@code type: Hostname} or {@code type: URI} entry; empty for another type or no value. */
	private static String subjectAltName(String type, String hostname, String uri) {
		String value = "Hostname".equals(type) ? hostname : "URI".equals(type) ? uri : null;
		return value == null ? "" : value;
	}

	private static ObjectKey key(BackendTlsPolicy policy) {
		return new ObjectKey("BackendTLSPolicy", policy.namespace(), policy.name());
	}

}
