package io.meshgate.gateway.fault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import tools.jackson.databind.json.JsonMapper;

/**
 * Malformed writes to the admin API, drawn from a seeded {@link Random} (the same seed gives the
 * same payloads): each is a valid route, upstream or whole configuration with one malformation of
 * one kind, sent to {@code PUT /api/routes/{id}}, {@code PUT /api/upstreams/{name}} or
 * {@code POST /api/import}. None of them may be accepted.
 *
 * <p>The valid bases match what {@link FaultSuiteTest} stores (upstreams {@code v1}, {@code v2}
 * and route {@value #ROUTE}), so a payload that were wrongly accepted would change the stored
 * configuration, and the test would see it in the export too.
 */
final class MalformedAdminPayloads {

	static final String ROUTE = "admin-edit";

	static final String WRONG_TYPE = "wrongType";

	static final String HUGE_NUMBER = "hugeNumber";

	static final String UNKNOWN_FIELD = "unknownField";

	static final String BROKEN_JSON = "brokenJson";

	static final String TEN_MEGABYTES = "10MB";

	static final String INVALID_REGEX = "invalidRegex";

	static final String UNKNOWN_UPSTREAM = "unknownUpstream";

	private static final String[] KINDS = { WRONG_TYPE, HUGE_NUMBER, UNKNOWN_FIELD, BROKEN_JSON, INVALID_REGEX,
			UNKNOWN_UPSTREAM };

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** One write: which malformation, where to, and the bytes. */
	record Payload(String kind, String target, String method, String path, byte[] body, String contentType) {

		String describe() {
			String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
			return kind + " " + method + " " + path + " (" + body.length + " bytes) " + text;
		}

	}

	private final Random random;

	private final String v1Url;

	private final String v2Url;

	MalformedAdminPayloads(long seed, String v1Url, String v2Url) {
		this.random = new Random(seed);
		this.v1Url = v1Url;
		this.v2Url = v2Url;
	}

	/** A payload of a kind drawn at random (never {@link #TEN_MEGABYTES}: see {@link #tenMegabytes}). */
	Payload next() {
		String kind = KINDS[random.nextInt(KINDS.length)];
		boolean routeOnly = kind.equals(INVALID_REGEX) || kind.equals(UNKNOWN_UPSTREAM);
		String target = switch (random.nextInt(routeOnly ? 2 : 3)) {
			case 0 -> "route";
			case 1 -> "import";
			default -> "upstream";
		};
		Map<String, Object> doc = switch (target) {
			case "route" -> route(random.nextInt(4) == 0 ? "fuzz-" + random.nextInt(1000) : ROUTE);
			case "upstream" -> upstream(random.nextBoolean() ? "v1" : "fuzz-" + random.nextInt(1000), v1Url);
			default -> config();
		};
		String text = switch (kind) {
			case WRONG_TYPE -> JSON.writeValueAsString(wrongType(target, doc));
			case HUGE_NUMBER -> hugeNumber(target, doc);
			case UNKNOWN_FIELD -> JSON.writeValueAsString(unknownField(target, doc));
			case BROKEN_JSON -> brokenJson(JSON.writeValueAsString(doc), target.equals("import"));
			case INVALID_REGEX -> {
				invalidRegex(routeIn(target, doc));
				yield JSON.writeValueAsString(doc);
			}
			default -> JSON.writeValueAsString(unknownUpstream(target, doc));
		};
		return payload(kind, target, doc, text.getBytes(StandardCharsets.UTF_8));
	}

	/** A body of 10 MB (plus a few bytes), otherwise well formed, to each write endpoint in turn. */
	Payload tenMegabytes(int index) {
		String filler = "a".repeat(10 * 1024 * 1024);
		return switch (index % 3) {
			case 0 -> payload(TEN_MEGABYTES, "route", route(ROUTE),
					("{\"id\":\"" + ROUTE + "\",\"match\":{\"path\":\"/" + filler + "/**\"}}").getBytes(StandardCharsets.UTF_8));
			case 1 -> payload(TEN_MEGABYTES, "upstream", upstream("v1", v1Url),
					("{\"name\":\"v1\",\"endpoints\":[\"http://" + filler + ".example\"]}").getBytes(StandardCharsets.UTF_8));
			default -> payload(TEN_MEGABYTES, "import", config(),
					("routes:\n  - id: big\n    match: {path: /" + filler + "}\n").getBytes(StandardCharsets.UTF_8));
		};
	}

	private Payload payload(String kind, String target, Map<String, Object> doc, byte[] body) {
		return switch (target) {
			case "route" -> new Payload(kind, target, "PUT", "/api/routes/" + doc.get("id"), body, "application/json");
			case "upstream" -> new Payload(kind, target, "PUT", "/api/upstreams/" + doc.get("name"), body,
					"application/json");
			default -> new Payload(kind, target, "POST", "/api/import", body, "application/yaml");
		};
	}

	// valid bases

	Map<String, Object> route(String id) {
		Map<String, Object> route = new LinkedHashMap<>();
		route.put("id", id);
		route.put("match", map("path", "/" + id + "/**"));
		route.put("backends", new ArrayList<>(List.of(map("upstream", "v1", "weight", 90), map("upstream", "v2", "weight", 10))));
		route.put("retries", map("attempts", 2, "retryOn", new ArrayList<>(List.of("connect-failure", "reset", "503"))));
		route.put("timeout", "5s");
		return route;
	}

	Map<String, Object> upstream(String name, String url) {
		Map<String, Object> upstream = new LinkedHashMap<>();
		upstream.put("name", name);
		upstream.put("endpoints", new ArrayList<>(List.of(url)));
		upstream.put("loadBalancer", map("policy", "LEAST_REQUEST"));
		return upstream;
	}

	Map<String, Object> config() {
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("upstreams", new ArrayList<>(List.of(upstream("v1", v1Url), upstream("v2", v2Url))));
		config.put("routes", new ArrayList<>(List.of(route(ROUTE))));
		return config;
	}

	// malformations

	private Map<String, Object> wrongType(String target, Map<String, Object> doc) {
		if (target.equals("upstream")) {
			Map<String, Object> upstream = doc;
			switch (random.nextInt(4)) {
				case 0 -> upstream.put("loadBalancer", scalar());
				case 1 -> lb(upstream).put("policy", random.nextBoolean() ? List.of("LEAST_REQUEST") : map("p", 1));
				case 2 -> upstream.put("endpoints", map("uri", v1Url));
				default -> upstream.put("endpoints", List.of(List.of(v1Url)));
			}
			return doc;
		}
		if (target.equals("import") && random.nextInt(4) == 0) {
			doc.put(random.nextBoolean() ? "routes" : "upstreams", random.nextBoolean() ? map("x", 1) : scalar());
			return doc;
		}
		Map<String, Object> route = routeIn(target, doc);
		switch (random.nextInt(8)) {
			case 0 -> route.put("match", scalar());
			case 1 -> match(route).put("path", random.nextBoolean() ? List.of("/a/**") : map("p", "/a/**"));
			case 2 -> route.put("backends", random.nextBoolean() ? 42 : true);
			case 3 -> backend(route).put("weight", oneOf("heavy", true, List.of(1), map("w", 1), "1.5", "ten"));
			case 4 -> backends(route).set(0, oneOf(42, true, "v1", List.of("v1", 90)));
			case 5 -> retries(route).put("attempts", oneOf("twice", true, List.of(2), map("n", 2), "2.5"));
			case 6 -> route.put("retries", scalar());
			default -> route.put("timeout", oneOf(List.of(1, 2), map("s", 5), true, "soon", "5 parsecs"));
		}
		return doc;
	}

	private String hugeNumber(String target, Map<String, Object> doc) {
		// beyond an int for the whole numbers; beyond a long (or not whole) for the timeout, where a
		// plain number is milliseconds and 2147483648 would be a valid (if long) timeout
		String huge = oneOf("99999999999999999999", "-99999999999999999999", "1e400", "-1e400", "1e308",
				"123456789012345678901234567890");
		String hugeInt = random.nextBoolean() ? huge : oneOf("2147483648", "-2147483649");
		String marker = "\"__HUGE__\"";
		String marker2 = "\"__HUGE_INT__\"";
		if (target.equals("upstream")) {
			doc.put("endpoints", new ArrayList<>(List.of(map("uri", v1Url, "weight", "__HUGE_INT__"))));
		}
		else {
			Map<String, Object> route = routeIn(target, doc);
			switch (random.nextInt(3)) {
				case 0 -> backend(route).put("weight", "__HUGE_INT__");
				case 1 -> retries(route).put("attempts", "__HUGE_INT__");
				default -> route.put("timeout", "__HUGE__");
			}
		}
		return JSON.writeValueAsString(doc).replace(marker, huge).replace(marker2, hugeInt);
	}

	private Map<String, Object> unknownField(String target, Map<String, Object> doc) {
		String field = "zq" + letters(1 + random.nextInt(10));
		Object value = oneOf(1, "x", true, map("a", 1), List.of(1));
		if (target.equals("upstream")) {
			(random.nextBoolean() ? doc : lb(doc)).put(field, value);
			return doc;
		}
		if (target.equals("import") && random.nextInt(3) == 0) {
			doc.put(field, value);
			return doc;
		}
		Map<String, Object> route = routeIn(target, doc);
		switch (random.nextInt(4)) {
			case 0 -> route.put(field, value);
			case 1 -> match(route).put(field, value);
			case 2 -> backend(route).put(field, value);
			default -> retries(route).put(field, value);
		}
		return doc;
	}

	/** Valid JSON broken by a cut, a removed or an added character; checked not to parse any more. */
	private String brokenJson(String valid, boolean importing) {
		for (int attempt = 0; attempt < 100; attempt++) {
			String broken;
			int at = 1 + random.nextInt(valid.length() - 1);
			int how = importing ? 0 : random.nextInt(3);
			if (how == 0) {
				broken = valid.substring(0, at); // cut short: unclosed in JSON and in YAML alike
			}
			else if (how == 1) {
				int structural = structuralIndex(valid);
				broken = valid.substring(0, structural) + valid.substring(structural + 1);
			}
			else {
				broken = valid.substring(0, at) + oneOf("{", "[", "\"", ":", ",", "}", "]") + valid.substring(at);
			}
			if (!parses(broken)) {
				return broken;
			}
		}
		throw new IllegalStateException("could not break " + valid);
	}

	private int structuralIndex(String text) {
		while (true) {
			int i = random.nextInt(text.length());
			if ("{}[]\":,".indexOf(text.charAt(i)) >= 0) {
				return i;
			}
		}
	}

	private static boolean parses(String text) {
		try {
			JSON.readTree(text);
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private Map<String, Object> invalidRegex(Map<String, Object> route) {
		String regex = oneOf(letters(3) + "[", letters(3) + "(", letters(3) + "\\", letters(3) + "[z-a]",
				letters(3) + "{2,1}", "*" + letters(3), "+" + letters(3), "?" + letters(3), "(?<" + letters(2));
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("x-env", "beta");
		headers.put("x-" + letters(4), regex);
		match(route).put("headers", headers);
		return route;
	}

	private Map<String, Object> unknownUpstream(String target, Map<String, Object> doc) {
		if (target.equals("import") && random.nextInt(3) == 0) {
			upstreams(doc).remove(1); // v2 is gone, the route still sends 10% to it
			return doc;
		}
		Map<String, Object> route = routeIn(target, doc);
		String ghost = "ghost-" + letters(5);
		if (random.nextBoolean()) {
			backend(route).put("upstream", ghost);
		}
		else {
			route.put("mirrors", List.of(map("upstream", ghost, "percentage", 10)));
		}
		return doc;
	}

	// navigation

	@SuppressWarnings("unchecked")
	private static Map<String, Object> routeIn(String target, Map<String, Object> doc) {
		return target.equals("route") ? doc : (Map<String, Object>) ((List<Object>) doc.get("routes")).get(0);
	}

	@SuppressWarnings("unchecked")
	private static List<Object> upstreams(Map<String, Object> config) {
		return (List<Object>) config.get("upstreams");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> match(Map<String, Object> route) {
		return (Map<String, Object>) route.get("match");
	}

	@SuppressWarnings("unchecked")
	private static List<Object> backends(Map<String, Object> route) {
		return (List<Object>) route.get("backends");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> backend(Map<String, Object> route) {
		return (Map<String, Object>) backends(route).get(random.nextInt(2));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> retries(Map<String, Object> route) {
		return (Map<String, Object>) route.get("retries");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> lb(Map<String, Object> upstream) {
		return (Map<String, Object>) upstream.get("loadBalancer");
	}

	private Object scalar() {
		return oneOf("text", 42, true, -1.5, List.of("a", "b"));
	}

	@SafeVarargs
	private <T> T oneOf(T... choices) {
		return choices[random.nextInt(choices.length)];
	}

	private String letters(int count) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < count; i++) {
			text.append((char) ('a' + random.nextInt(26)));
		}
		return text.toString();
	}

	private static Map<String, Object> map(Object... pairs) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			map.put((String) pairs[i], pairs[i + 1]);
		}
		return map;
	}

}
