package io.meshgate.policy.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.springframework.boot.ssl.pem.PemContent;

/**
 * Reads a PEM file an upstream's TLS policy names, which an admin edit chose: only a regular file
 * (not a device such as {@code /dev/zero}, a FIFO or a directory) of at most {@value #MAX_SIZE}
 * bytes, and never more than that even if it grows while being read. Errors name the field and the
 * path with a fixed text; what the file holds is never repeated (it may be {@code /etc/shadow}).
 * Blocks: never call it on an event-loop thread.
 */
public final class PemFile {

	/** A CA bundle of a few hundred certificates fits; a PEM file of more is not TLS material. */
	static final int MAX_SIZE = 1024 * 1024;

	private static final String EXPECTED_FILE = " (expected: a regular file of at most 1 MiB)";

	private PemFile() {
	}

	/** The PEM content of the file; null when it holds no PEM sections. */
	public static PemContent read(String field, Path path) {
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(path, BasicFileAttributes.class);
		}
		catch (IOException | SecurityException ex) {
			throw new IllegalArgumentException(field + ": " + path + " (expected: a file the gateway can read)");
		}
		if (!attributes.isRegularFile() || attributes.size() > MAX_SIZE) {
			throw new IllegalArgumentException(field + ": " + path + EXPECTED_FILE);
		}
		byte[] bytes;
		try (InputStream in = Files.newInputStream(path)) {
			bytes = in.readNBytes(MAX_SIZE + 1);
		}
		catch (IOException | SecurityException ex) {
			throw new IllegalArgumentException(field + ": " + path + " (expected: a file the gateway can read)");
		}
		if (bytes.length > MAX_SIZE) {
			throw new IllegalArgumentException(field + ": " + path + EXPECTED_FILE);
		}
		try {
			return PemContent.of(new String(bytes, StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			// the parser's message is left out: it might quote what it read
			throw new IllegalArgumentException(field + ": " + path + " (expected: a PEM file)");
		}
	}

}
