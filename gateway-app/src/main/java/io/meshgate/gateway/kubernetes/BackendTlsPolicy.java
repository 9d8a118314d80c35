package io.meshgate.gateway.kubernetes;

import java.util.Comparator;
import java.util.List;

import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.PolicyAncestorStatus;

/**
 * One BackendTLSPolicy, as {@link BackendTlsPolicies} reads it from {@code v1} or {@code v1alpha3}
 * (one schema for the fields Meshgate serves).
 *
 * @param version the API version it was read from ({@code v1} or {@code v1alpha3}), where its status goes
 * @param created the {@code creationTimestamp} (RFC 3339, UTC, so ordered as text); null when unknown
 * @param generation {@code metadata.generation}, the {@code observedGeneration} of its conditions
 * @param targetRefs the objects it applies to; Meshgate serves {@code kind: Service} of the core group
 * @param caCertificateRefs the objects holding the CAs the backend's certificate must chain to;
 * Meshgate reads core ConfigMaps (key {@code ca.crt}); empty with {@code wellKnownCACertificates}
 * @param wellKnownCaCertificates {@code System} or null
 * @param hostname the SNI name; also the name the certificate must carry when {@code subjectAltNames}
 * is empty
 * @param subjectAltNames when not empty, the certificate must carry one of them (DNS names and URIs)
 * and {@code hostname} is not checked
 * @param ancestors {@code status.ancestors} as read, every controller's
 */
public record BackendTlsPolicy(String version, String namespace, String name, String created, Long generation,
		List<TargetRef> targetRefs, List<CaRef> caCertificateRefs, String wellKnownCaCertificates, String hostname,
		List<String> subjectAltNames, List<PolicyAncestorStatus> ancestors) {

	/**
	 * Which of several policies for one Service port is used: one naming the port
	 * ({@code sectionName}) before one for the whole Service, then the older, then by name (the
	 * spec's precedence for policies selecting the same target).
	 */
	public static Comparator<BackendTlsPolicy> precedence(String service, String portName) {
		return Comparator.<BackendTlsPolicy, Boolean>comparing(p -> !p.namesPort(service, portName))
			.thenComparing(age());
	}

	/** Older first, then by name: which of two policies selecting the same target and section wins. */
	static Comparator<BackendTlsPolicy> age() {
		return Comparator.comparing(BackendTlsPolicy::created, Comparator.nullsLast(Comparator.<String>naturalOrder()))
			.thenComparing(BackendTlsPolicy::name);
	}

	/** A {@code targetRefs} entry; {@code sectionName} null or empty: every port of the target. */
	public record TargetRef(String group, String kind, String name, String sectionName) {

		boolean isService(String service) {
			return isService() && service.equals(name);
		}

		boolean isService() {
			return (group == null || group.isEmpty()) && "Service".equals(kind);
		}

		boolean wholeTarget() {
			return sectionName == null || sectionName.isEmpty();
		}

	}

	/** A {@code caCertificateRefs} entry (a local reference: the policy's namespace). */
	public record CaRef(String group, String kind, String name) {

		/** Whether it names a core ConfigMap, the one kind Meshgate reads CAs from. */
		public boolean isConfigMap() {
			return (group == null || group.isEmpty()) && "ConfigMap".equals(kind);
		}

	}

	public BackendTlsPolicy {
		targetRefs = targetRefs == null ? List.of() : List.copyOf(targetRefs);
		caCertificateRefs = caCertificateRefs == null ? List.of() : List.copyOf(caCertificateRefs);
		subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
		ancestors = ancestors == null ? List.of() : List.copyOf(ancestors);
	}

	public ObjectKey key() {
		return new ObjectKey("BackendTLSPolicy", namespace, name);
	}

	/** The names of the ConfigMaps among {@code caCertificateRefs}, which the controller reads. */
	public List<String> caConfigMaps() {
		return caCertificateRefs.stream().filter(CaRef::isConfigMap).map(CaRef::name).toList();
	}

	/**
	 * Whether it applies to the port {@code portName} (null: unnamed) of the Service
	 * {@code namespace/service}: it targets the Service, whole or by that port's name.
	 */
	public boolean targets(String namespace, String service, String portName) {
		return namespace.equals(this.namespace) && targetRefs.stream()
			.anyMatch(ref -> ref.isService(service) && (ref.wholeTarget() || ref.sectionName().equals(portName)));
	}

	private boolean namesPort(String service, String portName) {
		return targetRefs.stream()
			.anyMatch(ref -> ref.isService(service) && !ref.wholeTarget() && ref.sectionName().equals(portName));
	}

}
