package io.meshgate.gateway.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;

import io.meshgate.gateway.https.ClientCertificate;
import io.meshgate.gateway.https.ServerCertificate;
import io.meshgate.gateway.kubernetes.gatewayapi.FrontendValidation;
import io.meshgate.gateway.kubernetes.ingress.IngressTranslator;

/**
 * The HTTPS listener's certificates from Kubernetes: each {@code HTTPS} listener of a served
 * Gateway (its {@code certificateRefs}, for the listener's host name, or as default certificate
 * when it has none) and each {@code tls} section of a served Ingress (for its {@code hosts}), from
 * {@code kubernetes.io/tls} Secrets ({@code tls.crt}, {@code tls.key}). A listener's reference is
 * used only when {@link #resolve} finds it usable: a core Secret, in the Gateway's namespace or
 * permitted by a ReferenceGrant, existing, with PEM a TLS server can read. Any other is left out,
 * and the listener's status says why ({@code RefNotPermitted} or {@code InvalidCertificateRef}).
 *
 * <p>A Gateway's frontend client-certificate validation ({@link FrontendValidation}) goes with its
 * HTTPS listeners' certificates. A listener that asks for validation but whose certificate cannot
 * be read still gives an (unusable, so refused) certificate with the requirement: the listener's
 * host name stays guarded rather than be served, unchecked, with another certificate.
 */
public final class ServerCertificates {

	private ServerCertificates() {
	}

	public static List<ServerCertificate> collect(ClusterSnapshot cluster, List<Gateway> gateways,
			IngressTranslator.Translation ingress) {
		List<ServerCertificate> certificates = new ArrayList<>();
		for (Gateway gateway : gateways) {
			String namespace = gateway.getMetadata().getNamespace();
			for (Listener listener : gateway.getSpec().getListeners() == null ? List.<Listener>of()
					: gateway.getSpec().getListeners()) {
				if (!"HTTPS".equals(listener.getProtocol())) {
					continue;
				}
				FrontendValidation.Resolved validation = FrontendValidation.resolve(cluster, gateway, listener);
				ClientCertificate clientCertificate = validation == null ? null : validation.clientCertificate();
				List<String> hostnames = listener.getHostname() == null ? List.of() : List.of(listener.getHostname());
				String name = "gateway/" + namespace + "/" + gateway.getMetadata().getName() + "/" + listener.getName();
				List<SecretObjectReference> refs = listener.getTls() == null || listener.getTls().getCertificateRefs() == null
						? List.of() : listener.getTls().getCertificateRefs();
				if (refs.isEmpty() && clientCertificate != null) {
					certificates.add(new ServerCertificate(name, hostnames, "", "", clientCertificate));
				}
				for (SecretObjectReference ref : refs) {
					Resolved resolved = resolve(cluster, gateway, ref);
					if (resolved.reason() == null || clientCertificate != null) {
						certificates.add(new ServerCertificate(name + "/" + ref.getName(), hostnames,
								resolved.certificateChainPem(), resolved.privateKeyPem(), clientCertificate));
					}
				}
			}
		}
		for (IngressTranslator.TlsHosts tls : ingress.tls()) {
			secret(cluster, tls.secretNamespace(), tls.secretName()).ifPresent(data -> certificates.add(new ServerCertificate(
					"ingress/" + tls.ingress().namespace() + "/" + tls.ingress().name() + "/" + tls.secretName(), tls.hosts(),
					data.get("tls.crt"), data.get("tls.key"))));
		}
		return certificates;
	}

	/** A listener's certificate reference: the Secret's PEM, or (reason non-null) why it cannot be used and no PEM. */
	public record Resolved(String certificateChainPem, String privateKeyPem, String reason, String message) {

		static Resolved refused(String reason, String message) {
			return new Resolved("", "", reason, message);
		}

	}

	/**
	 * A Gateway listener's certificate reference, checked as the Gateway API says: another group or
	 * kind than a core Secret, a missing Secret or one whose PEM cannot be read is
	 * {@code InvalidCertificateRef}; a Secret of another namespace that no ReferenceGrant lets the
	 * Gateway's namespace use is {@code RefNotPermitted}, whether or not it exists.
	 */
	public static Resolved resolve(ClusterSnapshot cluster, Gateway gateway, SecretObjectReference ref) {
		String gatewayNamespace = gateway.getMetadata().getNamespace();
		String namespace = ref.getNamespace() == null ? gatewayNamespace : ref.getNamespace();
		String where = "tls.certificateRefs: " + namespace + "/" + ref.getName();
		boolean core = ref.getGroup() == null || ref.getGroup().isEmpty();
		if (!core || ref.getKind() != null && !"Secret".equals(ref.getKind())) {
			return Resolved.refused("InvalidCertificateRef", "tls.certificateRefs: " + (core ? "" : ref.getGroup() + "/")
					+ ref.getKind() + " " + ref.getName() + " (expected: a core Secret)");
		}
		ObjectKey secret = new ObjectKey("Secret", namespace, ref.getName());
		if (!cluster.referenceGrants().permits("Gateway", gatewayNamespace, secret)) {
			return Resolved.refused("RefNotPermitted", where + " (expected: a Secret in " + gatewayNamespace
					+ ", or a ReferenceGrant in " + namespace + " from Gateways of " + gatewayNamespace + " to it)");
		}
		Optional<Map<String, String>> data = secret(cluster, namespace, ref.getName());
		if (data.isEmpty()) {
			return Resolved.refused("InvalidCertificateRef", where + " (expected: a Secret with tls.crt and tls.key)");
		}
		String chain = data.get().get("tls.crt");
		String key = data.get().get("tls.key");
		String unreadable = ServerCertificate.unreadable(chain, key);
		if (unreadable != null) {
			return Resolved.refused("InvalidCertificateRef", where + ": " + unreadable);
		}
		return new Resolved(chain, key, null, null);
	}

	/** The data of a {@code kubernetes.io/tls} Secret that has both keys. */
	private static Optional<Map<String, String>> secret(ClusterSnapshot cluster, String namespace, String name) {
		return cluster.data("Secret", namespace, name)
			.filter(data -> data.get("tls.crt") != null && data.get("tls.key") != null);
	}

}
