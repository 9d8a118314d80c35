package io.meshgate.admin.model;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.admin.store.Yaml;
import io.meshgate.policy.route.MeshConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the store keeps of a configuration: only what differs from the records' defaults (no
 * all-zero fault, no mirror with every default written out), and always a tree that binds back
 * to equal records.
 */
class StoredTreesTest {

	private static final String WRITTEN_OUT = """
			upstreams:
			  - name: shop
			    endpoints: [{uri: http://127.0.0.1:9001, weight: 1}]
			    loadBalancer: {policy: ROUND_ROBIN}
			  - name: shadow
			    endpoints: [http://127.0.0.1:9002]
			    healthCheck: {path: /healthz, interval: 7s}
			routes:
			  - id: shop
			    match: {path: /shop/**, pathType: PATTERN}
			    backends: [{upstream: shop, weight: 1}]
			    mirrors: [{upstream: shadow, percentage: 100, maxBodySize: 64KB, maxConcurrent: 64, timeout: 5s}]
			    fault: {delay: {percentage: 0, fixedDelay: 0s}, abort: {percentage: 0, httpStatus: 503}}
			    retries: {attempts: 3}
			    timeout: 5s
			""";

	@Test
	void defaultsAreNotStoredAndWhatIsLeftBindsToEqualRecords() {
		BoundConfig bound = ConfigBinder.bind(Yaml.read(WRITTEN_OUT), MeshConfig.EMPTY, BoundConfig.EMPTY);

		@SuppressWarnings("unchecked")
		Map<String, Object> route = ((List<Map<String, Object>>) bound.tree().get("routes")).get(0);
		assertThat(route).doesNotContainKey("fault");
		assertThat(route.get("match")).isEqualTo(Map.of("path", "/shop/**"));
		assertThat(route.get("backends")).isEqualTo(List.of(Map.of("upstream", "shop")));
		assertThat(route.get("mirrors")).isEqualTo(List.of(Map.of("upstream", "shadow")));
		assertThat(route).containsEntry("timeout", "5s").containsKey("retries");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> upstreams = (List<Map<String, Object>>) bound.tree().get("upstreams");
		assertThat(upstreams.get(0)).isEqualTo(Map.of("name", "shop", "endpoints", List.of(Map.of("uri", "http://127.0.0.1:9001"))));
		assertThat(upstreams.get(1).get("healthCheck")).isEqualTo(Map.of("path", "/healthz", "interval", "7s"));

		BoundConfig again = ConfigBinder.bind(Yaml.read(Yaml.write(bound.tree())), MeshConfig.EMPTY, BoundConfig.EMPTY);
		assertThat(again.config()).isEqualTo(bound.config());
		assertThat(again.tree()).isEqualTo(bound.tree());
	}

}
