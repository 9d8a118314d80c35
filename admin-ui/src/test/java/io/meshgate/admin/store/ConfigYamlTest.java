package io.meshgate.admin.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import io.meshgate.admin.model.ConfigTrees;
import io.meshgate.admin.model.Secrets;

import static org.assertj.core.api.Assertions.assertThat;

/** Rendering item by item gives the text of the whole document, and reuses what did not change. */
class ConfigYamlTest {

	static final UnaryOperator<Object> AS_IS = UnaryOperator.identity();

	static final UnaryOperator<Object> MASKED = Secrets::mask;

	/**
	 * A tree as the store keeps it, with a secret, a value longer than the line width, characters
	 * that need quotes, and nesting of maps and lists: rendering works on trees, not on records.
	 */
	static final String CONFIG = """
			upstreams:
			  - name: orders-v1
			    endpoints: [{uri: http://127.0.0.1:9001, weight: 1}, {uri: http://127.0.0.1:9002, weight: 3}]
			    loadBalancer: {policy: RING_HASH, hashOn: "header:x-user"}
			    tls: {mode: MUTUAL, certificate: /certs/gw.crt, privateKey: /certs/gw.key, keyPassword: s3cret}
			  - name: orders-v2
			    endpoints: [{uri: http://127.0.0.1:9003, weight: 1}]
			routes:
			  - id: orders
			    match: {path: /orders/**, methods: [GET], headers: {X-Env: "beta|prod", X-Quote: "it's: \\"quoted\\""}}
			    backends: [{upstream: orders-v1, weight: 90}, {upstream: orders-v2, weight: 10}]
			    mirrors: [{upstream: orders-v2, percentage: 5.5}]
			    requestHeaders: {set: {x-note: "a header value with many words in it, long enough that a YAML writer folds it over more than one line of text"}}
			    timeout: 5s
			  - id: web
			    match: {path: /web/**}
			    backends: [{upstream: orders-v2, weight: 1}]
			""";

	static Map<String, Object> tree() {
		return Yaml.read(CONFIG);
	}

	@Test
	void theTextIsTheWholeDocumentsAsYamlWritesIt() {
		Map<String, Object> tree = tree();

		assertThat(ConfigYaml.render(tree, AS_IS, null).text()).isEqualTo(Yaml.write(tree)).contains("keyPassword: s3cret");
		assertThat(ConfigYaml.render(tree, MASKED, null).text()).isEqualTo(Yaml.write(Secrets.mask(tree)))
			.contains("keyPassword: '" + Secrets.MASK + "'");
		assertThat(ConfigYaml.render(tree, AS_IS, null).lines()).isEqualTo(List.of(Yaml.write(tree).split("\n", -1)));
		assertThat(Yaml.write(tree)).contains("X-Quote: 'it''s: \"quoted\"'");
	}

	@Test
	void emptyListsAndAnEmptyTreeAreWrittenAsYamlWritesThem() {
		Map<String, Object> empty = new LinkedHashMap<>();
		empty.put("upstreams", new ArrayList<>());
		empty.put("routes", new ArrayList<>());

		assertThat(ConfigYaml.render(empty, AS_IS, null).text()).isEqualTo(Yaml.write(empty))
			.isEqualTo("upstreams: []\nroutes: []\n");
		assertThat(ConfigYaml.render(Map.of(), AS_IS, null).text()).isEqualTo(Yaml.write(Map.of()));
	}

	@Test
	@SuppressWarnings("unchecked")
	void aNewVersionReusesTheTextOfEveryItemEqualToOneRenderedBefore() {
		Map<String, Object> before = tree();
		ConfigYaml first = ConfigYaml.render(before, AS_IS, null);
		Map<String, Object> after = ConfigTrees.copy(before);
		Map<String, Object> web = (Map<String, Object>) ((List<Object>) after.get("routes")).get(1);
		((Map<String, Object>) web.get("match")).put("path", "/shop/**");

		ConfigYaml second = ConfigYaml.render(after, AS_IS, first);

		assertThat(second.text()).isEqualTo(Yaml.write(after)).contains("path: /shop/**");
		// equal items (copies, not the same objects) keep the very strings rendered before
		String unchanged = "  - id: orders";
		assertThat(line(second, unchanged)).isSameAs(line(first, unchanged));
		assertThat(line(second, "  - name: orders-v1")).isSameAs(line(first, "  - name: orders-v1"));
	}

	@Test
	void textRenderedThroughAnotherViewIsNeverReused() {
		Map<String, Object> tree = tree();
		ConfigYaml plain = ConfigYaml.render(tree, AS_IS, null);

		ConfigYaml masked = ConfigYaml.render(ConfigTrees.copy(tree), MASKED, plain);

		assertThat(masked.text()).doesNotContain("s3cret").isEqualTo(Yaml.write(Secrets.mask(tree)));
	}

	private static String line(ConfigYaml yaml, String text) {
		return yaml.lines().stream().filter(text::equals).findFirst().orElseThrow();
	}

}
