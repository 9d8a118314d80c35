package io.meshgate.gateway.admin;

import java.nio.file.Path;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code meshgate.store.*}: where the routes and upstreams edited at runtime are kept.
 *
 * @param type {@code file} (default) or {@code kubernetes}
 * @param path the directory of the {@code file} store; default {@code ./data}
 * @param historySize versions kept for diff and rollback; default 50
 * @param seed on the first start (empty store) copy {@code meshgate.routes} and
 * {@code meshgate.upstreams} into the store; default true. When false they run read-only next to
 * the stored ones and stay owned by the configuration file.
 * @param configMap the ConfigMap of the {@code kubernetes} store; default {@code meshgate-routes}
 * @param namespace its namespace; default: the gateway's own
 */
@ConfigurationProperties("meshgate.store")
public record StoreProperties(String type, Path path, Integer historySize, Boolean seed, String configMap,
		String namespace) {

	public StoreProperties {
		type = type == null ? "file" : type.trim().toLowerCase(Locale.ROOT);
		if (!type.equals("file") && !type.equals("kubernetes")) {
			throw new IllegalArgumentException("type: " + type + " (expected: file or kubernetes)");
		}
		path = path == null ? Path.of("data") : path;
		historySize = historySize == null ? 50 : historySize;
		if (historySize < 1 || historySize > 1000) {
			throw new IllegalArgumentException("historySize: " + historySize + " (expected: 1-1000)");
		}
		seed = seed == null || seed;
		configMap = configMap == null || configMap.isBlank() ? "meshgate-routes" : configMap;
	}

}
