package io.meshgate.admin.store;

import java.util.LinkedHashMap;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.representer.Representer;

/** YAML in and out, plain data only (SafeConstructor: no arbitrary types from a document). */
public final class Yaml {

	private Yaml() {
	}

	/** A new YAML reader and writer (not thread-safe: one per use). */
	static org.yaml.snakeyaml.Yaml yaml() {
		DumperOptions dump = new DumperOptions();
		// the same object twice is written twice, never as an anchor and alias: the text of an item
		// does not depend on what else is in the document (ConfigYaml relies on it)
		dump.setDereferenceAliases(true);
		dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		dump.setIndicatorIndent(2);
		dump.setIndentWithIndicator(true);
		dump.setWidth(120);
		LoaderOptions load = new LoaderOptions();
		load.setAllowDuplicateKeys(false);
		load.setCodePointLimit(64 * 1024 * 1024);
		// SnakeYAML's default of 50 aliases of mappings and lists stays: YamlBounds adds a limit on
		// all aliases, the expanded size and recursion for the documents the admin API reads
		load.setAllowRecursiveKeys(false);
		return new org.yaml.snakeyaml.Yaml(new SafeConstructor(load), new Representer(dump), dump, load);
	}

	public static String write(Object tree) {
		return yaml().dump(tree);
	}

	/**
	 * Parses a YAML (or JSON) document whose root is a mapping, within {@link YamlBounds}: a
	 * document that breaks them is refused with {@link IllegalArgumentException}
	 * ({@code document: …}) before it is loaded.
	 */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> read(String text) {
		Object tree;
		try {
			YamlBounds.check(text);
			tree = yaml().load(text);
		}
		catch (MarkedYAMLException ex) {
			throw notValid(ex);
		}
		if (tree == null) {
			return new LinkedHashMap<>();
		}
		if (!(tree instanceof Map<?, ?>)) {
			throw new IllegalArgumentException("document: " + tree.getClass().getSimpleName()
					+ " (expected: a mapping, as in {upstreams: [...], routes: [...]})");
		}
		return (Map<String, Object>) tree;
	}

	/**
	 * Where a document is broken, counted from 1 as editors count, and SnakeYAML's short account
	 * of the problem (without its excerpt of the document).
	 */
	static IllegalArgumentException notValid(MarkedYAMLException broken) {
		Mark mark = broken.getProblemMark() != null ? broken.getProblemMark() : broken.getContextMark();
		String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
		String problem = broken.getProblem() != null ? broken.getProblem() : broken.getContext();
		return new IllegalArgumentException("document: not valid YAML" + where
				+ (problem == null ? "" : " (" + problem.lines().findFirst().orElse("").strip() + ")"), broken);
	}

}
