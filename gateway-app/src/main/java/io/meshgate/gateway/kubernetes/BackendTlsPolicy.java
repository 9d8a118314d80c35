package io.meshgate.gateway.kubernetes;

import java.util.Comparator;
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
 * @param created the {@code creationTimestamp} (RFC 3339, UTC, so ordered as text); null when unknown
 */
public record BackendTlsPolicy(String namespace, String name, String created, List<TargetRef> targetRefs,
		List<String> caConfigMaps,
		String wellKnownCaCertificates, String hostname, List<String> subjectAltNames) {

	/**
	 * Which of several policies for one Service port is used: one naming the port
	 * ({@code sectionName}) before one for the whole Service, then the older, then by name (the
	 * spec's precedence for policies selecting the same target).
	 */
	public static Comparator<BackendTlsPolicy> precedence(String service, String portName) {
		return Comparator.<BackendTlsPolicy, Boolean>comparing(p -> !p.namesPort(service, portName))
			.thenComparing(BackendTlsPolicy::created, Comparator.nullsLast(Comparator.naturalOrder()))
			.thenComparing(BackendTlsPolicy::name);
	}

	/** A {@code targetRefs} entry; {@code sectionName} null or empty: every port of the target. */
	public record TargetRef(String group, String kind, String name, String sectionName) {

		boolean isService(String service) {
			return (group == null || group.isEmpty()) && "Service".equals(kind) && service.equals(name);
		}

		boolean wholeTarget() {
			return sectionName == null || sectionName.isEmpty();
		}

	}

	public BackendTlsPolicy {
		targetRefs = targetRefs == null ? List.of() : List.copyOf(targetRefs);
		caConfigMaps = caConfigMaps == null ? List.of() : List.copyOf(caConfigMaps);
		subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
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
