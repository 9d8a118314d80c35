package io.meshgate.gateway.kubernetes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.PolicyAncestorStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.PolicyStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha3.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha3.BackendTLSPolicyValidation;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha3.SubjectAltName;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

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
	public static final ResourceDefinitionContext V1 = context("v1");

	/** BackendTLSPolicy {@code v1alpha3}, read typed; its status is written generically, as {@code v1}'s. */
	public static final ResourceDefinitionContext V1ALPHA3 = context("v1alpha3");

	private static ResourceDefinitionContext context(String version) {
		return new ResourceDefinitionContext.Builder().withGroup("gateway.networking.k8s.io")
			.withVersion(version)
			.withKind("BackendTLSPolicy")
			.withPlural("backendtlspolicies")
			.withNamespaced(true)
			.build();
	}

	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	private BackendTlsPolicies() {
	}

	public static List<BackendTlsPolicy> of(Collection<BackendTLSPolicy> v1alpha3,
			Collection<GenericKubernetesResource> v1) {
		Map<ObjectKey, BackendTlsPolicy> policies = new LinkedHashMap<>();
		for (GenericKubernetesResource policy : v1 == null ? List.<GenericKubernetesResource>of() : v1) {
			BackendTlsPolicy read = v1(policy);
			policies.putIfAbsent(read.key(), read);
		}
		for (BackendTLSPolicy policy : v1alpha3 == null ? List.<BackendTLSPolicy>of() : v1alpha3) {
			BackendTlsPolicy read = v1alpha3(policy);
			policies.putIfAbsent(read.key(), read);
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
		List<BackendTlsPolicy.CaRef> cas = new ArrayList<>();
		for (Map<?, ?> ref : entries(validation.get("caCertificateRefs"))) {
			cas.add(new BackendTlsPolicy.CaRef(text(ref, "group"), text(ref, "kind"), text(ref, "name")));
		}
		List<String> sans = new ArrayList<>();
		for (Map<?, ?> san : entries(validation.get("subjectAltNames"))) {
			sans.add(subjectAltName(text(san, "type"), text(san, "hostname"), text(san, "uri")));
		}
		return new BackendTlsPolicy("v1", policy.getMetadata().getNamespace(), policy.getMetadata().getName(),
				policy.getMetadata().getCreationTimestamp(), policy.getMetadata().getGeneration(), targets, cas,
				text(validation, "wellKnownCACertificates"), text(validation, "hostname"), sans,
				ancestors(policy.getAdditionalProperties().get("status")));
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
		List<BackendTlsPolicy.CaRef> cas = new ArrayList<>();
		if (validation.getCaCertificateRefs() != null) {
			validation.getCaCertificateRefs()
				.forEach(ref -> cas.add(new BackendTlsPolicy.CaRef(ref.getGroup(), ref.getKind(), ref.getName())));
		}
		List<String> sans = new ArrayList<>();
		for (SubjectAltName san : validation.getSubjectAltNames() == null ? List.<SubjectAltName>of()
				: validation.getSubjectAltNames()) {
			sans.add(subjectAltName(san.getType(), san.getHostname(), san.getUri()));
		}
		return new BackendTlsPolicy("v1alpha3", policy.getMetadata().getNamespace(), policy.getMetadata().getName(),
				policy.getMetadata().getCreationTimestamp(), policy.getMetadata().getGeneration(), targets, cas,
				validation.getWellKnownCACertificates(), validation.getHostname(), sans,
				policy.getStatus() == null ? null : policy.getStatus().getAncestors());
	}

	/**
	 * The policies that lose a conflict: another policy selects the same Service and section
	 * (both naming the same port, or both the whole Service) and is older, or as old and first by
	 * name. A policy naming a port and one for the whole Service do not conflict: the first wins
	 * on its port ({@link BackendTlsPolicy#precedence}).
	 */
	public static Set<ObjectKey> conflicted(List<BackendTlsPolicy> policies) {
		Map<List<String>, BackendTlsPolicy> winners = new HashMap<>();
		Set<ObjectKey> losers = new HashSet<>();
		for (BackendTlsPolicy policy : policies.stream().sorted(BackendTlsPolicy.age()).toList()) {
			for (BackendTlsPolicy.TargetRef ref : policy.targetRefs()) {
				List<String> target = List.of(policy.namespace(), String.valueOf(ref.group()), String.valueOf(ref.kind()),
						String.valueOf(ref.name()), ref.wholeTarget() ? "" : ref.sectionName());
				BackendTlsPolicy winner = winners.putIfAbsent(target, policy);
				if (winner != null && winner != policy) {
					losers.add(policy.key());
				}
			}
		}
		return losers;
	}

	/** {@code status.ancestors} of a policy read generically; none when it has no (readable) status. */
	private static List<PolicyAncestorStatus> ancestors(Object status) {
		if (status == null) {
			return List.of();
		}
		try {
			PolicyStatus read = SERIALIZATION.convertValue(status, PolicyStatus.class);
			return read.getAncestors() == null ? List.of() : read.getAncestors();
		}
		catch (IllegalArgumentException ex) {
			return List.of(); // not the schema's shape: rewritten by the status writer
		}
	}

	/** The value of a {@code type: Hostname} or {@code type: URI} entry; empty for another type or no value. */
	private static String subjectAltName(String type, String hostname, String uri) {
		String value = "Hostname".equals(type) ? hostname : "URI".equals(type) ? uri : null;
		return value == null ? "" : value;
	}

}
