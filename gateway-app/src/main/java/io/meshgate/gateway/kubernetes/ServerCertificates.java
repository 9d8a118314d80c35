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
 * {@code kubernetes.io/tls} Secrets ({@code tls.crt}, {@code tls.key}). A Secret that is missing
 * or lacks a key is left out (Gateway listener status says {@code InvalidCertificateRef}).
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
					String secretNamespace = ref.getNamespace() == null ? namespace : ref.getNamespace();
					Optional<Map<String, String>> data = secret(cluster, secretNamespace, ref.getName());
					if (data.isPresent() || clientCertificate != null) {
						certificates.add(new ServerCertificate(name + "/" + ref.getName(), hostnames,
								data.map(d -> d.get("tls.crt")).orElse(""), data.map(d -> d.get("tls.key")).orElse(""),
								clientCertificate));
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

	/** The data of a usable {@code kubernetes.io/tls} Secret. */
	public static Optional<Map<String, String>> secret(ClusterSnapshot cluster, String namespace, String name) {
		return cluster.data("Secret", namespace, name)
			.filter(data -> data.get("tls.crt") != null && data.get("tls.key") != null);
	}

}
