package io.meshgate.admin.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One version of the stored configuration: its number, the configuration tree
 * ({@code {upstreams: [...], routes: [...]}}), who made it, when, and what it changed.
 */
public record StoredConfig(long version, Map<String, Object> config, String author, Instant time, String summary) {

	public StoredConfig {
		if (version < 0) {
			throw new IllegalArgumentException("version: " + version + " (expected: >= 0; 0 before anything is stored)");
		}
		Objects.requireNonNull(config, "config");
		author = author == null ? "unknown" : author;
		time = time == null ? Instant.EPOCH : time;
		summary = summary == null ? "" : summary;
	}

	/** The document form: {@code {version, author, time, summary, config}}. */
	public Map<String, Object> toDocument() {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("version", version);
		document.put("author", author);
		document.put("time", time.toString());
		document.put("summary", summary);
		document.put("config", config);
		return document;
	}

	@SuppressWarnings("unchecked")
	public static StoredConfig fromDocument(Map<String, Object> document) {
		Object config = document.get("config");
		return new StoredConfig(((Number) document.get("version")).longValue(),
				config instanceof Map<?, ?> ? (Map<String, Object>) config : new LinkedHashMap<>(),
				(String) document.get("author"),
				document.get("time") == null ? null : Instant.parse(String.valueOf(document.get("time"))),
				(String) document.get("summary"));
	}

}
