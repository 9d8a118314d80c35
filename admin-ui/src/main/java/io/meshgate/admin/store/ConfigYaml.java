package io.meshgate.admin.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The YAML of a configuration tree ({@code {upstreams: [...], routes: [...]}}): the same text as
 * {@link Yaml#write} of the whole tree, but rendered list item by list item, so that the next
 * version reuses the text of every item whose tree is equal to one rendered here. Editing one of
 * 10,000 routes renders one route, not the whole document (which takes seconds). Immutable.
 */
public final class ConfigYaml {

	private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

	/** The tree rendered: rendering it again through the same view gives this. */
	private final Map<String, Object> tree;

	/** How items are shown: as they are, or through a view such as the secrets mask. */
	private final UnaryOperator<Object> view;

	/** The lines of each item rendered here, by the item's tree (equal trees, equal text). */
	private final Map<Object, List<String>> items;

	/** The document's lines, in order, without line ends. */
	private final List<String> lines;

	private ConfigYaml(Map<String, Object> tree, UnaryOperator<Object> view, Map<Object, List<String>> items,
			List<String> lines) {
		this.tree = tree;
		this.view = view;
		this.items = items;
		this.lines = Collections.unmodifiableList(lines);
	}

	/**
	 * Renders {@code tree} as {@code view} shows it, reusing the text of {@code previous} (may be
	 * null) for items rendered there through the same view. Trees are never changed once rendered.
	 */
	public static ConfigYaml render(Map<String, Object> tree, UnaryOperator<Object> view, ConfigYaml previous) {
		boolean sameView = previous != null && previous.view == view;
		if (sameView && previous.tree == tree) {
			return previous;
		}
		Map<Object, List<String>> known = sameView ? previous.items : Map.of();
		Map<Object, List<String>> items = new HashMap<>();
		List<String> lines = new ArrayList<>();
		org.yaml.snakeyaml.Yaml yaml = Yaml.yaml();
		for (Map.Entry<String, Object> entry : tree.entrySet()) {
			String key = entry.getKey();
			if (!(entry.getValue() instanceof List<?> list) || list.isEmpty() || !PLAIN_KEY.matcher(key).matches()) {
				// not a list of items (an empty list is written "routes: []"): rendered whole
				lines.addAll(lines(yaml.dump(Collections.singletonMap(key, view.apply(entry.getValue())))));
				continue;
			}
			lines.add(key + ":");
			for (Object item : list) {
				List<String> text = items.get(item);
				if (text == null) {
					text = known.get(item);
				}
				if (text == null) {
					// the item as the only element of its list: the same indentation and line breaks
					// as in the whole document; the first line is the key
					List<String> rendered = lines(yaml.dump(Collections.singletonMap(key, List.of(view.apply(item)))));
					text = List.copyOf(rendered.subList(1, rendered.size()));
				}
				items.put(item, text);
				lines.addAll(text);
			}
		}
		if (tree.isEmpty()) {
			lines.addAll(lines(yaml.dump(tree)));
		}
		return new ConfigYaml(tree, view, items, lines);
	}

	/** The lines of {@code text} without their line ends (YAML from SnakeYAML ends with one). */
	private static List<String> lines(String text) {
		String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
		return Arrays.asList(body.split("\n", -1));
	}

	/** The document, as {@link Yaml#write} writes it. */
	public String text() {
		StringBuilder text = new StringBuilder(lines.size() * 32);
		for (String line : lines) {
			text.append(line).append('\n');
		}
		return text.toString();
	}

	/**
	 * The document's lines as {@code text().split("\n", -1)} gives them (the last one empty): the
	 * lines of unchanged items are the same strings in both versions, so comparing them is cheap.
	 */
	public List<String> lines() {
		List<String> all = new ArrayList<>(lines.size() + 1);
		all.addAll(lines);
		all.add("");
		return all;
	}

}
