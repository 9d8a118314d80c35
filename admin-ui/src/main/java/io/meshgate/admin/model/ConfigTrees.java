package io.meshgate.admin.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.meshgate.policy.schema.RecordTrees;

/**
 * The configuration records as plain trees, the form the route store keeps, the API answers and
 * export writes ({@link RecordTrees}: values written so that binding them back with
 * {@link ConfigBinder} gives equal records), and copies of such trees.
 */
public final class ConfigTrees {

	private ConfigTrees() {
	}

	/** The tree of {@code value}; {@code null} for null, empty lists and empty maps. */
	public static Object toTree(Object value) {
		return RecordTrees.toTree(value);
	}

	/** {@code toTree} of a record, as a map. */
	public static Map<String, Object> toMap(Record record) {
		return RecordTrees.toMap(record);
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
