package io.meshgate.policy.schema;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.boot.convert.DurationStyle;

import io.meshgate.policy.route.MeshConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every default the reference pages state for a field of the configuration is the record's own,
 * as the JSON Schema reads it from the compact constructors. They state defaults in four ways, all
 * read here: tables with a {@code default} column under a {@code …: `key`} heading (of a record a
 * section is about, or of the configuration's root, as {@code jwtProviders}), enum tables with a
 * {@code (default)} row, {@code Defaults: `field` value, …} sentences, and {@code # default}
 * comments in YAML examples. A failure lists each line that differs, by file and line.
 *
 * <p>The policy pages ({@code docs/policies/}) are held to more: each names where its record sits
 * ({@code **Configured at** `routes[].retries` (`RetryPolicy`)}), and its option tables must list
 * every field of that record, each with the record's default and, for a field of fixed values,
 * every value it takes.
 */
class DocumentedDefaultsTest {

	/** The pages that document the records' fields. */
	static final List<Path> PAGES = Stream.of("README.md", "docs/routes.md", "docs/upstreams.md", "docs/access.md")
		.map(page -> Path.of("..").resolve(page))
		.toList();

	/** How many defaults the overview pages state at least, in the forms read here. */
	private static final int MIN_STATED = 3;

	private static final Pattern HEADING_KEYS = Pattern.compile("`([A-Za-z0-9]+(?:\\.[A-Za-z0-9]+)*)`");

	private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

	private static final Pattern DEFAULT_ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\(default\\)");

	private static final Pattern PROSE_PAIR = Pattern.compile("`([A-Za-z0-9]+)`\\s+([^,;.`]+)");

	private static final Pattern YAML_KEY = Pattern.compile("^(\\s*)(-\\s+)?([A-Za-z0-9_]+):(.*)$");

	/** One default a page states: where, for which field, and what it says. */
	record Stated(int line, String owner, List<String> keys, String field, Claim claim) {
	}

	/** What a page says of a default: a value, that there is none, or that the field is required. */
	record Claim(Kind kind, String text) {

		enum Kind {
			VALUE, NONE, REQUIRED
		}

		static Claim ofCell(String cell) {
			Matcher ticked = TICKED.matcher(cell);
			if (ticked.find()) {
				return new Claim(Kind.VALUE, ticked.group(1).trim());
			}
			return cell.contains("required") ? new Claim(Kind.REQUIRED, cell.trim()) : new Claim(Kind.NONE, cell.trim());
		}

	}

	private final Map<String, Object> schema = RecordSchema.of(MeshConfig.class);

	@Test
	void everyDefaultReadmeStatesIsTheRecordsDefault() throws IOException {
		int stated = 0;
		List<String> differences = new ArrayList<>();
		for (Path page : PAGES) {
			List<String> lines = Files.readAllLines(page);
			stated += read(lines).size();
			differences.addAll(differences(page.getFileName().toString(), lines));
		}

		// the overview pages leave options to the policy pages (checked below, field by field) and
		// state only a few defaults themselves: a page rewritten in another form must be read here too
		assertThat(stated).as("defaults the pages state").isGreaterThanOrEqualTo(MIN_STATED);
		assertThat(differences).as("documented defaults that differ from the records'").isEmpty();
	}

	@Test
	void readsEachFormReadmeStatesDefaultsInAndNamesTheLinesThatDiffer() {
		List<String> document = List.of(
				"### Route policies", // 1
				"#### Retries: `retries`", //
				"| field | default | meaning |", //
				"|---|---|---|", //
				"| `attempts` | `3` | retries |", // 5: wrong
				"| `budgetPercent` | `20` | share |", //
				"| `baseInterval` / `maxInterval` | `25ms` / `250ms` | backoff |", // 7: maxInterval follows baseInterval
				"| `perTryTimeout` | `1s` | one try |", // 8: no default
				"| `retryNonIdempotent` | none | |", // 9: false
				"", //
				"#### Traffic mirroring: `mirrors`", //
				"| field | default | meaning |", //
				"|---|---|---|", //
				"| `upstream` | required | |", //
				"| `percentage` | optional | |", // 15: 100
				"", //
				"### Routes: where traffic goes", //
				"| `pathType` | `path` is |", //
				"|---|---|", //
				"| `EXACT` (default) | the whole path |", // 20: PATTERN
				"", //
				"### Upstream policies", //
				"#### Active health checks: `healthCheck`", //
				"Every interval. Defaults: `interval` 5s, `timeout` 2s, `unhealthyThreshold` 3; `path` is required.", // 24
				"", //
				"```yaml", //
				"meshgate:", //
				"  upstreams:", //
				"    - name: orders", //
				"      loadBalancer:", //
				"        policy: LEAST_REQUEST     # default", // 31: ROUND_ROBIN
				"  https:", //
				"    port: 8443          # unset (default): not a record", //
				"```");

		assertThat(read(document)).hasSize(15);
		assertThat(differences("README.md", document)).containsExactly(
				"README.md:5: Route.retries.attempts: the page says value '3'; the record's default is 2",
				"README.md:7: Route.retries.maxInterval: the page says value '250ms'; the record's default follows [baseInterval]",
				"README.md:8: Route.retries.perTryTimeout: the page says value '1s'; the record's default is none",
				"README.md:9: Route.retries.retryNonIdempotent: the page says none 'none'; the record's default is false",
				"README.md:15: Route.mirrors.percentage: the page says none 'optional'; the record's default is 100",
				"README.md:20: RouteMatch.pathType: the page says value 'EXACT'; the record's default is PATTERN",
				"README.md:24: Upstream.healthCheck.timeout: the page says value '2s'; the record's default is 1s",
				"README.md:24: Upstream.healthCheck.path: the page says required 'is required'; the record does not require it",
				"README.md:31: MeshConfig.upstreams.loadBalancer.policy: the page says value 'LEAST_REQUEST'; "
						+ "the record's default is ROUND_ROBIN");
	}

	/** The policy pages: one per policy, each naming where its record sits in the configuration. */
	static List<Path> policyPages() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("..", "docs", "policies"))) {
			return files.filter(file -> file.getFileName().toString().endsWith(".md"))
				.filter(file -> !file.getFileName().toString().equals("README.md"))
				.sorted()
				.toList();
		}
	}

	@Test
	void everyPolicyPageDocumentsEveryFieldOfItsRecordWithTheRecordsDefault() throws IOException {
		List<Path> pages = policyPages();
		int rows = 0;
		List<String> differences = new ArrayList<>();
		for (Path page : pages) {
			List<String> lines = Files.readAllLines(page);
			rows += (int) lines.stream().filter(line -> line.startsWith("| `")).count();
			differences.addAll(policyPageDifferences(page.getFileName().toString(), lines));
		}

		String index = Files.readString(Path.of("..", "docs", "policies", "README.md"));
		assertThat(pages).as("policy pages").hasSizeGreaterThanOrEqualTo(20)
			.allSatisfy(page -> assertThat(index).as("the policy index").contains("(" + page.getFileName() + ")"));
		assertThat(rows).as("option rows the policy pages have").isGreaterThanOrEqualTo(150);
		assertThat(differences).as("policy pages that differ from the records").isEmpty();
	}

	@Test
	void aPolicyPageWithAWrongDefaultAMissingFieldOrAWrongRecordFails() {
		List<String> page = List.of(
				"# Retries", // 1
				"", //
				"**Configured at** `routes[].retries` (`RetryPolicy`).", //
				"", //
				"| field | default | allowed | meaning |", //
				"|---|---|---|---|", //
				"| `attempts` | `3` | 0-10 | retries |", // 7: the record's is 2
				"| `perTryTimeout` | none | a duration | |", //
				"| `retryOn` | `[connect-failure, reset, 503, unavailable, cancelled, deadline-exceeded]` | | |", //
				"| `baseInterval` / `maxInterval` | `25ms` / `10 × base` | | |", //
				"| `budgetPercent` | `20` | | |", //
				"| `minRetryConcurrency` | `3` | | |", //
				"| `retryNonIdempotent` | `false` | | |", //
				"| `jitter` | `50` | | |", // 14: no such field; maxBodySize not documented
				"", //
				"**Configured at** `upstreams[].loadBalancer` (`LoadBalancer`).", // 16: the record is LoadBalancerPolicy
				"", //
				"| field | default | allowed | meaning |", //
				"|---|---|---|---|", //
				"| `policy` | `ROUND_ROBIN` | `ROUND_ROBIN`, `LEAST_REQUEST` | |", // 20: RING_HASH left out
				"| `hashOn` | none | | |", //
				"", //
				"```yaml", //
				"meshgate:", //
				"  routes:", //
				"    - id: orders", //
				"      retries:", //
				"        budgetPercent: 25   # default", // 28: 20
				"```");

		assertThat(policyPageDifferences("retries.md", page)).containsExactly(
				"retries.md:7: MeshConfig.routes.retries.attempts: the page says value '3'; the record's default is 2",
				"retries.md:14: jitter: not a field of RetryPolicy at routes[].retries",
				"retries.md:16: upstreams[].loadBalancer: holds LoadBalancerPolicy, not LoadBalancer",
				"retries.md:20: MeshConfig.upstreams.loadBalancer.policy: allowed values leave out RING_HASH",
				"retries.md:28: MeshConfig.routes.retries.budgetPercent: the page says value '25'; the record's default is 20",
				"retries.md:3: routes[].retries: maxBodySize of RetryPolicy is not documented");
	}

	/** Where a policy page's tables point: configuration paths ({@code routes[].retries}) holding one record. */
	private record Base(int line, List<String> paths, String record) {

		/** The path of a field of a table row under this base, from the configuration's root. */
		List<String> fieldPath(String field) {
			List<String> path = new ArrayList<>(segments(paths.get(0)));
			if (record == null) {
				// a policy that is one value (timeout, protocol): its row names that value
				path.remove(path.size() - 1);
			}
			path.addAll(List.of(field.split("\\.")));
			return path;
		}

		static List<String> segments(String path) {
			return new ArrayList<>(List.of(path.replace("[]", "").split("\\.")));
		}

	}

	private static final Pattern CONFIGURED_AT = Pattern.compile("^\\*\\*Configured at\\*\\* (.*)$");

	/**
	 * What differs between a policy page and the records: each {@code **Configured at** `path`, …
	 * (`Record`)} line must name paths that hold that record; each row of a table with a {@code field}
	 * and a {@code default} column below it must name a field of the record with the record's default,
	 * and, for a field of fixed values, name every one of them in its {@code allowed} column; every
	 * field of the record must have a row; and defaults stated in YAML examples must be the records'.
	 */
	private List<String> policyPageDifferences(String page, List<String> lines) {
		List<String> differences = new ArrayList<>();
		List<Base> bases = new ArrayList<>();
		Map<Base, Set<String>> documented = new java.util.LinkedHashMap<>();
		Base base = null;
		List<String> header = null;
		boolean fenced = false;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			int number = i + 1;
			if (line.startsWith("```")) {
				fenced = !fenced;
				continue;
			}
			Matcher at = CONFIGURED_AT.matcher(line);
			if (!fenced && at.matches()) {
				base = base(page, number, at.group(1), differences);
				bases.add(base);
				documented.put(base, new HashSet<>());
				continue;
			}
			if (fenced || !line.startsWith("|")) {
				header = null;
				continue;
			}
			List<String> cells = cells(line);
			if (header == null) {
				header = cells.stream().map(cell -> cell.toLowerCase(Locale.ROOT)).toList();
				continue;
			}
			int defaults = header.indexOf("default");
			if (!header.get(0).equals("field") || defaults < 0 || cells.get(0).startsWith("---") || base == null) {
				continue;
			}
			List<String> fields = TICKED.matcher(cells.get(0)).results().map(m -> m.group(1).replace("[]", "")).toList();
			String[] stated = cells.size() > defaults ? cells.get(defaults).split(" / ") : new String[] { "" };
			for (int f = 0; f < fields.size(); f++) {
				documented.get(base).add(fields.get(f));
				Field field = field(prefixed("MeshConfig", base.fieldPath(fields.get(f))));
				if (field == null) {
					differences.add(page + ":" + number + ": " + fields.get(f) + ": not a field of "
							+ (base.record() == null ? "the configuration" : base.record()) + " at " + base.paths().get(0));
					continue;
				}
				String cell = stated.length == fields.size() ? stated[f] : cells.get(defaults);
				String difference = check(field, Claim.ofCell(cell));
				if (difference != null) {
					differences.add(page + ":" + number + ": " + difference);
				}
				int allowed = header.indexOf("allowed");
				if (field.property().get("enum") instanceof List<?> values && allowed > 0 && cells.size() > allowed) {
					List<String> missing = values.stream().map(String::valueOf)
						.filter(value -> !cells.get(allowed).contains("`" + value + "`"))
						.toList();
					if (!missing.isEmpty()) {
						differences.add(page + ":" + number + ": " + field.path() + ": allowed values leave out "
								+ String.join(", ", missing));
					}
				}
			}
		}
		for (Stated example : yamlDefaults(lines)) {
			String difference = check(example);
			if (difference != null) {
				differences.add(page + ":" + example.line() + ": " + difference);
			}
		}
		if (bases.isEmpty()) {
			differences.add(page + ": no **Configured at** line naming where the policy sits in the configuration");
		}
		for (Base each : bases) {
			if (each == null || each.record() == null) {
				continue;
			}
			for (String name : properties(each.record()).keySet()) {
				boolean listed = documented.get(each).stream().anyMatch(f -> f.equals(name) || f.startsWith(name + "."));
				if (!listed) {
					differences.add(page + ":" + each.line() + ": " + each.paths().get(0) + ": " + name + " of "
							+ each.record() + " is not documented");
				}
			}
		}
		return differences;
	}

	/** The paths and record a {@code **Configured at**} line names, each path checked to hold that record. */
	private Base base(String page, int number, String text, List<String> differences) {
		List<String> ticked = TICKED.matcher(text).results().map(m -> m.group(1)).toList();
		List<String> paths = ticked.stream().filter(t -> Character.isLowerCase(t.charAt(0))).toList();
		String named = ticked.stream().filter(t -> Character.isUpperCase(t.charAt(0))).findFirst().orElse(null);
		String record = null;
		for (String path : paths) {
			Field field = field(prefixed("MeshConfig", Base.segments(path)));
			String held = field == null ? null : held(field.property());
			if (field == null) {
				differences.add(page + ":" + number + ": " + path + ": not a path of the configuration");
			}
			else if (named != null && !named.equals(held)) {
				differences.add(page + ":" + number + ": " + path + ": holds " + held + ", not " + named);
			}
			record = record == null ? held : record;
		}
		return new Base(number, paths, named == null ? null : record == null ? named : record);
	}

	/** The defaults a page's YAML examples state in comments ({@code # default}). */
	private static List<Stated> yamlDefaults(List<String> lines) {
		List<Stated> stated = new ArrayList<>();
		Deque<Object[]> yaml = null;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			if (line.startsWith("```")) {
				yaml = yaml == null && line.startsWith("```yaml") ? new ArrayDeque<>() : null;
			}
			else if (yaml != null) {
				yamlComment(line, i + 1, yaml, stated);
			}
		}
		return stated;
	}

	/** Each line of a page whose stated default is not the record's, with both. */
	private List<String> differences(String page, List<String> lines) {
		List<String> differences = new ArrayList<>();
		for (Stated each : read(lines)) {
			String difference = check(each);
			if (difference != null) {
				differences.add(page + ":" + each.line() + ": " + difference);
			}
		}
		return differences;
	}

	/** The number of {@code #} of a Markdown heading, 0 for any other line. */
	private static int headingLevel(String line) {
		int level = 0;
		while (level < line.length() && line.charAt(level) == '#') {
			level++;
		}
		return level > 0 && level < line.length() && line.charAt(level) == ' ' ? level : 0;
	}

	/** The defaults a page states, in the order it states them. */
	static List<Stated> read(List<String> lines) {
		List<Stated> stated = new ArrayList<>();
		String owner = null;
		int ownerLevel = 0;
		List<String> keys = List.of();
		List<String> header = null;
		boolean fenced = false;
		Deque<Object[]> yaml = null;
		StringBuilder paragraph = new StringBuilder();
		int paragraphLine = 0;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			int number = i + 1;
			if (line.startsWith("```")) {
				fenced = !fenced;
				yaml = fenced && line.startsWith("```yaml") ? new ArrayDeque<>() : null;
				continue;
			}
			if (fenced) {
				if (yaml != null) {
					yamlComment(line, number, yaml, stated);
				}
				continue;
			}
			int level = headingLevel(line);
			List<String> headingKeys = level == 0 ? List.of()
					: HEADING_KEYS.matcher(line.substring(line.indexOf(':') + 1)).results().map(m -> m.group(1)).toList();
			if (level > 1 && headingKeys.isEmpty() && (level <= ownerLevel || line.contains("Upstream") || line.contains("Route"))) {
				// a section about upstreams or routes, or one that ends such a section
				owner = line.contains("Upstream") ? "Upstream" : line.contains("Route") ? "Route" : null;
				ownerLevel = level;
				keys = List.of();
			}
			else if (level > 1) {
				// a section about one field (`…: `key``), or a part of the section above it
				keys = headingKeys;
			}
			if (line.startsWith("|")) {
				List<String> cells = cells(line);
				if (header == null) {
					header = cells;
				}
				else if ((owner != null || !keys.isEmpty()) && !cells.get(0).startsWith("---")) {
					row(header, cells, line, number, owner, keys, stated);
				}
			}
			else {
				header = null;
			}
			if (line.isBlank()) {
				prose(paragraph.toString(), paragraphLine, owner, keys, stated);
				paragraph.setLength(0);
			}
			else if (!paragraph.isEmpty() || line.contains("Defaults: ")) {
				// from the sentence on, to the end of its paragraph
				paragraphLine = paragraph.isEmpty() ? number : paragraphLine;
				paragraph.append(line).append(' ');
			}
		}
		return stated;
	}

	private static void row(List<String> header, List<String> cells, String line, int number, String owner,
			List<String> keys, List<Stated> stated) {
		List<String> names = header.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
		int column = names.indexOf("default");
		if (names.get(0).equals("field") && column > 0 && cells.size() > column) {
			List<String> fields = TICKED.matcher(cells.get(0)).results().map(m -> m.group(1)).toList();
			String[] defaults = cells.get(column).split(" / ");
			for (int f = 0; f < fields.size(); f++) {
				String cell = defaults.length == fields.size() ? defaults[f] : cells.get(column);
				stated.add(new Stated(number, owner, keys, fields.get(f).replace("[]", ""), Claim.ofCell(cell)));
			}
		}
		Matcher enumDefault = DEFAULT_ROW.matcher(line);
		Matcher field = TICKED.matcher(header.get(0));
		if (enumDefault.find() && field.matches()) {
			stated.add(new Stated(number, owner, keys, field.group(1), new Claim(Claim.Kind.VALUE, enumDefault.group(1))));
		}
	}

	/** {@code Defaults: `interval` 5s, `timeout` 1s; `path` is required.} */
	private static void prose(String paragraph, int number, String owner, List<String> keys, List<Stated> stated) {
		int at = paragraph.indexOf("Defaults: ");
		if (at < 0 || owner == null) {
			return;
		}
		String text = paragraph.substring(at + "Defaults: ".length());
		int end = text.indexOf(". ");
		for (MatchResult pair : PROSE_PAIR.matcher(end < 0 ? text : text.substring(0, end)).results().toList()) {
			String value = pair.group(2).trim();
			stated.add(new Stated(number, owner, keys, pair.group(1), value.equals("is required")
					? new Claim(Claim.Kind.REQUIRED, value) : new Claim(Claim.Kind.VALUE, value)));
		}
	}

	/** {@code policy: ROUND_ROBIN  # default}, {@code pathType: PATTERN  # PATTERN (default) | …}, {@code # default: any}. */
	private static void yamlComment(String line, int number, Deque<Object[]> stack, List<Stated> stated) {
		Matcher key = YAML_KEY.matcher(line);
		if (!key.matches()) {
			return;
		}
		int indent = key.group(1).length() + (key.group(2) == null ? 0 : key.group(2).length());
		while (!stack.isEmpty() && (int) stack.peek()[0] >= indent) {
			stack.pop();
		}
		stack.push(new Object[] { indent, key.group(3) });
		int hash = key.group(4).indexOf(" #");
		if (hash < 0) {
			return;
		}
		String value = key.group(4).substring(0, hash).trim();
		String comment = key.group(4).substring(hash + 2).trim();
		Claim claim;
		Matcher marked = Pattern.compile("(\\S+) \\(default\\)").matcher(comment);
		Matcher said = Pattern.compile("(?:^|; )default(:?) (.+)$").matcher(comment);
		if (comment.equals("default")) {
			claim = new Claim(Claim.Kind.VALUE, value);
		}
		else if (marked.find()) {
			claim = new Claim(Claim.Kind.VALUE, marked.group(1));
		}
		else if (said.find()) {
			claim = said.group(1).isEmpty() ? new Claim(Claim.Kind.VALUE, said.group(2).trim())
					: new Claim(Claim.Kind.NONE, said.group(2).trim());
		}
		else {
			return;
		}
		List<String> path = new ArrayList<>();
		stack.descendingIterator().forEachRemaining(entry -> path.add((String) entry[1]));
		if (path.get(0).equals("meshgate")) {
			path.remove(0);
		}
		stated.add(new Stated(number, null, path.subList(0, path.size() - 1), path.get(path.size() - 1), claim));
	}

	/** What is wrong with a stated default, or {@code null} when it is the record's. */
	private String check(Stated stated) {
		Field field = resolve(stated);
		if (field == null) {
			// a YAML key of the gateway's own properties (meshgate.https.port), not of a record
			return stated.owner() == null ? null : stated.field() + ": not a field of " + stated.owner() + " " + stated.keys();
		}
		return check(field, stated.claim());
	}

	/** What is wrong with {@code claim} about {@code field}'s default, or {@code null} when it is the record's. */
	private String check(Field field, Claim claim) {
		Map<String, Object> property = field.property();
		Object value = property.get("default");
		List<?> sources = (List<?>) property.get("x-defaultFrom");
		String said = field.path() + ": the page says " + claim.kind().name().toLowerCase() + " '" + claim.text() + "'";
		return switch (claim.kind()) {
			case REQUIRED -> ((List<?>) field.record().getOrDefault("required", List.of())).contains(field.name()) ? null
					: said + "; the record does not require it";
			case NONE -> value == null ? null : said + "; the record's default is " + shown(value);
			case VALUE -> {
				if (sources != null) {
					yield namesOneOf(claim.text(), sources) ? null
							: said + "; the record's default follows " + sources;
				}
				yield value != null && same(claim.text(), value) ? null
						: said + "; the record's default is " + (value == null ? "none" : shown(value));
			}
		};
	}

	/** {@code maxTokens} or {@code 10 × base}: a word that starts the name of a component the default follows. */
	private static boolean namesOneOf(String text, List<?> sources) {
		for (String word : text.split("[^A-Za-z]+")) {
			if (word.length() >= 3 && sources.stream().anyMatch(s -> s.toString().startsWith(word))) {
				return true;
			}
		}
		return false;
	}

	private static boolean same(String text, Object value) {
		String written = text.replaceAll("^\\[|\\]$", "");
		String expected = shown(value).replaceAll("^\\[|\\]$", "");
		if (value instanceof Number number && written.matches("-?[0-9.]+")) {
			return new BigDecimal(written).compareTo(new BigDecimal(number.toString())) == 0;
		}
		if (value instanceof List<?> || value instanceof Map<?, ?>) {
			// the pages write structured defaults in YAML flow style: [{name: Authorization, prefix: "Bearer "}]
			return written.equals(expected) || value.equals(yaml(text));
		}
		return written.equals(expected) || sameDuration(written, expected);
	}

	private static Object yaml(String text) {
		try {
			return new org.yaml.snakeyaml.Yaml().load(text);
		}
		catch (RuntimeException notYaml) {
			return null;
		}
	}

	/** {@code 5m} and {@code 300s} are one duration. */
	private static boolean sameDuration(String written, String expected) {
		try {
			return DurationStyle.detectAndParse(written).equals(DurationStyle.detectAndParse(expected));
		}
		catch (IllegalArgumentException notDurations) {
			return false;
		}
	}

	private static String shown(Object value) {
		if (value instanceof List<?> list) {
			return list.stream().map(DocumentedDefaultsTest::shown).collect(Collectors.joining(", ", "[", "]"));
		}
		if (value instanceof Double number && number == Math.rint(number)) {
			return String.valueOf(number.longValue());
		}
		return String.valueOf(value);
	}

	/** A property of a record's definition, found by its path. */
	record Field(String path, Map<String, Object> record, String name, Map<String, Object> property) {
	}

	/**
	 * The field a default is stated for: under the heading's keys of the section's record
	 * ({@code Route.retries.attempts}), under the record itself ({@code Route.canary.stickyOn}),
	 * or the one field of that name in a record it holds ({@code pathType} of {@code match}).
	 * YAML paths start at the configuration's root or at the record that holds their first key.
	 */
	private Field resolve(Stated stated) {
		List<List<String>> candidates = new ArrayList<>();
		if (stated.owner() == null) {
			List<String> path = new ArrayList<>(stated.keys());
			path.add(stated.field());
			candidates.add(prefixed("MeshConfig", path));
			for (String holder : holders(path.get(0))) {
				candidates.add(prefixed(holder, path));
			}
		}
		else {
			for (String key : stated.keys()) {
				candidates.add(prefixed(stated.owner(), List.of(key + "." + stated.field())));
			}
			candidates.add(prefixed(stated.owner(), List.of(stated.field())));
			for (String holder : holders(stated.field())) {
				if (reachable(stated.owner(), holder, new HashSet<>())) {
					candidates.add(prefixed(holder, List.of(stated.field())));
				}
			}
		}
		for (List<String> candidate : candidates) {
			Field field = field(candidate);
			if (field != null) {
				return field;
			}
		}
		return null;
	}

	private static List<String> prefixed(String record, List<String> path) {
		List<String> all = new ArrayList<>(List.of(record));
		path.forEach(p -> all.addAll(List.of(p.split("\\."))));
		return all;
	}

	private Field field(List<String> path) {
		String record = path.get(0);
		Map<String, Object> property = null;
		for (String name : path.subList(1, path.size())) {
			if (property != null) {
				record = held(property);
			}
			if (record == null || !properties(record).containsKey(name)) {
				return null;
			}
			property = map(properties(record).get(name));
		}
		return property == null ? null
				: new Field(String.join(".", path), definition(record), path.get(path.size() - 1), property);
	}

	private Map<String, Object> definition(String record) {
		return map(map(schema.get("$defs")).get(record));
	}

	private Map<String, Object> properties(String record) {
		return map(definition(record).get("properties"));
	}

	/** The record a property holds, through lists, maps and either-forms; {@code null} for a plain value. */
	private static String held(Object node) {
		Map<String, Object> property = map(node);
		if (property.get("$ref") instanceof String ref) {
			return ref.substring(ref.lastIndexOf('/') + 1);
		}
		for (String nested : List.of("items", "additionalProperties")) {
			if (property.get(nested) instanceof Map<?, ?> inner) {
				return held(inner);
			}
		}
		if (property.get("anyOf") instanceof List<?> either) {
			return either.stream().map(DocumentedDefaultsTest::held).filter(h -> h != null).findFirst().orElse(null);
		}
		return null;
	}

	/** The records with a property {@code name}. */
	private List<String> holders(String name) {
		return map(schema.get("$defs")).keySet().stream().filter(record -> properties(record).containsKey(name)).toList();
	}

	private boolean reachable(String from, String to, Set<String> seen) {
		if (from.equals(to)) {
			return true;
		}
		if (!seen.add(from)) {
			return false;
		}
		return properties(from).values().stream().map(DocumentedDefaultsTest::held)
			.anyMatch(held -> held != null && reachable(held, to, seen));
	}

	private static List<String> cells(String line) {
		String inner = line.trim().replaceAll("^\\|", "").replaceAll("\\|$", "");
		List<String> cells = new ArrayList<>();
		for (String cell : inner.split("\\|", -1)) {
			cells.add(cell.trim());
		}
		return cells;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

}
