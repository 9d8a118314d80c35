package io.meshgate.gateway.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.meshgate.gateway.https.ClientCertificate;
import io.meshgate.gateway.https.ServerCertificate;
import io.meshgate.gateway.kubernetes.gatewayapi.FrontendValidation;
import io.meshgate.gateway.listeners.ServedPorts;
import io.meshgate.policy.testing.TestPki;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gateway API frontend client-certificate validation ({@code Gateway.spec.tls.frontend}, GEP-91)
 * as the HTTPS listener's requirements: the default for every HTTPS listener, a per-port override,
 * the modes, the CA ConfigMaps, and what a broken reference does (the host refuses every client
 * certificate, and the listener's status says why).
 */
class GatewayFrontendValidationTest {

	static final KubernetesSerialization YAML = KubernetesTranslationTest.YAML;

	static final String GATEWAY = """
			apiVersion: gateway.networking.k8s.io/v1
			kind: Gateway
			metadata: {name: web, namespace: shop, generation: 3}
			spec:
			  gatewayClassName: meshgate
			  tls:
			    frontend:
			      default:
			        validation:
			          caCertificateRefs: [{group: "", kind: ConfigMap, name: partners-ca}]
			      perPort:
			      - port: 8443
			        tls:
			          validation:
			            caCertificateRefs: [{group: "", kind: ConfigMap, name: beta-ca}]
			            mode: AllowInsecureFallback
			  listeners:
			  - {name: http, protocol: HTTP, port: 80}
			  - name: partners
			    protocol: HTTPS
			    port: 443
			    hostname: partners.example.com
			    tls: {certificateRefs: [{name: partners-tls}]}
			  - name: beta
			    protocol: HTTPS
			    port: 8443
			    hostname: beta.example.com
			    tls: {certificateRefs: [{name: beta-tls}]}
			""";

	static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

	static final Map<String, String> TLS_SECRET = tlsSecret();

	@TempDir
	Path pem;

	@Test
	void theDefaultGuardsEveryHttpsListenerAndAPortOverrideWinsForItsPort() {
		KubernetesTranslation translation = translate(GATEWAY, Map.of(configMap("partners-ca"), Map.of("ca.crt", CA),
				configMap("beta-ca"), Map.of("ca.crt", CA), secret("partners-tls"), TLS_SECRET, secret("beta-tls"), TLS_SECRET));

		assertThat(translation.certificates()).extracting(ServerCertificate::name, ServerCertificate::hostnames,
				ServerCertificate::clientCertificate)
			.containsExactly(
					org.assertj.core.groups.Tuple.tuple("gateway/shop/web/partners/partners-tls", List.of("partners.example.com"),
							new ClientCertificate(ClientCertificate.Mode.REQUIRE, CA, List.of())),
					org.assertj.core.groups.Tuple.tuple("gateway/shop/web/beta/beta-tls", List.of("beta.example.com"),
							new ClientCertificate(ClientCertificate.Mode.OPTIONAL, CA, List.of())));
		GatewayStatus status = status(translation);
		assertThat(condition(status.getConditions(), "InsecureFrontendValidationMode").getStatus()).isEqualTo("True");
		assertThat(condition(listener(status, "partners").getConditions(), "ResolvedRefs").getStatus()).isEqualTo("True");
		assertThat(FrontendValidation.references(gateway(GATEWAY))).extracting(FrontendValidation.CaRef::name)
			.containsExactly("partners-ca", "beta-ca");
	}

	@Test
	void aMissingCaOrCertificateStillGuardsTheHostAndTheListenerSaysWhy() {
		KubernetesTranslation translation = translate(GATEWAY, Map.of(configMap("beta-ca"), Map.of("ca.crt", CA),
				secret("partners-tls"), TLS_SECRET));

		// partners: its CA is missing, so no CA at all: every client certificate is refused
		// beta: its certificate Secret is missing, the requirement stays for its host name
		assertThat(translation.certificates()).extracting(ServerCertificate::name, c -> c.clientCertificate().caCertificates(),
				ServerCertificate::certificateChainPem)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("gateway/shop/web/partners/partners-tls", "", TLS_SECRET.get("tls.crt")),
					org.assertj.core.groups.Tuple.tuple("gateway/shop/web/beta/beta-tls", CA, ""));
		Condition partners = condition(listener(status(translation), "partners").getConditions(), "ResolvedRefs");
		assertThat(partners.getStatus()).isEqualTo("False");
		assertThat(partners.getReason()).isEqualTo("InvalidCACertificateRef");
		assertThat(partners.getMessage()).contains("shop/partners-ca");
	}

	@Test
	void otherKindsAndOtherNamespacesAreRefusedAndAGatewayWithoutValidationAsksNothing() {
		String crossNamespace = GATEWAY.replace("name: partners-ca}", "name: partners-ca, namespace: other}")
			.replace("kind: ConfigMap, name: beta-ca", "kind: Secret, name: beta-ca");
		KubernetesTranslation translation = translate(crossNamespace, Map.of(secret("partners-tls"), TLS_SECRET,
				secret("beta-tls"), TLS_SECRET, new ObjectKey("ConfigMap", "other", "partners-ca"), Map.of("ca.crt", CA)));

		GatewayStatus status = status(translation);
		assertThat(condition(listener(status, "partners").getConditions(), "ResolvedRefs").getReason())
			.isEqualTo("RefNotPermitted");
		assertThat(condition(listener(status, "beta").getConditions(), "ResolvedRefs").getReason())
			.isEqualTo("InvalidCACertificateKind");
		assertThat(translation.certificates()).allSatisfy(c -> assertThat(c.clientCertificate().caCertificates()).isEmpty());

		String plain = GATEWAY.replaceAll("(?s)  tls:\n    frontend:.*?  listeners:", "  listeners:");
		KubernetesTranslation open = translate(plain, Map.of(secret("partners-tls"), TLS_SECRET, secret("beta-tls"), TLS_SECRET));
		assertThat(open.certificates()).allSatisfy(c -> assertThat(c.clientCertificate()).isNull());
		assertThat(status(open).getConditions()).noneMatch(c -> c.getType().equals("InsecureFrontendValidationMode"));
	}

	@Test
	void aCaConfigMapOfAnotherNamespaceIsUsedWhenAReferenceGrantThereLetsTheGatewaysNamespaceUseIt() {
		String crossNamespace = GATEWAY.replace("name: partners-ca}", "name: partners-ca, namespace: other}");
		Map<ObjectKey, Map<String, String>> data = Map.of(secret("partners-tls"), TLS_SECRET, secret("beta-tls"), TLS_SECRET,
				new ObjectKey("ConfigMap", "other", "partners-ca"), Map.of("ca.crt", CA), configMap("beta-ca"),
				Map.of("ca.crt", CA));
		String grant = """
				apiVersion: gateway.networking.k8s.io/v1beta1
				kind: ReferenceGrant
				metadata: {name: cas, namespace: other}
				spec:
				  from: [{group: gateway.networking.k8s.io, kind: %s, namespace: shop}]
				  to: [{group: "", kind: ConfigMap, name: partners-ca}]
				""";

		KubernetesTranslation granted = translate(crossNamespace, data, ReferenceGrants.of(
				List.of(YAML.unmarshal(grant.formatted("Gateway"), ReferenceGrant.class)), List.of()));
		assertThat(condition(listener(status(granted), "partners").getConditions(), "ResolvedRefs").getStatus())
			.isEqualTo("True");
		assertThat(granted.certificates().get(0).clientCertificate().caCertificates()).isEqualTo(CA);

		// a grant for HTTPRoutes does not let a Gateway refer
		KubernetesTranslation refused = translate(crossNamespace, data, ReferenceGrants.of(
				List.of(YAML.unmarshal(grant.formatted("HTTPRoute"), ReferenceGrant.class)), List.of()));
		assertThat(condition(listener(status(refused), "partners").getConditions(), "ResolvedRefs").getReason())
			.isEqualTo("RefNotPermitted");
		assertThat(refused.certificates().get(0).clientCertificate().caCertificates()).isEmpty();
	}

	private KubernetesTranslation translate(String gateway, Map<ObjectKey, Map<String, String>> data) {
		return translate(gateway, data, ReferenceGrants.NONE);
	}

	private KubernetesTranslation translate(String gateway, Map<ObjectKey, Map<String, String>> data,
			ReferenceGrants grants) {
		ClusterSnapshot cluster = new ClusterSnapshot(List.of(YAML.unmarshal(KubernetesTranslationTest.CLASS, GatewayClass.class)),
				List.of(gateway(gateway)), List.of(), List.of(), List.of(), List.of(), List.of(), grants, List.of(), data);
		return KubernetesTranslation.translate(cluster, "meshgate.io/gateway-controller", "meshgate", List.of("10.0.0.1"),
				ServedPorts.DEFAULT, new PemFiles(pem));
	}

	/** The data of a {@code kubernetes.io/tls} Secret: a certificate of a test CA and its key. */
	private static Map<String, String> tlsSecret() {
		try {
			Path dir = Files.createTempDirectory("frontend-validation");
			TestPki.create("Frontend Validation Test CA").issue("partners", List.of("dns:partners.example.com")).write(dir, "tls");
			return Map.of("tls.crt", Files.readString(dir.resolve("tls.crt")), "tls.key", Files.readString(dir.resolve("tls.key")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Gateway gateway(String yaml) {
		return YAML.unmarshal(yaml, Gateway.class);
	}

	private static GatewayStatus status(KubernetesTranslation translation) {
		return translation.gatewayApi().gateways().get(new ObjectKey("Gateway", "shop", "web"));
	}

	private static ListenerStatus listener(GatewayStatus status, String name) {
		return status.getListeners().stream().filter(l -> l.getName().equals(name)).findFirst().orElseThrow();
	}

	private static Condition condition(List<Condition> conditions, String type) {
		return conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
	}

	private static ObjectKey configMap(String name) {
		return new ObjectKey("ConfigMap", "shop", name);
	}

	private static ObjectKey secret(String name) {
		return new ObjectKey("Secret", "shop", name);
	}

}
