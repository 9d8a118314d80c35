package io.meshgate.admin.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the edited configuration lives, versioned, with its recent history. Implementations do
 * blocking I/O: call them off the event loop.
 */
public interface RouteStore extends AutoCloseable {

	/** The current version; empty before the first write (then the store is seeded). */
	Optional<StoredConfig> current();

	/**
	 * Stores {@code config} as version {@code expectedVersion + 1}, atomically: when the stored
	 * version is not {@code expectedVersion} (0 for an empty store) nothing is written and a
	 * {@link VersionConflictException} is thrown. Returns once the write is durable.
	 */
	StoredConfig write(long expectedVersion, Map<String, Object> config, String author, String summary);

	/** The versions kept, newest first, the current one included: without their configuration. */
	List<HistoryEntry> history();

	/** A version kept, with its configuration (read when asked for); empty if it is not kept. */
	Optional<StoredConfig> version(long version);

	/** Calls {@code listener} when another process (another replica) stores a new version. */
	default void watch(Consumer<StoredConfig> listener) {
	}

	/** A short name for logs and the API: {@code file:/data/versions}. */
	String describe();

	@Override
	default void close() {
	}

}
