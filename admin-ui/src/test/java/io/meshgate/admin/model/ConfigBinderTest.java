package io.meshgate.admin.model;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.admin.store.Yaml;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Trees bind into the configuration records and back, generically, without losing anything; an
 * edit binds only the items it changes and is still checked whole.
 */
@SuppressWarnings("unchecked")
class ConfigBinderTest {

	static final String FULL = """
			upstreams:
			  - name: orders-v1
			    endpoints: [http://127.0.0.1:9001, {uri: http://127.0.0.1:9002, weight: 3}]
			    loadBalancer: {policy: RING_HASH, hashOn: "header:x-user"}
			  - name: orders-v2
			    discovery: {serviceId: orders, namespace: shop, port: http, subset: {version: v2}}
			routes:
			  - id: orders
			    match: {path: /orders/**, methods: [get], headers: {X-Env: "beta|prod"}, host: "**.example.com"}
			    backends: [{upstream: orders-v1, weight: 90}, {upstream: orders-v2, weight: 10}]
			    canary: {stickyOn: "cookie:session", overrideHeader: x-canary}
			    mirrors: [{upstream: orders-v2, percentage: 5.5, maxBodySize: 1MB, timeout: 1500ms}]
			    retries: {attempts: 2, perTryTimeout: 1s, retryOn: [connect-failure, 503], budgetPercent: 20}
			    timeout: 5s
			    fault: {delay: {percentage: 1, fixedDelay: 200ms}, abort: {percentage: 0.5, httpStatus: 503}}
			    rateLimit: {maxTokens: 100, fillInterval: 1s, keyOn: client-address}
			    cors: {allowOrigins: [https://shop.example.com, "https://*.example.com"], allowCredentials: true, maxAge: 600}
			""";

	@Test
	void recordsToTreeAndBackGiveEqualRecordsAndTheSameTree() {
		MeshConfig bound = ConfigBinder.bind(Yaml.read(FULL), MeshConfig.EMPTY);

		Object tree = ConfigTrees.toTree(bound);
		@SuppressWarnings("unchecked")
		MeshConfig again = ConfigBinder.bind((Map<String, Object>) Yaml.read(Yaml.write(tree)), MeshConfig.EMPTY);

		assertThat(again).isEqualTo(bound);
		assertThat(Yaml.write(ConfigTrees.toTree(again))).isEqualTo(Yaml.write(tree));
		assertThat(Yaml.write(tree)).contains("hashOn: header:x-user").contains("timeout: 1500ms")
			.contains("maxBodySize: 1MB").contains("X-Env: beta|prod").contains("- GET");
	}

	@Test
	void aPolicyLeftAtEveryDefaultIsStoredAsOneComponentAndBindsBackEqual() {
		MeshConfig bound = ConfigBinder.bind(Yaml.read("""
				upstreams:
				  - name: orders-v1
				    endpoints: [http://127.0.0.1:9001]
				    outlierDetection: {consecutive5xx: 5, interval: 10s}
				"""), MeshConfig.EMPTY);

		Map<String, Object> tree = (Map<String, Object>) ConfigTrees.toTree(bound);
		Map<String, Object> upstream = ((List<Map<String, Object>>) tree.get("upstreams")).get(0);

		assertThat(upstream.get("outlierDetection")).isEqualTo(Map.of("consecutive5xx", 5));
		assertThat(ConfigBinder.bind((Map<String, Object>) Yaml.read(Yaml.write(tree)), MeshConfig.EMPTY))
			.isEqualTo(bound);
	}

	@Test
	void readOnlyConfigurationCountsForNamesButItsUpstreamsCannotBeReferenced() {
		MeshConfig others = ConfigBinder.bind(Yaml.read("""
				upstreams: [{name: demo, endpoints: [http://127.0.0.1:1]}]
				routes: [{id: demo, match: {path: /demo/**}, backends: [{upstream: demo}]}]
				"""), MeshConfig.EMPTY);

		assertThatThrownBy(() -> ConfigBinder.bind(Yaml.read("""
				routes: [{id: demo, match: {path: /x/**}, backends: [{upstream: demo}]}]
				"""), others)).isInstanceOfSatisfying(InvalidConfigException.class, ex -> assertThat(ex.errors())
			.containsExactly(
					new ConfigError("routes[demo].id",
							"id: demo (expected: unique; a route of that id comes from another source and is read-only)"),
					new ConfigError("routes[demo].backends[0].upstream", "upstream: demo (expected: one of the upstreams []; "
							+ "demo comes from another source and is read-only: store an upstream of your own)")));
	}

	@Test
	void anErrorANestedRecordReportsWithItsOwnNameHasThatNameOnceInItsPath() {
		InvalidConfigException error = catchThrowableOfType(InvalidConfigException.class, () -> ConfigBinder.bind(
				Yaml.read("upstreams: [{name: orders, endpoints: [https://127.0.0.1:9001], tls: {mode: SIMPLE}}]"),
				MeshConfig.EMPTY));

		assertThat(error.errors()).extracting(ConfigError::path).containsExactly("upstreams[orders].tls.caCertificates");
	}

	@Test
	void corsErrorsHaveTheirPathAndMaxAgeWithoutUnitIsSeconds() {
		InvalidConfigException error = catchThrowableOfType(InvalidConfigException.class, () -> ConfigBinder.bind(
				Yaml.read("""
						upstreams: [{name: orders, endpoints: [http://127.0.0.1:9001]}]
						routes:
						  - id: orders
						    match: {path: /orders/**}
						    backends: [{upstream: orders}]
						    cors: {allowOrigins: [https://shop.example.com, "https://shop.example.com/cart"]}
						"""), MeshConfig.EMPTY));

		assertThat(error.errors()).containsExactly(new ConfigError("routes[orders].cors.allowOrigins[1]",
				"allowOrigins[1]: https://shop.example.com/cart (expected: http or https://host[:port], "
						+ "the host may start with *. or be *; no path)"));
		assertThat(ConfigBinder.bind(Yaml.read(FULL), MeshConfig.EMPTY).routes().get(0).cors().maxAge())
			.hasMinutes(10);
	}


	static final String SHOP = """
			upstreams:
			  - {name: orders, endpoints: [http://127.0.0.1:9001]}
			  - {name: payments, endpoints: [http://127.0.0.1:9002]}
			routes:
			  - {id: orders, match: {path: /orders/**}, backends: [{upstream: orders}]}
			  - {id: pay, match: {path: /pay/**}, backends: [{upstream: payments}]}
			  - {id: refunds, match: {path: /refunds/**}, backends: [{upstream: payments}]}
			""";

	@SuppressWarnings("unchecked")
	static Map<String, Object> item(Map<String, Object> tree, String kind, int index) {
		return (Map<String, Object>) ((List<Object>) tree.get(kind)).get(index);
	}

	@SuppressWarnings("unchecked")
	static List<Object> items(Map<String, Object> tree, String kind) {
		return (List<Object>) tree.get(kind);
	}

	@Test
	void anEditBindsOnlyTheItemsItChangesAndKeepsTheOthersRecordsAndTrees() {
		BoundConfig stored = ConfigBinder.bind(Yaml.read(SHOP), MeshConfig.EMPTY, BoundConfig.EMPTY);
		Map<String, Object> edited = ConfigTrees.copy(stored.tree());
		((Map<String, Object>) item(edited, "routes", 1).get("match")).put("path", "/payments/**");

		BoundConfig next = ConfigBinder.bind(edited, MeshConfig.EMPTY, stored);

		assertThat(next.config().routes().get(0)).isSameAs(stored.config().routes().get(0));
		assertThat(next.config().routes().get(2)).isSameAs(stored.config().routes().get(2));
		assertThat(next.config().upstreams().get(1)).isSameAs(stored.config().upstreams().get(1));
		assertThat(next.config().routes().get(1).match().path()).isEqualTo("/payments/**");
		assertThat(item(next.tree(), "routes", 0)).isSameAs(item(stored.tree(), "routes", 0));
		// the result is what binding everything gives
		assertThat(next.config()).isEqualTo(ConfigBinder.bind(edited, MeshConfig.EMPTY));
		assertThat(next.tree()).isEqualTo(ConfigBinder.bind(edited, MeshConfig.EMPTY, BoundConfig.EMPTY).tree());
	}

	@Test
	void removingAnUpstreamThatUnchangedRoutesReferenceIsStillRefusedWithTheSameErrors() {
		BoundConfig stored = ConfigBinder.bind(Yaml.read(SHOP), MeshConfig.EMPTY, BoundConfig.EMPTY);
		Map<String, Object> edited = ConfigTrees.copy(stored.tree());
		items(edited, "upstreams").remove(1);

		assertThatThrownBy(() -> ConfigBinder.bind(edited, MeshConfig.EMPTY, stored))
			.isInstanceOfSatisfying(InvalidConfigException.class, ex -> assertThat(ex.errors()).containsExactly(
					new ConfigError("routes[pay].backends[0].upstream",
							"upstream: payments (expected: one of the upstreams [orders])"),
					new ConfigError("routes[refunds].backends[0].upstream",
							"upstream: payments (expected: one of the upstreams [orders])")));
	}

	@Test
	void aNewItemClashingWithAnUnchangedOneIsRefused() {
		BoundConfig stored = ConfigBinder.bind(Yaml.read(SHOP), MeshConfig.EMPTY, BoundConfig.EMPTY);
		Map<String, Object> edited = ConfigTrees.copy(stored.tree());
		items(edited, "routes").add(Yaml.read("{id: pay, match: {path: /pay2/**}, backends: [{upstream: orders}]}"));

		assertThatThrownBy(() -> ConfigBinder.bind(edited, MeshConfig.EMPTY, stored))
			.isInstanceOfSatisfying(InvalidConfigException.class, ex -> assertThat(ex.errors())
				.containsExactly(new ConfigError("routes[pay].id", "id: pay (expected: unique)")));
	}

	@Test
	void errorsAreReportedForTheItemsThatAreInvalidAndOnlyForThem() {
		BoundConfig stored = ConfigBinder.bind(Yaml.read(SHOP), MeshConfig.EMPTY, BoundConfig.EMPTY);
		Map<String, Object> edited = ConfigTrees.copy(stored.tree());
		((Map<String, Object>) ((List<Object>) item(edited, "routes", 2).get("backends")).get(0)).put("weight", -1);
		item(edited, "upstreams", 0).put("wieght", 1);

		InvalidConfigException reused = catchThrowableOfType(InvalidConfigException.class,
				() -> ConfigBinder.bind(edited, MeshConfig.EMPTY, stored));
		InvalidConfigException whole = catchThrowableOfType(InvalidConfigException.class,
				() -> ConfigBinder.bind(edited, MeshConfig.EMPTY));

		assertThat(reused.errors()).containsExactly(
				new ConfigError("upstreams[orders].wieght", "wieght: unknown field (expected: one of "
						+ Arrays.stream(Upstream.class.getRecordComponents()).map(RecordComponent::getName).toList() + ")"),
				new ConfigError("routes[refunds].backends[0].weight", "weight: -1 (expected: >= 0)"));
		assertThat(reused.errors()).isEqualTo(whole.errors());
	}

}
