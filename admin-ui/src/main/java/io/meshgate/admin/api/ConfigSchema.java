package io.meshgate.admin.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import org.springframework.http.MediaType;

import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.schema.RecordSchema;

/**
 * The JSON Schema of what the admin API stores ({@code {upstreams, routes}}), built once from the
 * records when first asked, with an ETag that changes only when the schema does.
 */
final class ConfigSchema {

	static final MediaType MEDIA_TYPE = MediaType.parseMediaType("application/schema+json");

	static final Map<String, Object> DOCUMENT = RecordSchema.of(MeshConfig.class);

	/** A digest of the document, whose maps keep their order: the same schema has the same tag on every replica. */
	static final String ETAG = "\"" + sha256(DOCUMENT.toString()).substring(0, 32) + "\"";

	private ConfigSchema() {
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java platform", ex);
		}
	}

}
