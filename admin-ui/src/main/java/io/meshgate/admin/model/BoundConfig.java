package io.meshgate.admin.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.meshgate.policy.route.MeshConfig;

/**
 * A configuration bound from its tree: the records, and the tree of each record as the store
 * keeps it ({@link ConfigTrees#toTree}). Binding an item depends on its tree alone and records
 * are immutable, so the next edit reuses the record of every item whose tree is equal to one
 * here instead of binding it again ({@link ConfigBinder#bind(Map, MeshConfig, BoundConfig)}).
 * The trees are shared with later versions: nobody may change them.
 */
public final class BoundConfig {

	public static final BoundConfig EMPTY = new BoundConfig(MeshConfig.EMPTY, Map.of());

	private final MeshConfig config;

	/** {@code {upstreams: [...], routes: [...], ...}}, every kind, in the order of the records. */
	private final Map<String, Object> tree;

	/** By kind ({@code routes}), the position of each item by its id or name; built on the first lookup. */
	private final Map<String, Map<Object, Integer>> positions = new HashMap<>();

	/** @param trees by kind ({@link ConfigKinds}), the tree of each record; a kind left out has none */
	BoundConfig(MeshConfig config, Map<String, List<Object>> trees) {
		this.config = config;
		this.tree = new LinkedHashMap<>();
		for (ConfigKinds.Kind kind : ConfigKinds.ALL) {
			List<Object> items = trees.getOrDefault(kind.name(), List.of());
			if (items.size() != kind.of(config).size()) {
				throw new IllegalArgumentException("trees: " + items.size() + " " + kind.name() + " (expected: one tree "
						+ "for each of " + kind.of(config).size() + ")");
			}
			if (kind.alwaysWritten() || !items.isEmpty()) {
				this.tree.put(kind.name(), new ArrayList<>(items));
			}
		}
	}

	/** The stored part of the configuration (without the read-only overlays). */
	public MeshConfig config() {
		return config;
	}

	/** {@code {upstreams: [...], routes: [...], ...}}: what the store keeps ({@link ConfigKinds.Kind#alwaysWritten}). */
	public Map<String, Object> tree() {
		return tree;
	}

	/** The tree of the {@code kind} item at {@code position}. */
	Object tree(String kind, int position) {
		return ((List<?>) tree.get(kind)).get(position);
	}

	/** The record of the {@code kind} item at {@code position}. */
	Object record(String kind, int position) {
		return ConfigKinds.named(kind).of(config).get(position);
	}

	/**
	 * The position of the {@code kind} item bound from a tree equal to {@code item}; -1 if none.
	 * Looked up by the item's identity ({@code key}: {@code id} or {@code name}, unique in a bound
	 * configuration), then compared whole.
	 */
	synchronized int position(String kind, String key, Object item) {
		if (!(item instanceof Map<?, ?> map) || map.get(key) == null) {
			return -1;
		}
		Integer position = positions.computeIfAbsent(kind, k -> index(k, key)).get(map.get(key));
		return position != null && tree(kind, position).equals(item) ? position : -1;
	}

	private Map<Object, Integer> index(String kind, String key) {
		List<?> trees = (List<?>) tree.getOrDefault(kind, List.of());
		Map<Object, Integer> index = new HashMap<>();
		for (int i = 0; i < trees.size(); i++) {
			if (trees.get(i) instanceof Map<?, ?> item && item.get(key) != null) {
				index.putIfAbsent(item.get(key), i);
			}
		}
		return index;
	}

}
