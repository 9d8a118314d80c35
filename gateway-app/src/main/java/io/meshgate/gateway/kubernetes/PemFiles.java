package io.meshgate.gateway.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * PEM data from ConfigMaps and Secrets, written to files because upstream TLS ({@code TlsPolicy})
 * takes file paths and already reloads them when they change. The directory is private (0700,
 * files 0600); a file is rewritten (atomically) only when its content changed, so the rotation
 * check sees a change exactly when Kubernetes had one.
 */
public final class PemFiles {

	private final Path directory;

	public PemFiles(Path directory) {
		this.directory = directory.toAbsolutePath();
	}

	/** Writes {@code pem} as {@code name} (a file name of letters, digits, '-', '.') and returns its path. */
	public synchronized Path write(String name, String pem) {
		if (!name.matches("[-A-Za-z0-9_.]+")) {
			throw new IllegalArgumentException("name: " + name + " (expected: a file name)");
		}
		byte[] content = pem.getBytes(StandardCharsets.UTF_8);
		Path file = directory.resolve(name);
		try {
			if (!Files.isDirectory(directory)) {
				Files.createDirectories(directory);
				setPermissions(directory, "rwx------");
			}
			if (Files.exists(file) && Arrays.equals(Files.readAllBytes(file), content)) {
				return file;
			}
			Path temp = Files.createTempFile(directory, name, ".tmp");
			setPermissions(temp, "rw-------");
			Files.write(temp, content);
			Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("writing " + file + " failed", ex);
		}
	}

	private static void setPermissions(Path path, String permissions) throws IOException {
		if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
		}
	}

}
