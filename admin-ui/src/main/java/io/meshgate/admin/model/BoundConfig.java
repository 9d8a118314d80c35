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

	public static final BoundConfig EMPTY = new BoundConfig(MeshConfig.EMPTY, List.of(), List.of(), List.of());

	/** The kind of the authorization policies, as the tree names it. */
	public static final String POLICIES = "authorizationPolicies";

	private final MeshConfig config;

	/**
	 * {@code {upstreams: [...], routes: [...], authorizationPolicies: [...]}}, in the order of the
	 * records; the policies only when there are any.
	 */
	private final Map<String, Object> tree;

	/** By kind ({@code routes}), the position of each item by its id or name; built on the first lookup. */
	private final Map<String, Map<Object, Integer>> positions = new HashMap<>();

	BoundConfig(MeshConfig config, List<Object> upstreamTrees, List<Object> routeTrees, List<Object> policyTrees) {
		if (upstreamTrees.size() != config.upstreams().size() || routeTrees.size() != config.routes().size()
				|| policyTrees.size() != config.authorizationPolicies().size()) {
			throw new IllegalArgumentException("trees: " + upstreamTrees.size() + " upstreams and " + routeTrees.size()
					+ " routes (expected: one tree for each of " + config.upstreams().size() + " upstreams and "
					+ config.routes().size() + " routes)");
		}
		this.config = config;
		this.tree = new LinkedHashMap<>();
		this.tree.put("upstreams", new ArrayList<>(upstreamTrees));
		this.tree.put("routes", new ArrayList<>(routeTrees));
		if (!policyTrees.isEmpty()) {
			this.tree.put(POLICIES, new ArrayList<>(policyTrees));
		}
	}

	/** The stored part of the configuration (without the read-only overlays). */
	public MeshConfig config() {
		return config;
	}

	/**
	 * {@code {upstreams: [...], routes: [...]}}, both always present, and
	 * {@code authorizationPolicies} when there are any: what the store keeps.
	 */
	public Map<String, Object> tree() {
		return tree;
	}

	/** The tree of the {@code kind} item at {@code position}. */
	Object tree(String kind, int position) {
		return ((List<?>) tree.get(kind)).get(position);
	}

	/** The record of the {@code kind} item at {@code position}. */
	Object record(String kind, int position) {
		return (kind.equals("upstreams") ? config.upstreams()
				: kind.equals(POLICIES) ? config.authorizationPolicies() : config.routes()).get(position);
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
