package io.meshgate.admin.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One version in the history without its configuration: its number, who made it, when, and what
 * it changed. What a history listing needs; the configuration is read only when asked for.
 */
public record HistoryEntry(long version, String author, Instant time, String summary) {

	public HistoryEntry {
		if (version < 0) {
			throw new IllegalArgumentException("version: " + version + " (expected: >= 0; 0 before anything is stored)");
		}
		author = author == null ? "unknown" : author;
		time = time == null ? Instant.EPOCH : time;
		summary = summary == null ? "" : summary;
	}

	/** The document form: {@code {version, author, time, summary}}. */
	public Map<String, Object> toDocument() {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("version", version);
		document.put("author", author);
		document.put("time", time.toString());
		document.put("summary", summary);
		return document;
	}

	public static HistoryEntry fromDocument(Map<String, Object> document) {
		if (!(document.get("version") instanceof Number version)) {
			throw new IllegalArgumentException("version: " + document.get("version") + " (expected: a version number)");
		}
		return new HistoryEntry(version.longValue(), (String) document.get("author"),
				document.get("time") == null ? null : Instant.parse(String.valueOf(document.get("time"))),
				(String) document.get("summary"));
	}

}
