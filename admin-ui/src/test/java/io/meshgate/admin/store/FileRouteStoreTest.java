package io.meshgate.admin.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The file store on disk: a file per version, older versions read back when asked for, pruning
 * beyond the history size, what a crash leaves behind, and the move from the single document of
 * earlier releases.
 */
class FileRouteStoreTest {

	static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

	@TempDir
	Path directory;

	static Map<String, Object> config(String... routeIds) {
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("upstreams", List.of(Map.of("name", "up", "endpoints", List.of(Map.of("uri", "http://127.0.0.1:9")))));
		config.put("routes", Stream.of(routeIds)
			.map(id -> Map.of("id", id, "match", Map.of("path", "/" + id + "/**"), "backends", List.of(Map.of("upstream", "up"))))
			.toList());
		return config;
	}

	FileRouteStore open(int historySize) {
		return new FileRouteStore(directory, historySize, CLOCK);
	}

	List<String> versionFiles() throws IOException {
		try (Stream<Path> files = Files.list(directory.resolve(FileRouteStore.VERSIONS))) {
			return files.map(file -> file.getFileName().toString()).sorted().toList();
		}
	}

	@Test
	void eachVersionIsAFileOfItsOwnAndOlderOnesAreReadBackAfterAReopen() throws IOException {
		FileRouteStore store = open(50);
		store.write(0, config("a"), "alice", "create route a");
		store.write(1, config("a", "b"), "bob", "create route b");

		FileRouteStore reopened = open(50);

		assertThat(versionFiles()).containsExactly("1.yaml", "2.yaml");
		assertThat(reopened.current()).hasValueSatisfying(current -> {
			assertThat(current.version()).isEqualTo(2);
			assertThat(current.config()).isEqualTo(config("a", "b"));
		});
		assertThat(reopened.history()).containsExactly(new HistoryEntry(2, "bob", CLOCK.instant(), "create route b"),
				new HistoryEntry(1, "alice", CLOCK.instant(), "create route a"));
		assertThat(reopened.version(1)).hasValueSatisfying(first -> {
			assertThat(first.config()).isEqualTo(config("a"));
			assertThat(first.author()).isEqualTo("alice");
		});
		assertThat(reopened.version(3)).isEmpty();
		// a version file is the header, then the configuration as a document of its own
		assertThat(Files.readString(directory.resolve("versions/1.yaml")))
			.startsWith("version: 1\nauthor: alice\ntime: '2026-11-26T12:00:00Z'\nsummary: create route a\n---\n"
					+ Yaml.write(config("a")));
	}

	@Test
	void versionsBeyondTheHistorySizeAreDeletedWhenWrittenPastAndWhenReopenedWithASmallerSize() throws IOException {
		FileRouteStore store = open(3);
		for (int version = 0; version < 5; version++) {
			store.write(version, config("r" + version), "alice", "edit " + version);
		}

		assertThat(versionFiles()).containsExactly("3.yaml", "4.yaml", "5.yaml");
		assertThat(store.history()).extracting(HistoryEntry::version).containsExactly(5L, 4L, 3L);
		assertThat(store.version(2)).isEmpty();

		FileRouteStore smaller = open(2);

		assertThat(versionFiles()).containsExactly("4.yaml", "5.yaml");
		assertThat(smaller.history()).extracting(HistoryEntry::version).containsExactly(5L, 4L);
		assertThat(smaller.current().orElseThrow().config()).isEqualTo(config("r4"));
	}

	@Test
	void aWriteOnAStaleVersionWritesNothing() throws IOException {
		FileRouteStore store = open(50);
		store.write(0, config("a"), "alice", "create route a");

		assertThatThrownBy(() -> store.write(0, config("b"), "bob", "create route b"))
			.isInstanceOf(VersionConflictException.class);
		assertThat(versionFiles()).containsExactly("1.yaml");
	}

	@Test
	void whatACrashLeavesBehindIsRemovedAndTheLastCompleteVersionIsCurrent() throws IOException {
		FileRouteStore store = open(50);
		store.write(0, config("a"), "alice", "create route a");
		// killed while writing version 2: its temporary file, half written
		Path versions = directory.resolve(FileRouteStore.VERSIONS);
		Files.writeString(versions.resolve(".2.yaml.4242.tmp"), "version: 2\nauthor: bob\n---\nroutes:\n  - id: b\n    ma");
		Files.writeString(directory.resolve(".meshgate-config.yaml.4242.tmp"), "format: 1\nhistory:\n  - vers");

		FileRouteStore reopened = open(50);

		assertThat(reopened.current().orElseThrow().version()).isEqualTo(1);
		assertThat(versionFiles()).containsExactly("1.yaml");
		try (Stream<Path> files = Files.list(directory)) {
			assertThat(files.map(file -> file.getFileName().toString())).containsExactly(FileRouteStore.VERSIONS);
		}
		assertThat(reopened.write(1, config("a", "b"), "bob", "create route b").version()).isEqualTo(2);
	}

	@Test
	void anUnreadableCurrentVersionStopsTheStartWithItsPathButAnUnreadableOlderOneIsOnlySkipped() throws IOException {
		FileRouteStore store = open(50);
		store.write(0, config("a"), "alice", "create route a");
		store.write(1, config("a", "b"), "alice", "create route b");
		store.write(2, config("a", "b", "c"), "alice", "create route c");
		Path versions = directory.resolve(FileRouteStore.VERSIONS);
		Files.writeString(versions.resolve("1.yaml"), "version: [broken");

		assertThat(open(50).history()).extracting(HistoryEntry::version).containsExactly(3L, 2L);

		Files.writeString(versions.resolve("3.yaml"), "version: 3\n---\nroutes: [{id: c");
		assertThatThrownBy(() -> open(50)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining(versions.resolve("3.yaml").toString())
			.hasMessageContaining("not a readable version");
	}

	@Test
	void theSingleDocumentOfEarlierReleasesIsMovedToAFilePerVersionWithItsHistory() throws IOException {
		List<StoredConfig> history = List.of(
				new StoredConfig(7, config("a", "b", "c"), "carol", Instant.parse("2026-11-03T00:00:00Z"), "create route c"),
				new StoredConfig(6, config("a", "b"), "bob", Instant.parse("2026-11-02T00:00:00Z"), "create route b"),
				new StoredConfig(5, config("a"), "alice", Instant.parse("2026-11-01T00:00:00Z"), "create route a"));
		writeLegacy(history);

		FileRouteStore store = open(50);

		assertThat(versionFiles()).containsExactly("5.yaml", "6.yaml", "7.yaml");
		assertThat(store.history()).containsExactlyElementsOf(history.stream().map(StoredConfig::entry).toList());
		assertThat(store.current()).contains(history.get(0));
		assertThat(store.version(5)).contains(history.get(2));
		assertThat(directory.resolve(FileRouteStore.LEGACY_FILE_NAME)).doesNotExist();
		assertThat(directory.resolve(FileRouteStore.LEGACY_FILE_NAME + ".migrated")).exists();
		assertThat(store.write(7, config("d"), "dave", "import").version()).isEqualTo(8);
		assertThat(open(50).history()).extracting(HistoryEntry::version).containsExactly(8L, 7L, 6L, 5L);
	}

	@Test
	void theOldDocumentIsReadAsYamlWhateverItsStyleAndOnlyTheVersionsKeptAreMoved() throws IOException {
		Files.writeString(directory.resolve(FileRouteStore.LEGACY_FILE_NAME), """
				history:
				  - {version: 3, author: carol, summary: three, config: {routes: [{id: c, extra: [1, {x: y}]}]}}
				  - version: 2
				    config: {upstreams: [], routes: []}
				    author: bob
				  - {version: 1, author: alice, config: {}}
				format: 1
				""");

		FileRouteStore store = open(2);

		assertThat(store.history()).containsExactly(new HistoryEntry(3, "carol", null, "three"),
				new HistoryEntry(2, "bob", null, null));
		assertThat(store.current().orElseThrow().config())
			.isEqualTo(Map.of("routes", List.of(Map.of("id", "c", "extra", List.of(1, Map.of("x", "y"))))));
		assertThat(versionFiles()).containsExactly("2.yaml", "3.yaml");
	}

	@Test
	void aMoveInterruptedBeforeTheOldDocumentWasRenamedIsDoneAgain() throws IOException {
		List<StoredConfig> history = List.of(
				new StoredConfig(2, config("a", "b"), "bob", Instant.parse("2026-11-02T00:00:00Z"), "create route b"),
				new StoredConfig(1, config("a"), "alice", Instant.parse("2026-11-01T00:00:00Z"), "create route a"));
		writeLegacy(history);
		Files.createDirectories(directory.resolve(FileRouteStore.VERSIONS));
		// the crash came after the first version file
		Files.writeString(directory.resolve("versions/1.yaml"), "version: 1\n---\n{}\n");

		FileRouteStore store = open(50);

		assertThat(store.history()).containsExactlyElementsOf(history.stream().map(StoredConfig::entry).toList());
		assertThat(store.version(1)).contains(history.get(1));
	}

	@Test
	void anOldDocumentNextToVersionsItDoesNotHoldIsRefusedRatherThanMerged() throws IOException {
		FileRouteStore store = open(50);
		store.write(0, config("a"), "alice", "create route a");
		store.write(1, config("a", "b"), "alice", "create route b");
		writeLegacy(List.of(new StoredConfig(1, config("x"), "old", null, "from a backup")));

		assertThatThrownBy(() -> open(50)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining(FileRouteStore.LEGACY_FILE_NAME)
			.hasMessageContaining("newer version files")
			.hasMessageContaining("2.yaml")
			.hasMessageContaining("move one of them away");
		assertThat(versionFiles()).containsExactly("1.yaml", "2.yaml");
	}

	/** The document earlier releases wrote: {@code format: 1} and every version kept, newest first. */
	private void writeLegacy(List<StoredConfig> history) throws IOException {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("format", 1);
		document.put("history", history.stream().map(StoredConfig::toDocument).toList());
		Files.writeString(directory.resolve(FileRouteStore.LEGACY_FILE_NAME), Yaml.write(document),
				StandardCharsets.UTF_8);
	}

}
