package io.meshgate.admin.store;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Checks a YAML document before it is loaded, in one pass over its parser events, so that a
 * small document cannot become a large or endless tree: an alias inside the node it names
 * ({@code upstreams: &a [*a]}) is refused, and so are more than {@value #MAX_ALIASES} aliases
 * and a document whose size with every alias expanded exceeds {@value #MAX_EXPANDED_SIZE}
 * (characters of scalars plus one per node). Loading shares the aliased node, but whatever walks
 * the tree afterwards (binding, diffs, answers) sees it expanded. Errors are fixed texts that
 * never repeat the document.
 */
final class YamlBounds {

	/** Anchors are for shared blocks (a health check used by many upstreams), a few hundred at most. */
	static final int MAX_ALIASES = 1000;

	/** About twice the largest configuration the admin API's default body limit (4 MB) carries. */
	static final long MAX_EXPANDED_SIZE = 8L * 1024 * 1024;

	private YamlBounds() {
	}

	static void check(String text) {
		// the expanded size of every complete anchored node; an anchor still open is in progress
		Map<String, Long> anchors = new HashMap<>();
		Deque<Frame> open = new ArrayDeque<>();
		long total = 0;
		int aliases = 0;
		for (Event event : Yaml.yaml().parse(new StringReader(text))) {
			long size;
			if (event instanceof CollectionStartEvent start) {
				if (start.getAnchor() != null) {
					anchors.remove(start.getAnchor());
				}
				open.push(new Frame(start.getAnchor()));
				continue;
			}
			else if (event instanceof CollectionEndEvent) {
				Frame done = open.pop();
				size = Math.min(done.size + 1, MAX_EXPANDED_SIZE + 1);
				if (done.anchor != null) {
					anchors.put(done.anchor, size);
				}
			}
			else if (event instanceof ScalarEvent scalar) {
				size = scalar.getValue().length() + 1L;
				if (scalar.getAnchor() != null) {
					anchors.put(scalar.getAnchor(), size);
				}
			}
			else if (event instanceof AliasEvent alias) {
				if (++aliases > MAX_ALIASES) {
					throw new IllegalArgumentException("document: more than " + MAX_ALIASES
							+ " aliases (expected: at most " + MAX_ALIASES + " uses of *anchor)");
				}
				Long anchored = anchors.get(alias.getAnchor());
				if (anchored == null) {
					// an anchor still open: the alias is inside the node it names
					throw new IllegalArgumentException("document: a recursive alias (expected: no *anchor inside "
							+ "the node its &anchor names)");
				}
				size = anchored;
			}
			else {
				continue;
			}
			// sizes saturate just above the limit: an alias of an alias of ... cannot overflow
			Frame parent = open.peek();
			long grown = Math.min((parent != null ? parent.size : total) + size, MAX_EXPANDED_SIZE + 1);
			if (parent != null) {
				parent.size = grown;
			}
			else {
				total = grown;
			}
			if (grown > MAX_EXPANDED_SIZE) {
				throw new IllegalArgumentException("document: larger than " + MAX_EXPANDED_SIZE
						+ " characters with its aliases expanded (expected: at most " + MAX_EXPANDED_SIZE + ")");
			}
		}
	}

	private static final class Frame {

		final String anchor;

		long size;

		Frame(String anchor) {
			this.anchor = anchor;
		}

	}

}
