package io.meshgate.policy.binding;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records as the shortest trees that bind back to equal records: {@link PolicyTrees#compact}
 * without the components a record's constructor would fill in with the same value anyway (an
 * all-zero {@code fault}, a mirror's default percentage). What the admin store keeps and exports,
 * so that diffs and files show what an operator chose, not every default.
 *
 * <p>A component is left out only when the canonical constructor, given it empty ({@code null},
 * or {@code 0}/{@code false} for a primitive, as configuration binding passes a missing value)
 * together with the components already left out, builds an equal record: no knowledge of
 * defaults, and no default that follows another component is lost. A nested record whose tree
 * would be empty keeps its compact tree, since an empty map binds to no record at all.
 */
public final class MinimalTrees {

	private static final ClassValue<Constructor<?>> CANONICAL = new ClassValue<>() {
		@Override
		protected Constructor<?> computeValue(Class<?> type) {
			Class<?>[] types = new Class<?>[PolicyTrees.components(type).length];
			for (int i = 0; i < types.length; i++) {
				types[i] = PolicyTrees.components(type)[i].getType();
			}
			try {
				Constructor<?> constructor = type.getDeclaredConstructor(types);
				constructor.setAccessible(true);
				return constructor;
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				return null;
			}
		}
	};

	private MinimalTrees() {
	}

	/** The tree of {@code value}: compact, and without what its records' constructors would fill in alike. */
	public static Object of(Object value) {
		if (value instanceof Record record && !(PolicyTrees.compact(record) instanceof String)) {
			return record(record);
		}
		if (value instanceof List<?> list && list.stream().anyMatch(Record.class::isInstance)) {
			List<Object> trees = new ArrayList<>(list.size());
			for (Object item : list) {
				Object tree = nested(item);
				if (tree != null) {
					trees.add(tree);
				}
			}
			return trees.isEmpty() ? null : trees;
		}
		if (value instanceof Map<?, ?> map && map.values().stream().anyMatch(Record.class::isInstance)) {
			// keys sorted, as compact writes them
			Map<String, Object> sorted = new TreeMap<>();
			map.forEach((key, item) -> {
				Object tree = nested(item);
				if (tree != null) {
					sorted.put(String.valueOf(key), tree);
				}
			});
			return sorted.isEmpty() ? null : new LinkedHashMap<>(sorted);
		}
		return PolicyTrees.compact(value);
	}

	/** A record held by another: its minimal tree, or its compact one when the minimal one is empty. */
	private static Object nested(Object value) {
		Object tree = of(value);
		return tree instanceof Map<?, ?> map && map.isEmpty() && value instanceof Record ? PolicyTrees.compact(value)
				: tree;
	}

	private static Map<String, Object> record(Record record) {
		RecordComponent[] components = PolicyTrees.components(record.getClass());
		Constructor<?> canonical = CANONICAL.get(record.getClass());
		Object[] values = new Object[components.length];
		for (int i = 0; i < components.length; i++) {
			values[i] = PolicyTrees.read(components[i], record);
		}
		Object[] kept = values.clone();
		Map<String, Object> tree = new LinkedHashMap<>();
		for (int i = 0; i < components.length; i++) {
			if (values[i] == null || PolicyTrees.compact(values[i]) == null) {
				continue;
			}
			if (canonical != null) {
				Object given = kept[i];
				kept[i] = empty(components[i].getType());
				if (record.equals(construct(canonical, kept))) {
					continue;
				}
				kept[i] = given;
			}
			tree.put(components[i].getName(), nested(values[i]));
		}
		return tree;
	}

	private static Object empty(Class<?> type) {
		if (!type.isPrimitive()) {
			return null;
		}
		if (type == boolean.class) {
			return false;
		}
		if (type == long.class) {
			return 0L;
		}
		if (type == double.class) {
			return 0.0;
		}
		return type == int.class ? 0 : null;
	}

	/** The record built from {@code values}; null when the constructor refuses them. */
	private static Object construct(Constructor<?> canonical, Object[] values) {
		try {
			return canonical.newInstance(values);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
