package io.meshgate.admin.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.meshgate.admin.model.ConfigKinds;
import io.meshgate.policy.binding.PolicyTrees;
import io.meshgate.admin.model.Secrets;
import io.meshgate.policy.route.MeshConfig;

/**
 * What a change did, in one line for the history: items created and deleted, and for each item
 * changed the fields that changed with their values before and after
 * ({@code route shop: weights 90/10 → 50/50}, {@code upstream orders: endpoints[1] none →
 * http://10.0.0.7:8080}). Values are those of the records (defaults filled in) with secrets
 * masked; the line is bounded ({@link #MAX_ITEMS} items, {@link #MAX_FIELDS} fields each, values
 * cut at {@link #MAX_VALUE} characters).
 */
public final class ChangeSummary {

	static final int MAX_ITEMS = 5;

	static final int MAX_FIELDS = 3;

	static final int MAX_VALUE = 60;

	private static final Pattern WEIGHT = Pattern.compile("backends\\[\\d+]\\.weight");

	private ChangeSummary() {
	}

	/** The summary of the change from {@code before} to {@code after}; empty when no item changed. */
	public static String of(MeshConfig before, MeshConfig after) {
		List<String> parts = new ArrayList<>();
		for (ConfigKinds.Kind kind : ConfigKinds.ALL) {
			Map<String, Object> old = byName(kind, kind.of(before));
			Map<String, Object> now = byName(kind, kind.of(after));
			now.forEach((name, record) -> {
				Object was = old.get(name);
				if (was == null) {
					parts.add("create " + kind.singular() + " " + name);
				}
				else if (was != record && !was.equals(record)) {
					parts.add(kind.singular() + " " + name + ": " + fields((Record) was, (Record) record));
				}
			});
			old.keySet().stream().filter(name -> !now.containsKey(name))
				.forEach(name -> parts.add("delete " + kind.singular() + " " + name));
		}
		return bounded(parts, MAX_ITEMS, "; ", "changes");
	}

	private static Map<String, Object> byName(ConfigKinds.Kind kind, List<?> records) {
		Map<String, Object> named = new LinkedHashMap<>();
		records.forEach(record -> named.put(kind.nameOf(record), record));
		return named;
	}

	/** The fields that differ: {@code timeout 5s → 10s, retries.attempts 2 → 3}. */
	static String fields(Record before, Record after) {
		Map<String, String> old = flat(before);
		Map<String, String> now = flat(after);
		Set<String> paths = new LinkedHashSet<>(old.keySet());
		paths.addAll(now.keySet());
		paths.removeIf(path -> Objects.equals(old.get(path), now.get(path)));
		if (!paths.isEmpty() && paths.stream().allMatch(path -> WEIGHT.matcher(path).matches())) {
			return "weights " + weights(old) + " → " + weights(now);
		}
		List<String> changes = new ArrayList<>();
		Set<String> elements = new LinkedHashSet<>();
		for (String path : paths) {
			String element = addedOrRemoved(path, old, now);
			if (element != null) {
				if (elements.add(element)) {
					changes.add(element + " " + element(element, old) + " → " + element(element, now));
				}
				continue;
			}
			String was = old.getOrDefault(path, "none");
			String is = now.getOrDefault(path, "none");
			changes.add(was.equals(is) ? path + " changed" : path + " " + was + " → " + is);
		}
		return bounded(changes, MAX_FIELDS, ", ", "fields");
	}

	/** The list element ({@code endpoints[1]}) {@code path} lies in, when that element is on one side only. */
	private static String addedOrRemoved(String path, Map<String, String> old, Map<String, String> now) {
		int end = path.indexOf("].");
		while (end >= 0) {
			String element = path.substring(0, end + 1);
			if (!has(old, element) || !has(now, element)) {
				return element;
			}
			end = path.indexOf("].", end + 1);
		}
		return null;
	}

	private static boolean has(Map<String, String> flat, String element) {
		return flat.keySet().stream().anyMatch(path -> path.startsWith(element + "."));
	}

	/** A list element's fields in one value: {@code uri http://10.0.0.7:8080, weight 1}; {@code none} when absent. */
	private static String element(String element, Map<String, String> flat) {
		List<String> fields = new ArrayList<>();
		flat.forEach((path, value) -> {
			if (path.startsWith(element + ".")) {
				fields.add(path.substring(element.length() + 1) + " " + value);
			}
		});
		return fields.isEmpty() ? "none" : cut(String.join(", ", fields));
	}

	private static String weights(Map<String, String> flat) {
		List<String> weights = new ArrayList<>();
		for (int i = 0; flat.containsKey("backends[" + i + "].weight"); i++) {
			weights.add(flat.get("backends[" + i + "].weight"));
		}
		return String.join("/", weights);
	}

	private static String bounded(List<String> parts, int max, String separator, String noun) {
		if (parts.size() <= max) {
			return String.join(separator, parts);
		}
		return String.join(separator, parts.subList(0, max)) + separator + "and " + (parts.size() - max) + " more "
				+ noun;
	}

	/** The record's tree, secrets masked, as {@code path → value}; a list of plain values is one value. */
	private static Map<String, String> flat(Record record) {
		Map<String, String> flat = new LinkedHashMap<>();
		flatten(Secrets.mask(PolicyTrees.compact(record)), "", flat);
		return flat;
	}

	private static void flatten(Object tree, String path, Map<String, String> flat) {
		if (tree instanceof Map<?, ?> map) {
			map.forEach((key, value) -> flatten(value, path.isEmpty() ? String.valueOf(key) : path + "." + key, flat));
		}
		else if (tree instanceof List<?> list && list.stream().anyMatch(item -> item instanceof Map<?, ?>)) {
			for (int i = 0; i < list.size(); i++) {
				flatten(list.get(i), path + "[" + i + "]", flat);
			}
		}
		else if (tree instanceof List<?> list) {
			flat.put(path, cut(String.join(", ", list.stream().map(String::valueOf).toList())));
		}
		else if (tree != null) {
			flat.put(path, cut(String.valueOf(tree)));
		}
	}

	private static String cut(String value) {
		return value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE - 1) + "…";
	}

}
