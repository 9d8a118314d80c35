package io.meshgate.gateway.kubernetes.rollout;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Writes of a ConfigMap read first, applied only if nobody wrote it since. */
final class ConfigMapWrites {

	private ConfigMapWrites() {
	}

	/**
	 * Creates {@code configMap} when it did not exist when read, or replaces it carrying the
	 * resource version read; false when the API server refused (409): another writer came first.
	 */
	static boolean writeIfUnchanged(KubernetesClient client, ConfigMap configMap, boolean existed) {
		try {
			if (existed) {
				client.resource(configMap).update();
			}
			else {
				client.resource(configMap).create();
			}
			return true;
		}
		catch (KubernetesClientException ex) {
			if (ex.getCode() == 409) {
				return false;
			}
			throw ex;
		}
	}

}
