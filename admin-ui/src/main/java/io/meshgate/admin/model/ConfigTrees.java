package io.meshgate.admin.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.meshgate.policy.binding.PolicyTrees;
import io.meshgate.policy.schema.MinimalTrees;

/**
 * The configuration records as plain trees (maps, lists, strings, numbers, booleans), the form
 * the route store keeps, the API answers and export writes: {@link MinimalTrees}, so that binding
 * them back ({@link ConfigBinder}) gives equal records, values are written by the same rules as
 * filter arguments and views ({@link PolicyTrees}), and only what differs from the defaults is
 * stored.
 */
public final class ConfigTrees {

	private ConfigTrees() {
	}

	/** The tree of {@code value}; {@code null} for null, empty lists and empty maps. */
	public static Object toTree(Object value) {
		return MinimalTrees.of(value);
	}

	/** {@code toTree} of a record, as a map. */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> toMap(Record record) {
		return (Map<String, Object>) toTree(record);
	}

	/** A deep, mutable copy of a tree. */
	@SuppressWarnings("unchecked")
	public static <T> T copy(T tree) {
		if (tree instanceof Map<?, ?> map) {
			Map<String, Object> copy = new LinkedHashMap<>();
			map.forEach((key, value) -> copy.put(String.valueOf(key), copy(value)));
			return (T) copy;
		}
		if (tree instanceof List<?> list) {
			List<Object> copy = new ArrayList<>();
			list.forEach(item -> copy.add(copy(item)));
			return (T) copy;
		}
		return tree;
	}

}
