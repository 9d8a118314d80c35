package io.meshgate.policy.mirror.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.meshgate.policy.mirror.compare.ComparePolicy.BodyComparison;

/**
 * Where two answers differ, as the paths a comparison reports: {@code status},
 * {@code header <name>}, {@code body} (EXACT, or a body that is not JSON, or one cut at the body
 * limit), and JSON paths such as {@code $.items[2].price} (JSON), with {@code $.a} for a member
 * one side lacks. Ignored paths and everything below them are left out. At most
 * {@value #MAX_PATHS} paths per pair: a redesigned answer differs everywhere and says no more for
 * a thousand paths than for a hundred.
 */
public final class ResponseDiff {

	static final int MAX_PATHS = 100;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ComparePolicy policy;

	private final List<JsonPath> ignored;

	public ResponseDiff(ComparePolicy policy) {
		this.policy = policy;
		this.ignored = policy.ignoredPaths();
	}

	/** The paths at which {@code shadow} differs from {@code primary}, in a stable order. */
	public Set<String> between(Answer primary, Answer shadow) {
		Set<String> paths = new TreeSet<>();
		if (policy.status() && primary.status() != shadow.status()) {
			paths.add("status");
		}
		for (String header : policy.headers()) {
			if (!Objects.equals(primary.headers().get(header), shadow.headers().get(header))) {
				paths.add("header " + header);
			}
		}
		if (policy.body() == BodyComparison.NONE) {
			return paths;
		}
		if (!primary.complete() || !shadow.complete()) {
			// a cut body can be compared only as far as it goes: say so rather than guess
			if (!Arrays.equals(primary.body(), shadow.body()) || primary.complete() != shadow.complete()) {
				paths.add("body");
			}
			return paths;
		}
		if (policy.body() == BodyComparison.EXACT) {
			if (!Arrays.equals(primary.body(), shadow.body())) {
				paths.add("body");
			}
			return paths;
		}
		JsonNode left = parse(primary.body());
		JsonNode right = parse(shadow.body());
		if (left == null || right == null) {
			if (!Arrays.equals(primary.body(), shadow.body())) {
				paths.add("body");
			}
			return paths;
		}
		List<String> differing = new ArrayList<>();
		compare(left, right, new ArrayList<>(), differing);
		paths.addAll(differing);
		return paths;
	}

	private void compare(JsonNode left, JsonNode right, List<String> at, List<String> differing) {
		if (differing.size() >= MAX_PATHS || ignored(at)) {
			return;
		}
		if (left.isObject() && right.isObject()) {
			Set<String> names = new TreeSet<>(left.propertyNames());
			names.addAll(right.propertyNames());
			for (String name : names) {
				JsonNode a = left.get(name);
				JsonNode b = right.get(name);
				at.add("." + name);
				if (a == null || b == null) {
					if (!ignored(at) && differing.size() < MAX_PATHS) {
						differing.add(JsonPath.text(at));
					}
				}
				else {
					compare(a, b, at, differing);
				}
				at.remove(at.size() - 1);
			}
			return;
		}
		if (left.isArray() && right.isArray()) {
			int common = Math.min(left.size(), right.size());
			for (int i = 0; i < common; i++) {
				at.add("[" + i + "]");
				compare(left.get(i), right.get(i), at, differing);
				at.remove(at.size() - 1);
			}
			if (left.size() != right.size() && differing.size() < MAX_PATHS) {
				// elements one side lacks: reported once, at the array
				differing.add(JsonPath.text(at) + ".length");
			}
			return;
		}
		if (!left.equals(right)) {
			differing.add(JsonPath.text(at));
		}
	}

	private boolean ignored(List<String> at) {
		for (JsonPath path : ignored) {
			if (path.covers(at)) {
				return true;
			}
		}
		return false;
	}

	private static JsonNode parse(byte[] body) {
		try {
			return JSON.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
