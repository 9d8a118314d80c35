package io.meshgate.gateway.kubernetes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import static io.meshgate.gateway.kubernetes.GenericFields.entries;
import static io.meshgate.gateway.kubernetes.GenericFields.text;

/**
 * The Gateway API ReferenceGrants of the cluster ({@code gateway.networking.k8s.io} {@code v1} and
 * {@code v1beta1}, which have one schema): which cross-namespace references they permit. A grant
 * lives in the namespace of the object referred to and permits references from objects of a
 * {@code from} group, kind and namespace to objects of a {@code to} group and kind (and, when
 * given, name) in its own namespace; entries of each list are alternatives. A reference within one
 * namespace needs no grant. A grant that lacks a field permits nothing through that entry.
 *
 * <p>Meshgate refers from Gateway API objects (HTTPRoute, Gateway) to core objects (Service,
 * Secret, ConfigMap) only, so a grant's {@code from.group} must be {@code gateway.networking.k8s.io}
 * and its {@code to.group} the core group ({@code ""}).
 */
public final class ReferenceGrants {

	public static final ReferenceGrants NONE = new ReferenceGrants(List.of());

	/** ReferenceGrant {@code v1}, which the client's model lacks: read generically. */
	public static final ResourceDefinitionContext V1 = new ResourceDefinitionContext.Builder()
		.withGroup("gateway.networking.k8s.io")
		.withVersion("v1")
		.withKind("ReferenceGrant")
		.withPlural("referencegrants")
		.withNamespaced(true)
		.build();

	private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

	/** One grant: the namespace it lives in, and its {@code from} and {@code to} entries. */
	record Grant(String namespace, List<From> from, List<To> to) {

	}

	record From(String group, String kind, String namespace) {

	}

	/** {@code name} null: every object of the group and kind in the grant's namespace. */
	record To(String group, String kind, String name) {

	}

	private final List<Grant> grants;

	private ReferenceGrants(List<Grant> grants) {
		this.grants = List.copyOf(grants);
	}

	/**
	 * The grants read as {@code v1beta1} (typed) and {@code v1} (generic: the client's model has no
	 * {@code v1}); where an API server serves both versions, one grant shows in both lists and is
	 * kept once.
	 */
	public static ReferenceGrants of(Collection<ReferenceGrant> v1beta1, Collection<GenericKubernetesResource> v1) {
		Map<ObjectKey, Grant> grants = new LinkedHashMap<>();
		for (ReferenceGrant grant : v1beta1 == null ? List.<ReferenceGrant>of() : v1beta1) {
			List<From> from = new ArrayList<>();
			List<To> to = new ArrayList<>();
			if (grant.getSpec() != null && grant.getSpec().getFrom() != null) {
				grant.getSpec().getFrom().forEach(f -> from.add(new From(f.getGroup(), f.getKind(), f.getNamespace())));
			}
			if (grant.getSpec() != null && grant.getSpec().getTo() != null) {
				grant.getSpec().getTo().forEach(t -> to.add(new To(t.getGroup(), t.getKind(), t.getName())));
			}
			grants.putIfAbsent(key(grant.getMetadata().getNamespace(), grant.getMetadata().getName()),
					new Grant(grant.getMetadata().getNamespace(), from, to));
		}
		for (GenericKubernetesResource grant : v1 == null ? List.<GenericKubernetesResource>of() : v1) {
			Map<?, ?> spec = grant.getAdditionalProperties().get("spec") instanceof Map<?, ?> map ? map : Map.of();
			List<From> from = new ArrayList<>();
			List<To> to = new ArrayList<>();
			for (Map<?, ?> entry : entries(spec.get("from"))) {
				from.add(new From(text(entry, "group"), text(entry, "kind"), text(entry, "namespace")));
			}
			for (Map<?, ?> entry : entries(spec.get("to"))) {
				to.add(new To(text(entry, "group"), text(entry, "kind"), text(entry, "name")));
			}
			grants.putIfAbsent(key(grant.getMetadata().getNamespace(), grant.getMetadata().getName()),
					new Grant(grant.getMetadata().getNamespace(), from, to));
		}
		return new ReferenceGrants(List.copyOf(grants.values()));
	}

	/**
	 * Whether an object of the Gateway API {@code fromKind} in {@code fromNamespace} may refer to
	 * the core object {@code to}: always within one namespace, else when a grant in {@code to}'s
	 * namespace permits it.
	 */
	public boolean permits(String fromKind, String fromNamespace, ObjectKey to) {
		if (Objects.equals(fromNamespace, to.namespace())) {
			return true;
		}
		return grants.stream()
			.filter(grant -> Objects.equals(grant.namespace(), to.namespace()))
			.anyMatch(grant -> grant.from()
				.stream()
				.anyMatch(f -> GATEWAY_GROUP.equals(f.group()) && fromKind.equals(f.kind())
						&& Objects.equals(fromNamespace, f.namespace()))
					&& grant.to()
						.stream()
						.anyMatch(t -> (t.group() == null || t.group().isEmpty()) && to.kind().equals(t.kind())
								&& (t.name() == null || t.name().isEmpty() || t.name().equals(to.name()))));
	}

	private static ObjectKey key(String namespace, String name) {
		return new ObjectKey("ReferenceGrant", namespace, name);
	}

}
