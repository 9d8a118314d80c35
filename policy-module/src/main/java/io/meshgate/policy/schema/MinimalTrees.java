package io.meshgate.policy.schema;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.meshgate.policy.binding.PolicyTrees;

/**
 * Records as the shortest trees that bind back to equal records: {@link PolicyTrees#compact}
 * without the components whose value is the default their record's constructor fills in (an
 * all-zero {@code fault}, a mirror's default percentage). What the admin store keeps and exports,
 * so that diffs and files show what an operator chose, not every default.
 *
 * <p>The defaults are those the schema states ({@link RecordDefaults}, learnt from the
 * constructors once per record type): a default that follows another component is never left
 * out. A nested record whose tree would be empty keeps one component, since an empty map binds
 * to no record at all; a record whose defaults cannot be learnt is written compact.
 */
public final class MinimalTrees {

	private MinimalTrees() {
	}

	/** The tree of {@code value}: compact, and without the defaults of the records in it. */
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

	/**
	 * A record held by another: its minimal tree; when that is empty (every component at its
	 * default), the first component of its compact tree, since an empty map binds to no record
	 * and any one component at its default binds back to the same record.
	 */
	private static Object nested(Object value) {
		Object tree = of(value);
		if (!(tree instanceof Map<?, ?> map && map.isEmpty() && value instanceof Record)) {
			return tree;
		}
		Object compact = PolicyTrees.compact(value);
		if (compact instanceof Map<?, ?> whole && !whole.isEmpty()) {
			Map.Entry<?, ?> first = whole.entrySet().iterator().next();
			Map<String, Object> one = new LinkedHashMap<>();
			one.put(String.valueOf(first.getKey()), first.getValue());
			return one;
		}
		return compact;
	}

	private static Object record(Record record) {
		RecordDefaults defaults;
		try {
			defaults = RecordDefaults.of(record.getClass());
		}
		catch (IllegalArgumentException | IllegalStateException unknown) {
			return PolicyTrees.compact(record);
		}
		Map<String, Object> tree = new LinkedHashMap<>();
		for (RecordComponent component : PolicyTrees.components(record.getClass())) {
			Object value = RecordDefaults.read(record, component);
			if (value == null || PolicyTrees.compact(value) == null) {
				continue;
			}
			RecordDefaults.Component known = defaults.components.get(component.getName());
			if (known != null && known.defaultValue() != null && known.derivedFrom().isEmpty()
					&& Objects.equals(value, known.defaultValue())) {
				continue;
			}
			tree.put(component.getName(), nested(value));
		}
		return tree;
	}

}
