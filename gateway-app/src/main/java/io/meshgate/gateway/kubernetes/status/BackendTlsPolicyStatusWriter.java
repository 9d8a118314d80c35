package io.meshgate.gateway.kubernetes.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.PolicyAncestorStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.PolicyAncestorStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.PolicyStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.meshgate.gateway.kubernetes.BackendTlsPolicies;
import io.meshgate.gateway.kubernetes.BackendTlsPolicy;
import io.meshgate.gateway.kubernetes.ClusterSnapshot;
import io.meshgate.gateway.kubernetes.Conditions;
import io.meshgate.gateway.kubernetes.KubernetesTranslation;
import io.meshgate.gateway.kubernetes.ObjectKey;

/**
 * Writes {@link BackendTlsPolicyStatuses} to the policies, as {@link StatusWriter} does for the
 * other kinds: only where Meshgate's entries differ from what the policy says (ignoring
 * {@code lastTransitionTime}), keeping other controllers' entries, through the API version the
 * policy was read from (the client's model lacks {@code v1}, so both versions are written
 * generically). A failed write is logged and done again at the next translation.
 */
final class BackendTlsPolicyStatusWriter {

	private static final Log log = LogFactory.getLog(BackendTlsPolicyStatusWriter.class);

	private final KubernetesClient client;

	private final String controllerName;

	BackendTlsPolicyStatusWriter(KubernetesClient client, String controllerName) {
		this.client = client;
		this.controllerName = controllerName;
	}

	/** Returns how many policies were written. */
	int write(ClusterSnapshot cluster, KubernetesTranslation translation, String now) {
		Map<ObjectKey, List<PolicyAncestorStatus>> desired = BackendTlsPolicyStatuses.of(cluster,
				translation.gatewayApi().httpRoutes(), controllerName);
		int written = 0;
		for (BackendTlsPolicy policy : cluster.backendTlsPolicies()) {
			List<PolicyAncestorStatus> ours = policy.ancestors()
				.stream()
				.filter(a -> controllerName.equals(a.getControllerName()))
				.toList();
			List<PolicyAncestorStatus> wanted = desired.getOrDefault(policy.key(), List.of());
			if (!Conditions.sameEntries(ours, wanted, PolicyAncestorStatus::getAncestorRef,
					PolicyAncestorStatus::getConditions)) {
				List<PolicyAncestorStatus> ancestors = new ArrayList<>(policy.ancestors()
					.stream()
					.filter(a -> !controllerName.equals(a.getControllerName()))
					.toList());
				for (PolicyAncestorStatus ancestor : wanted) {
					List<Condition> before = ours.stream()
						.filter(a -> Objects.equals(a.getAncestorRef(), ancestor.getAncestorRef()))
						.findFirst()
						.map(PolicyAncestorStatus::getConditions)
						.orElse(null);
					ancestors.add(new PolicyAncestorStatusBuilder(ancestor)
						.withConditions(Conditions.stamp(ancestor.getConditions(), before, now))
						.build());
				}
				written += update(policy, ancestors);
			}
		}
		return written;
	}

	private int update(BackendTlsPolicy policy, List<PolicyAncestorStatus> ancestors) {
		ResourceDefinitionContext context = "v1".equals(policy.version()) ? BackendTlsPolicies.V1
				: BackendTlsPolicies.V1ALPHA3;
		try {
			GenericKubernetesResource object = client.genericKubernetesResources(context)
				.inNamespace(policy.namespace())
				.withName(policy.name())
				.get();
			if (object == null) {
				return 0; // deleted meanwhile
			}
			PolicyStatus status = new PolicyStatus(ancestors);
			object.setAdditionalProperty("status", client.getKubernetesSerialization().convertValue(status, Map.class));
			client.genericKubernetesResources(context).resource(object).updateStatus();
			return 1;
		}
		catch (KubernetesClientException ex) {
			log.warn("Writing the status of " + policy.key() + " failed (tried again at the next change): "
					+ ex.getMessage());
			return 0;
		}
	}

}
