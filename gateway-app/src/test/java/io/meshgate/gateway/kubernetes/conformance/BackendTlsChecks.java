package io.meshgate.gateway.kubernetes.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.PolicyAncestorStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.PolicyStatus;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

import io.meshgate.gateway.kubernetes.BackendTlsPolicies;
import io.meshgate.policy.testing.TestPki;

import static io.meshgate.gateway.kubernetes.conformance.ConformanceSupport.APP_BACKEND;
import static io.meshgate.gateway.kubernetes.conformance.ConformanceSupport.INFRA;
import static io.meshgate.gateway.kubernetes.conformance.ConformanceSupport.KUBE;

/**
 * What the BackendTLSPolicy conformance tests need beyond the other tests: the suite's generated
 * CA ConfigMaps and CA-signed Secret (as {@code suite.go} makes them before the base manifests),
 * and the BackendTLSPolicy status checks of {@code helpers.go}, by the same names.
 */
final class BackendTlsChecks {

	/** The names the suite gives the {@code tls-checks-certificate} Secret (the tls-backend pods' certificate). */
	static final List<String> BACKEND_NAMES = List.of("dns:abc.example.com", "uri:spiffe://abc.example.com/test-identity",
			"dns:other.example.com");

	private static boolean created;

	private BackendTlsChecks() {
	}

	/**
	 * {@code MustCreateCACertConfigMap} for {@code tls-checks-ca-certificate} and
	 * {@code mismatch-ca-certificate}, {@code MustCreateCASignedCertSecret} for
	 * {@code tls-checks-certificate}, and the {@code tls-passthrough-checks-certificate} Secrets the
	 * base manifests' other TLS backend mounts. Once per run: the tls-backend pods keep the
	 * certificate they started with, as pods do, so a second CA would not sign it.
	 */
	static synchronized void certificates() {
		if (created) {
			return;
		}
		created = true;
		TestPki checks = TestPki.create("tls-checks-ca-certificate");
		caConfigMap(INFRA, "tls-checks-ca-certificate", checks);
		ConformanceSupport.tlsSecret(INFRA, "tls-checks-certificate", checks.issue("abc.example.com", BACKEND_NAMES));
		caConfigMap(INFRA, "mismatch-ca-certificate", TestPki.create("mismatch-ca-certificate"));
		ConformanceSupport.selfSignedSecret(INFRA, "tls-passthrough-checks-certificate", "abc.example.com");
		ConformanceSupport.selfSignedSecret(APP_BACKEND, "tls-passthrough-checks-certificate", "abc.example.com");
	}

	private static void caConfigMap(String namespace, String name, TestPki ca) {
		try {
			Path dir = Files.createTempDirectory("conformance-ca");
			KUBE.resource(new ConfigMapBuilder().withNewMetadata()
				.withName(name)
				.withNamespace(namespace)
				.endMetadata()
				.addToData("ca.crt", Files.readString(ca.writeCa(dir)))
				.build()).createOr(NonDeletingOperation::update);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static GenericKubernetesResource policy(String namespace, String name) {
		return KUBE.genericKubernetesResources(BackendTlsPolicies.V1).inNamespace(namespace).withName(name).get();
	}

	static List<PolicyAncestorStatus> ancestors(GenericKubernetesResource policy) {
		Object status = policy == null ? null : policy.getAdditionalProperties().get("status");
		if (status == null) {
			return List.of();
		}
		PolicyStatus read = KUBE.getKubernetesSerialization().convertValue(status, PolicyStatus.class);
		return read.getAncestors() == null ? List.of() : read.getAncestors();
	}

	/**
	 * BackendTLSPolicyMustHaveCondition: every ancestor's conditions have the policy's generation,
	 * and the ancestor {@code gatewayNamespace/gateway} has {@code condition}.
	 */
	static void policyMustHaveCondition(String namespace, String name, String gatewayNamespace, String gateway,
			ConformanceSupport.Expected condition) {
		ConformanceSupport.eventually("BackendTLSPolicy " + namespace + "/" + name + " " + condition, () -> {
			GenericKubernetesResource policy = policy(namespace, name);
			if (policy == null) {
				return "no such policy";
			}
			String last = "no ancestor " + gatewayNamespace + "/" + gateway;
			for (PolicyAncestorStatus ancestor : ancestors(policy)) {
				String stale = ConformanceSupport.latestGeneration(policy, ancestor.getConditions());
				if (stale != null) {
					return stale;
				}
				if (gateway.equals(ancestor.getAncestorRef().getName()) && (ancestor.getAncestorRef().getNamespace() == null
						|| gatewayNamespace.equals(ancestor.getAncestorRef().getNamespace()))) {
					last = ConformanceSupport.conditionsMismatch(ancestor.getConditions(), List.of(condition));
					if (last == null) {
						return null;
					}
				}
			}
			return last;
		});
	}

	/** BackendTLSPolicyMustHaveLatestConditions: every ancestor's conditions have the policy's generation. */
	static String latestConditions(GenericKubernetesResource policy) {
		for (PolicyAncestorStatus ancestor : ancestors(policy)) {
			String stale = ConformanceSupport.latestGeneration(policy, ancestor.getConditions());
			if (stale != null) {
				return stale;
			}
		}
		return null;
	}

}
