package io.meshgate.gateway.kubernetes.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.PolicyAncestorStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.PolicyAncestorStatusBuilder;

import io.meshgate.gateway.kubernetes.BackendTlsPolicies;
import io.meshgate.gateway.kubernetes.BackendTlsPolicy;
import io.meshgate.gateway.kubernetes.BackendTlsValidation;
import io.meshgate.gateway.kubernetes.ClusterSnapshot;
import io.meshgate.gateway.kubernetes.Conditions;
import io.meshgate.gateway.kubernetes.ObjectKey;
import io.meshgate.gateway.kubernetes.ServiceUpstreams;
import io.meshgate.gateway.kubernetes.gatewayapi.GatewayApiTranslator;

/**
 * The status Meshgate owes each BackendTLSPolicy (Gateway API v1, GEP-713 ancestor status): one
 * entry per Gateway of Meshgate's that has accepted an HTTPRoute whose {@code backendRefs} reach a
 * Service port the policy targets (at most 16, the schema's limit), each with the policy's
 * {@code Accepted} and {@code ResolvedRefs} conditions. {@code Accepted} is False with
 * {@code Conflicted} when an older policy (or one as old and first by name) selects the same
 * target and section, else with the reason {@link BackendTlsValidation} gives; a policy no
 * accepted route reaches has no entry of Meshgate's. Pure: a function of the snapshot and the
 * HTTPRoute statuses of the same translation.
 */
public final class BackendTlsPolicyStatuses {

	/** The schema's {@code maxItems} of {@code status.ancestors}. */
	static final int MAX_ANCESTORS = 16;

	private BackendTlsPolicyStatuses() {
	}

	/** Meshgate's ancestor entries for every policy of the snapshot (empty lists included). */
	public static Map<ObjectKey, List<PolicyAncestorStatus>> of(ClusterSnapshot cluster,
			Map<ObjectKey, List<RouteParentStatus>> routeStatuses, String controllerName) {
		Map<ObjectKey, Set<ParentReference>> ancestors = new LinkedHashMap<>();
		cluster.backendTlsPolicies().forEach(policy -> ancestors.put(policy.key(), new LinkedHashSet<>()));
		for (HTTPRoute route : cluster.httpRoutes()) {
			List<ParentReference> gateways = acceptedGateways(route, routeStatuses.get(ObjectKey.of(route)));
			if (gateways.isEmpty()) {
				continue;
			}
			for (HTTPRouteRule rule : route.getSpec().getRules() == null ? List.<HTTPRouteRule>of()
					: route.getSpec().getRules()) {
				for (HTTPBackendRef ref : rule.getBackendRefs() == null ? List.<HTTPBackendRef>of() : rule.getBackendRefs()) {
					boolean service = (ref.getGroup() == null || ref.getGroup().isEmpty())
							&& (ref.getKind() == null || "Service".equals(ref.getKind()));
					if (!service || ref.getName() == null || ref.getPort() == null) {
						continue;
					}
					String namespace = ref.getNamespace() == null ? route.getMetadata().getNamespace() : ref.getNamespace();
					String portName = portName(cluster, namespace, ref.getName(), ref.getPort());
					for (BackendTlsPolicy policy : cluster.backendTlsPolicies()) {
						if (policy.targets(namespace, ref.getName(), portName)) {
							ancestors.get(policy.key()).addAll(gateways);
						}
					}
				}
			}
		}
		Set<ObjectKey> conflicted = BackendTlsPolicies.conflicted(cluster.backendTlsPolicies());
		Map<ObjectKey, List<PolicyAncestorStatus>> statuses = new LinkedHashMap<>();
		for (BackendTlsPolicy policy : cluster.backendTlsPolicies()) {
			List<Condition> conditions = conditions(policy, BackendTlsValidation.of(policy, cluster),
					conflicted.contains(policy.key()));
			statuses.put(policy.key(), ancestors.get(policy.key())
				.stream()
				.limit(MAX_ANCESTORS)
				.map(gateway -> new PolicyAncestorStatusBuilder().withAncestorRef(gateway)
					.withControllerName(controllerName)
					.withConditions(conditions)
					.build())
				.toList());
		}
		return statuses;
	}

	static List<Condition> conditions(BackendTlsPolicy policy, BackendTlsValidation validation, boolean conflicted) {
		Long generation = policy.generation();
		Condition accepted = conflicted
				? Conditions.of("Accepted", false, "Conflicted",
						"an older BackendTLSPolicy (or one as old and first by name) selects the same target and section",
						generation)
				: validation.acceptedReason() != null
						? Conditions.of("Accepted", false, validation.acceptedReason(), validation.message(), generation)
						: Conditions.of("Accepted", true, "Accepted", "Served by Meshgate", generation);
		Condition resolvedRefs = validation.refsReason() == null
				? Conditions.of("ResolvedRefs", true, "ResolvedRefs", "All references resolved", generation)
				: Conditions.of("ResolvedRefs", false, validation.refsReason(), validation.message(), generation);
		return List.of(accepted, resolvedRefs);
	}

	/** The Gateways (as ancestor references) whose {@code Accepted} condition for the route is True. */
	private static List<ParentReference> acceptedGateways(HTTPRoute route, List<RouteParentStatus> parents) {
		List<ParentReference> gateways = new ArrayList<>();
		for (RouteParentStatus parent : parents == null ? List.<RouteParentStatus>of() : parents) {
			boolean accepted = parent.getConditions()
				.stream()
				.anyMatch(c -> "Accepted".equals(c.getType()) && "True".equals(c.getStatus()));
			ParentReference ref = parent.getParentRef();
			if (accepted) {
				gateways.add(new ParentReferenceBuilder().withGroup(GatewayApiTranslator.GROUP)
					.withKind("Gateway")
					.withNamespace(ref.getNamespace() == null ? route.getMetadata().getNamespace() : ref.getNamespace())
					.withName(ref.getName())
					.build());
			}
		}
		return gateways;
	}

	private static String portName(ClusterSnapshot cluster, String namespace, String name, int port) {
		return cluster.service(namespace, name).map(service -> ServiceUpstreams.servicePortName(service, port)).orElse(null);
	}

}
