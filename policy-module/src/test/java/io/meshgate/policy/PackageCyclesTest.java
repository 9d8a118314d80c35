package io.meshgate.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No two packages of the policy module depend on each other, directly or round a longer loop: a
 * package reads as a unit only when what it uses does not use it back. Read from the main sources
 * (imports and fully qualified names in code, comments and strings left out), so constants that
 * the compiler inlines count too.
 */
class PackageCyclesTest {

	private static final Path SOURCES = Path.of("src/main/java");

	private static final String ROOT = "io.meshgate.policy";

	/** A reference to a class of the module: its package, then a name that starts upper case. */
	private static final Pattern REFERENCE = Pattern.compile("\\bio\\.meshgate\\.policy((?:\\.[a-z0-9_]+)*)\\.[A-Z]");

	/** Comments, string and character literals: nothing in them is a dependency. */
	private static final Pattern NOT_CODE = Pattern
		.compile("/\\*.*?\\*/|//[^\\n]*|\"\"\"(?s:.*?)\"\"\"|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*'", Pattern.DOTALL);

	@Test
	void noPackageDependsOnItself() {
		Map<String, Map<String, Set<String>>> graph = dependencies();
		assertThat(graph).containsKeys(ROOT, ROOT + ".upstream", ROOT + ".edge");

		List<String> cycles = new ArrayList<>();
		for (Set<String> component : stronglyConnected(graph)) {
			StringBuilder cycle = new StringBuilder(String.join(", ", component)).append(':');
			for (String from : component) {
				graph.get(from).forEach((to, classes) -> {
					if (component.contains(to)) {
						cycle.append("\n  ").append(from).append(" -> ").append(to).append(" in ").append(classes);
					}
				});
			}
			cycles.add(cycle.toString());
		}
		assertThat(cycles).as("packages that depend on each other").isEmpty();
	}

	@Test
	void aCycleIsFound() {
		Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
		graph.put("a", Map.of("b", Set.of("A.java")));
		graph.put("b", Map.of("c", Set.of("B.java")));
		graph.put("c", Map.of("a", Set.of("C.java")));
		graph.put("d", Map.of("a", Set.of("D.java")));

		assertThat(stronglyConnected(graph)).containsExactly(Set.of("a", "b", "c"));
	}

	/** Package to the packages it uses, each with the files that use it. */
	private static Map<String, Map<String, Set<String>>> dependencies() {
		Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
		try (Stream<Path> files = Files.walk(SOURCES)) {
			for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
				String from = SOURCES.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), ".");
				if (!from.startsWith(ROOT)) {
					continue;
				}
				Map<String, Set<String>> uses = graph.computeIfAbsent(from, p -> new TreeMap<>());
				Matcher reference = REFERENCE.matcher(NOT_CODE.matcher(Files.readString(file)).replaceAll(" "));
				while (reference.find()) {
					String to = ROOT + reference.group(1);
					if (!to.equals(from)) {
						uses.computeIfAbsent(to, p -> new TreeSet<>()).add(file.getFileName().toString());
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return graph;
	}

	/** Tarjan's strongly connected components with more than one package: each holds a cycle. */
	static List<Set<String>> stronglyConnected(Map<String, Map<String, Set<String>>> graph) {
		Map<String, Integer> index = new HashMap<>();
		Map<String, Integer> low = new HashMap<>();
		Deque<String> stack = new ArrayDeque<>();
		List<Set<String>> components = new ArrayList<>();
		for (String node : graph.keySet()) {
			if (!index.containsKey(node)) {
				connect(node, graph, index, low, stack, components);
			}
		}
		return components;
	}

	private static void connect(String node, Map<String, Map<String, Set<String>>> graph, Map<String, Integer> index,
			Map<String, Integer> low, Deque<String> stack, List<Set<String>> components) {
		index.put(node, index.size());
		low.put(node, index.get(node));
		stack.push(node);
		for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
			if (!index.containsKey(next)) {
				connect(next, graph, index, low, stack, components);
				low.put(node, Math.min(low.get(node), low.get(next)));
			}
			else if (stack.contains(next)) {
				low.put(node, Math.min(low.get(node), index.get(next)));
			}
		}
		if (low.get(node).equals(index.get(node))) {
			Set<String> component = new TreeSet<>();
			String member;
			do {
				member = stack.pop();
				component.add(member);
			}
			while (!member.equals(node));
			if (component.size() > 1) {
				components.add(component);
			}
		}
	}

}
