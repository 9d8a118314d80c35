package io.meshgate.gateway.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Names a Kubernetes object: {@code HTTPRoute shop/orders}. Cluster-scoped objects have a null namespace. */
public record ObjectKey(String kind, String namespace, String name) implements Comparable<ObjectKey> {

	public static ObjectKey of(HasMetadata object) {
		return new ObjectKey(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName());
	}

	@Override
	public int compareTo(ObjectKey other) {
		return toString().compareTo(other.toString());
	}

	@Override
	public String toString() {
		return kind + " " + (namespace == null ? "" : namespace + "/") + name;
	}

}
