package io.meshgate.gateway.kubernetes;

import java.util.List;

/**
 * One BackendTLSPolicy, as {@link BackendTlsPolicies} reads it from {@code v1} or {@code v1alpha3}
 * (one schema for the fields Meshgate serves).
 *
 * @param targetRefs the objects it applies to; Meshgate serves {@code kind: Service} of the core group
 * @param caConfigMaps names of the ConfigMaps (key {@code ca.crt}) the backend's certificate must
 * chain to; empty with {@code wellKnownCACertificates}
 * @param wellKnownCaCertificates {@code System} or null
 * @param hostname the SNI name; also the name the certificate must carry when {@code subjectAltNames}
 * is empty
 * @param subjectAltNames when not empty, the certificate must carry one of them (DNS names and URIs)
 * and {@code hostname} is not checked
 */
public record BackendTlsPolicy(String namespace, String name, List<TargetRef> targetRefs, List<String> caConfigMaps,
		String wellKnownCaCertificates, String hostname, List<String> subjectAltNames) {

	/** A {@code targetRefs} entry; {@code sectionName} null: every port of the target. */
	public record TargetRef(String group, String kind, String name, String sectionName) {

		boolean isService(String service) {
			return (group == null || group.isEmpty()) && "Service".equals(kind) && service.equals(name);
		}

	}

	public BackendTlsPolicy {
		targetRefs = targetRefs == null ? List.of() : List.copyOf(targetRefs);
		caConfigMaps = caConfigMaps == null ? List.of() : List.copyOf(caConfigMaps);
		subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
	}

	/** Whether it targets the Service {@code namespace/service}. */
	public boolean targets(String namespace, String service) {
		return namespace.equals(this.namespace) && targetRefs.stream().anyMatch(ref -> ref.isService(service));
	}

}
