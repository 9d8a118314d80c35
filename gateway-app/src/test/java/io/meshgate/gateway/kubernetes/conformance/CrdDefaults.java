package io.meshgate.gateway.kubernetes.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The defaults a real API server writes into Gateway API objects when they are created, read
 * from the {@code default:} values of the v1.4.1 standard CRDs' schemas (copied next to the
 * manifests): fabric8's mock API server stores objects as sent. Structural defaulting as the API
 * server does it: an absent property with a default gets it, then defaulting goes on inside every
 * present (or just defaulted) object and list item. {@code status} is left alone: the controller
 * writes it.
 */
final class CrdDefaults {

	private static final List<String> CRDS = List.of("gatewayclasses", "gateways", "httproutes", "referencegrants",
			"backendtlspolicies", "grpcroutes", "tlsroutes");

	/** Schema per "apiVersion/kind", e.g. {@code gateway.networking.k8s.io/v1/HTTPRoute}. */
	private final Map<String, Map<String, Object>> schemas = new LinkedHashMap<>();

	CrdDefaults(KubernetesSerialization serialization, String directory) {
		for (String crd : CRDS) {
			Map<String, Object> object = serialization.unmarshal(read(directory + "/gateway.networking.k8s.io_" + crd + ".yaml"),
					Map.class);
			Map<String, Object> spec = map(object.get("spec"));
			String group = (String) spec.get("group");
			String kind = (String) map(spec.get("names")).get("kind");
			for (Object version : (List<?>) spec.get("versions")) {
				Map<String, Object> v = map(version);
				schemas.put(group + "/" + v.get("name") + "/" + kind, map(map(v.get("schema")).get("openAPIV3Schema")));
			}
		}
	}

	/** Fills the defaults into {@code object} (a parsed manifest) in place, when its kind has a CRD here. */
	void apply(Map<String, Object> object) {
		Map<String, Object> schema = schemas.get(object.get("apiVersion") + "/" + object.get("kind"));
		if (schema != null && object.get("spec") instanceof Map<?, ?>) {
			Map<String, Object> spec = map(object.get("spec"));
			fill(spec, map(map(schema.get("properties")).get("spec")));
		}
	}

	@SuppressWarnings("unchecked")
	private static void fill(Object value, Map<String, Object> schema) {
		if (value instanceof Map<?, ?> map && schema.get("properties") instanceof Map<?, ?> properties) {
			Map<String, Object> object = (Map<String, Object>) map;
			for (Map.Entry<?, ?> property : properties.entrySet()) {
				Map<String, Object> propertySchema = (Map<String, Object>) property.getValue();
				String name = (String) property.getKey();
				if (!object.containsKey(name) && propertySchema.containsKey("default")) {
					object.put(name, copy(propertySchema.get("default")));
				}
				if (object.containsKey(name)) {
					fill(object.get(name), propertySchema);
				}
			}
		}
		else if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
			list.forEach(item -> fill(item, (Map<String, Object>) items));
		}
	}

	@SuppressWarnings("unchecked")
	private static Object copy(Object value) {
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> copy = new LinkedHashMap<>();
			map.forEach((k, v) -> copy.put((String) k, copy(v)));
			return copy;
		}
		if (value instanceof List<?> list) {
			List<Object> copy = new ArrayList<>();
			list.forEach(v -> copy.add(copy(v)));
			return copy;
		}
		return value;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	static String read(String resource) {
		try (InputStream in = CrdDefaults.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalArgumentException("no test resource " + resource);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
