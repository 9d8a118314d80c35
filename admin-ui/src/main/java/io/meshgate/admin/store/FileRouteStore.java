package io.meshgate.admin.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The default store: one YAML document, {@code <directory>/meshgate-config.yaml}, holding the
 * current version and the last {@code historySize} versions. Every write goes to a temporary
 * file in the same directory, is forced to disk, and then moved over the document atomically
 * (and the directory is forced too), so a crash at any moment leaves the old or the new document,
 * never a broken one. One process owns the directory.
 */
public final class FileRouteStore implements RouteStore {

	private static final Log log = LogFactory.getLog(FileRouteStore.class);

	public static final String FILE_NAME = "meshgate-config.yaml";

	private final Path directory;

	private final Path file;

	private final int historySize;

	private final Clock clock;

	private List<StoredConfig> versions;

	public FileRouteStore(Path directory, int historySize, Clock clock) {
		if (historySize < 1) {
			throw new IllegalArgumentException("historySize: " + historySize + " (expected: >= 1)");
		}
		this.directory = directory.toAbsolutePath().normalize();
		this.file = this.directory.resolve(FILE_NAME);
		this.historySize = historySize;
		this.clock = clock;
		try {
			Files.createDirectories(this.directory);
			removeTemporaryFiles();
			this.versions = Files.exists(file) ? read(file) : List.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot open the route store in " + this.directory, ex);
		}
	}

	@SuppressWarnings("unchecked")
	static List<StoredConfig> read(Path file) throws IOException {
		Map<String, Object> document;
		try {
			document = Yaml.read(Files.readString(file, StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("route store " + file + ": not a readable document (" + ex.getMessage()
					+ "); fix or move it away to start from application.yml again", ex);
		}
		List<StoredConfig> versions = new ArrayList<>();
		Object history = document.get("history");
		if (history instanceof List<?> list) {
			for (Object entry : list) {
				versions.add(StoredConfig.fromDocument((Map<String, Object>) entry));
			}
		}
		return List.copyOf(versions);
	}

	@Override
	public synchronized Optional<StoredConfig> current() {
		return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(0));
	}

	@Override
	public synchronized StoredConfig write(long expectedVersion, Map<String, Object> config, String author,
			String summary) {
		long currentVersion = versions.isEmpty() ? 0 : versions.get(0).version();
		if (currentVersion != expectedVersion) {
			throw new VersionConflictException(expectedVersion, currentVersion);
		}
		StoredConfig next = new StoredConfig(currentVersion + 1, config, author, clock.instant(), summary);
		List<StoredConfig> updated = new ArrayList<>();
		updated.add(next);
		updated.addAll(versions.subList(0, Math.min(versions.size(), historySize - 1)));
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("format", 1);
		document.put("history", updated.stream().map(StoredConfig::toDocument).toList());
		writeAtomically(Yaml.write(document).getBytes(StandardCharsets.UTF_8));
		versions = List.copyOf(updated);
		return next;
	}

	private void writeAtomically(byte[] bytes) {
		Path temp = directory.resolve("." + FILE_NAME + "." + ProcessHandle.current().pid() + ".tmp");
		try {
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			try {
				Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				throw new IOException("the file system of " + directory + " cannot replace files atomically", ex);
			}
			forceDirectory();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the route store " + file, ex);
		}
	}

	/** Makes the rename itself durable (POSIX); not possible on every platform, hence best effort. */
	private void forceDirectory() {
		try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
			dir.force(true);
		}
		catch (IOException | UnsupportedOperationException ex) {
			log.debug("Cannot force directory " + directory + ": " + ex.getMessage());
		}
	}

	private void removeTemporaryFiles() throws IOException {
		try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory, "." + FILE_NAME + ".*.tmp")) {
			for (Path temp : temps) {
				Files.deleteIfExists(temp);
			}
		}
	}

	@Override
	public synchronized List<StoredConfig> history() {
		return versions;
	}

	@Override
	public String describe() {
		return "file:" + file;
	}

}
