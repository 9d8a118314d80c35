package io.meshgate.admin.store;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The default store: a file per version, {@code <directory>/versions/<n>.yaml}, holding the
 * version's number, author, time and summary, then (a second YAML document) its configuration.
 * The highest number is the current version; the last {@code historySize} are kept and older
 * ones deleted. A write adds the new version's file alone: written to a temporary file in the
 * same directory, forced to disk, moved to its name atomically, and the directory forced, so a
 * crash at any moment leaves the old or the new current version, never a broken one. Older
 * versions are read when asked for; only their number, author, time and summary stay in memory.
 * One process owns the directory.
 *
 * <p>Earlier releases kept every version in one document, {@code meshgate-config.yaml}
 * ({@code format: 1}), rewritten whole on every change. Such a document is moved to this layout
 * when the store opens, one version at a time, history included, and then renamed
 * {@code meshgate-config.yaml.migrated}.
 */
public final class FileRouteStore implements RouteStore {

	private static final Log log = LogFactory.getLog(FileRouteStore.class);

	/** The single-document layout ({@code format: 1}), migrated to one file per version at start. */
	public static final String LEGACY_FILE_NAME = "meshgate-config.yaml";

	public static final String VERSIONS = "versions";

	private static final Pattern VERSION_FILE = Pattern.compile("(\\d{1,18})\\.yaml");

	private final Path directory;

	private final Path versions;

	private final int historySize;

	private final Clock clock;

	/** The versions kept, newest first. */
	private List<HistoryEntry> history;

	/** The current version with its configuration; null while the store is empty. */
	private StoredConfig current;

	/** The YAML of the current configuration: a write renders only the items it changes. */
	private ConfigYaml written;

	public FileRouteStore(Path directory, int historySize, Clock clock) {
		if (historySize < 1) {
			throw new IllegalArgumentException("historySize: " + historySize + " (expected: >= 1)");
		}
		this.directory = directory.toAbsolutePath().normalize();
		this.versions = this.directory.resolve(VERSIONS);
		this.historySize = historySize;
		this.clock = clock;
		try {
			Files.createDirectories(versions);
			DurableFiles.removeTemporaryFiles(this.directory);
			DurableFiles.removeTemporaryFiles(versions);
			Path legacy = this.directory.resolve(LEGACY_FILE_NAME);
			if (Files.exists(legacy)) {
				migrate(legacy);
			}
			open();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot open the route store in " + this.directory, ex);
		}
	}

	/** Reads the kept versions' headers and the current one whole; deletes what is beyond the history. */
	private void open() throws IOException {
		List<HistoryEntry> found = new ArrayList<>();
		for (Map.Entry<Long, Path> file : versionFiles().descendingMap().entrySet()) {
			if (found.size() == historySize) {
				DurableFiles.delete(file.getValue());
				continue;
			}
			if (found.isEmpty()) {
				current = read(file.getValue(), file.getKey());
				found.add(current.entry());
				continue;
			}
			try {
				found.add(header(file.getValue(), file.getKey()));
			}
			catch (RuntimeException ex) {
				log.warn("Route store: skipping history version " + file.getValue() + ", it cannot be read: "
						+ ex.getMessage());
			}
		}
		history = List.copyOf(found);
		if (current != null) {
			// rendered now rather than by the first edit, which should take well under a second
			written = ConfigYaml.render(current.config(), UnaryOperator.identity(), null);
		}
	}

	/** The version files by number. */
	private TreeMap<Long, Path> versionFiles() throws IOException {
		TreeMap<Long, Path> files = new TreeMap<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(versions, "*.yaml")) {
			for (Path file : entries) {
				Matcher name = VERSION_FILE.matcher(file.getFileName().toString());
				if (name.matches()) {
					files.put(Long.parseLong(name.group(1)), file);
				}
			}
		}
		return files;
	}

	private Path file(long version) {
		return versions.resolve(version + ".yaml");
	}

	@Override
	public synchronized Optional<StoredConfig> current() {
		return Optional.ofNullable(current);
	}

	@Override
	public synchronized StoredConfig write(long expectedVersion, Map<String, Object> config, String author,
			String summary) {
		long currentVersion = current == null ? 0 : current.version();
		if (currentVersion != expectedVersion) {
			throw new VersionConflictException(expectedVersion, currentVersion);
		}
		StoredConfig next = new StoredConfig(currentVersion + 1, config, author, clock.instant(), summary);
		ConfigYaml text = ConfigYaml.render(config, UnaryOperator.identity(), written);
		DurableFiles.write(file(next.version()), document(next.entry(), text));
		List<HistoryEntry> updated = new ArrayList<>();
		updated.add(next.entry());
		updated.addAll(history);
		for (HistoryEntry old : updated.subList(Math.min(updated.size(), historySize), updated.size())) {
			DurableFiles.delete(file(old.version()));
		}
		history = List.copyOf(updated.subList(0, Math.min(updated.size(), historySize)));
		current = next;
		written = text;
		return next;
	}

	private static String document(HistoryEntry entry, ConfigYaml config) {
		return Yaml.write(entry.toDocument()) + "---\n" + config.text();
	}

	@Override
	public synchronized List<HistoryEntry> history() {
		return history;
	}

	@Override
	public Optional<StoredConfig> version(long version) {
		synchronized (this) {
			if (current != null && current.version() == version) {
				return Optional.of(current);
			}
			if (history.stream().noneMatch(entry -> entry.version() == version)) {
				return Optional.empty();
			}
		}
		// read outside the lock: a write meanwhile adds a file and may delete the oldest, never changes one
		try {
			return Optional.of(read(file(version), version));
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read version " + version + " of the route store " + versions, ex);
		}
	}

	/** A version file: its header, then its configuration. */
	@SuppressWarnings("unchecked")
	private static StoredConfig read(Path file, long version) throws IOException {
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			Iterator<Object> documents = Yaml.yaml().loadAll(reader).iterator();
			HistoryEntry entry = entry(documents.next(), file, version);
			Object config = documents.hasNext() ? documents.next() : null;
			if (!(config instanceof Map<?, ?>)) {
				throw new IllegalArgumentException("no configuration after the header (expected: {upstreams: [...], "
						+ "routes: [...]})");
			}
			return new StoredConfig(entry, (Map<String, Object>) config);
		}
		catch (RuntimeException ex) {
			throw unreadable(file, ex);
		}
	}

	/** The header of a version file alone: a listing does not parse the configurations. */
	private static HistoryEntry header(Path file, long version) {
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			return entry(Yaml.yaml().loadAll(reader).iterator().next(), file, version);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static HistoryEntry entry(Object header, Path file, long version) {
		if (!(header instanceof Map<?, ?>)) {
			throw new IllegalArgumentException("header: " + header + " (expected: {version, author, time, summary})");
		}
		HistoryEntry entry = HistoryEntry.fromDocument((Map<String, Object>) header);
		if (entry.version() != version) {
			throw new IllegalArgumentException("version: " + entry.version() + " (expected: " + version
					+ ", as in the file name " + file.getFileName() + ")");
		}
		return entry;
	}

	private static IllegalStateException unreadable(Path file, RuntimeException ex) {
		return new IllegalStateException("route store " + file + ": not a readable version (" + ex.getMessage()
				+ "); fix or move it away to start from the version before, or move the directory away to start "
				+ "from application.yml again", ex);
	}

	/**
	 * Writes each version of the legacy document to a file of its own, then renames the document;
	 * a crash before the rename migrates again at the next start, writing the same files. Version
	 * files newer than the document mean it is not this store's past: it is refused.
	 */
	private void migrate(Path legacy) throws IOException {
		TreeMap<Long, Path> existing = versionFiles();
		long newestFile = existing.isEmpty() ? 0 : existing.lastKey();
		int moved = 0;
		try (LegacyStoreDocument old = new LegacyStoreDocument(legacy)) {
			ConfigYaml text = null;
			for (; moved < historySize && old.hasNext(); moved++) {
				StoredConfig stored = old.next();
				if (moved == 0 && newestFile > stored.version()) {
					throw new IllegalStateException("route store " + directory + ": " + LEGACY_FILE_NAME + " (the format "
							+ "of earlier releases, up to version " + stored.version() + ") next to newer version files ("
							+ file(newestFile) + "); move one of them away");
				}
				// consecutive versions share most items: their text is rendered once
				text = ConfigYaml.render(stored.config(), UnaryOperator.identity(), text);
				DurableFiles.write(file(stored.version()), document(stored.entry(), text));
			}
		}
		Path migrated = directory.resolve(LEGACY_FILE_NAME + ".migrated");
		DurableFiles.move(legacy, migrated);
		log.info("Route store " + directory + ": moved " + moved + " versions from " + LEGACY_FILE_NAME
				+ " to a file each in " + versions + "; the old document is kept as " + migrated.getFileName());
	}

	@Override
	public String describe() {
		return "file:" + versions;
	}

}
