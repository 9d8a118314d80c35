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
		HistoryEntry entry = new HistoryEntry(version, author, time, summary);
		Objects.requireNonNull(config, "config");
		author = entry.author();
		time = entry.time();
		summary = entry.summary();
	}

	public StoredConfig(HistoryEntry entry, Map<String, Object> config) {
		this(entry.version(), config, entry.author(), entry.time(), entry.summary());
	}

	/** This version without its configuration. */
	public HistoryEntry entry() {
		return new HistoryEntry(version, author, time, summary);
	}

	/** The document form: {@code {version, author, time, summary, config}}. */
	public Map<String, Object> toDocument() {
		Map<String, Object> document = entry().toDocument();
		document.put("config", config);
		return document;
	}

	@SuppressWarnings("unchecked")
	public static StoredConfig fromDocument(Map<String, Object> document) {
		Object config = document.get("config");
		return new StoredConfig(HistoryEntry.fromDocument(document),
				config instanceof Map<?, ?> ? (Map<String, Object>) config : new LinkedHashMap<>());
	}

}
