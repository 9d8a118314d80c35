package io.meshgate.admin.model;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.admin.store.Yaml;
import io.meshgate.policy.route.MeshConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Trees bind into the configuration records and back, generically, without losing anything. */
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
	void readOnlyConfigurationCountsForNamesAndReferences() {
		MeshConfig others = ConfigBinder.bind(Yaml.read("""
				upstreams: [{name: demo, endpoints: [http://127.0.0.1:1]}]
				routes: [{id: demo, match: {path: /demo/**}, backends: [{upstream: demo}]}]
				"""), MeshConfig.EMPTY);

		assertThatThrownBy(() -> ConfigBinder.bind(Yaml.read("""
				routes: [{id: demo, match: {path: /x/**}, backends: [{upstream: demo}]}]
				"""), others)).isInstanceOfSatisfying(InvalidConfigException.class, ex -> assertThat(ex.errors())
			.containsExactly(new ConfigError("routes[demo].id",
					"id: demo (expected: unique; a route of that id comes from another source and is read-only)")));
	}

}
