package io.meshgate.gateway.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fields of objects read generically (versions the client's model lacks), where any field may be
 * absent or of another type than the schema says: such a field reads as absent.
 */
final class GenericFields {

	private GenericFields() {
	}

	/** The object {@code value}; empty when it is not one. */
	static Map<?, ?> map(Object value) {
		return value instanceof Map<?, ?> map ? map : Map.of();
	}

	/** The objects of the list {@code list}, skipping entries that are not objects. */
	static List<Map<?, ?>> entries(Object list) {
		List<Map<?, ?>> entries = new ArrayList<>();
		if (list instanceof List<?> items) {
			items.stream().filter(Map.class::isInstance).forEach(item -> entries.add((Map<?, ?>) item));
		}
		return entries;
	}

	/** The string field {@code key} of {@code map}; null when absent or not a string. */
	static String text(Map<?, ?> map, String key) {
		return map.get(key) instanceof String text ? text : null;
	}

}
