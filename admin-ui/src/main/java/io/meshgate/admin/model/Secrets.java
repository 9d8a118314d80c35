package io.meshgate.admin.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.meshgate.policy.observe.Masking;

/**
 * Keeps secrets out of what the admin API returns: every tree it answers, exports or diffs goes
 * through {@link Masking} (the one rule: secret fields, inline PEM private keys, and the values of
 * secret headers such as {@code Authorization} a route sets), which replaces them by
 * {@link #MASK}. A write that sends the mask back keeps the stored value, so a read-edit-write
 * cycle never loses a secret and never needs to know it.
 */
public final class Secrets {

	public static final String MASK = Masking.MASK;

	private Secrets() {
	}

	/** A copy of {@code tree} with every secret value masked. */
	public static Object mask(Object tree) {
		return Masking.tree(tree);
	}

	@SuppressWarnings("unchecked")
	public static Map<String, Object> maskMap(Map<String, Object> tree) {
		return (Map<String, Object>) mask(tree);
	}

	/**
	 * Puts the stored secret back wherever {@code edited} holds the mask; list elements are
	 * paired by {@code name} or {@code id} (else by position). A mask with nothing stored behind
	 * it is an error.
	 */
	public static void restore(Object edited, Object stored, String path, List<ConfigError> errors) {
		if (edited instanceof Map<?, ?> map) {
			@SuppressWarnings("unchecked")
			Map<String, Object> target = (Map<String, Object>) map;
			Map<?, ?> before = stored instanceof Map<?, ?> m ? m : Map.of();
			for (Map.Entry<String, Object> entry : target.entrySet()) {
				String child = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
				if (MASK.equals(entry.getValue())) {
					Object kept = before.get(entry.getKey());
					if (kept instanceof String && !MASK.equals(kept)) {
						entry.setValue(kept);
					}
					else {
						errors.add(new ConfigError(child, entry.getKey() + ": " + MASK
								+ " (expected: the secret itself; reads hide it, and there is no stored value to keep)"));
					}
				}
				else {
					restore(entry.getValue(), before.get(entry.getKey()), child, errors);
				}
			}
		}
		else if (edited instanceof List<?> list) {
			Partners partners = new Partners(stored instanceof List<?> l ? l : List.of());
			for (int i = 0; i < list.size(); i++) {
				Object item = list.get(i);
				Object partner = partners.of(item, i);
				// an element equal to the stored one holds no mask (a mask is never stored): the
				// unchanged items of an edit are not walked
				if (!item.equals(partner)) {
					restore(item, partner, path + "[" + i + "]", errors);
				}
			}
		}
	}

	/**
	 * The stored element an edited one is paired with, by {@code name} or {@code id}, else by
	 * position. Indexed once per list, so pairing is linear in the list's length (a search per
	 * element would be quadratic: seconds at 10,000 routes).
	 */
	private static final class Partners {

		private final List<?> before;

		private final Map<String, Map<Object, Object>> byKey = new HashMap<>();

		Partners(List<?> before) {
			this.before = before;
		}

		Object of(Object item, int index) {
			if (item instanceof Map<?, ?> map) {
				for (String key : List.of("name", "id")) {
					Object identity = map.get(key);
					if (identity != null) {
						return byKey.computeIfAbsent(key, this::index).get(identity);
					}
				}
			}
			return index < before.size() ? before.get(index) : null;
		}

		/** The stored elements by their value of {@code key}; the first of equal ones, as a search finds it. */
		private Map<Object, Object> index(String key) {
			Map<Object, Object> index = new HashMap<>();
			for (Object element : before) {
				if (element instanceof Map<?, ?> m && m.get(key) != null) {
					index.putIfAbsent(m.get(key), element);
				}
			}
			return index;
		}

	}

}
