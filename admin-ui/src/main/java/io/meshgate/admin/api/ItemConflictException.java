package io.meshgate.admin.api;

import java.util.List;

import io.meshgate.admin.store.HistoryEntry;
import io.meshgate.admin.store.VersionConflictException;

/**
 * An edit of an item read at version {@code read} while someone else changed that item since (or
 * the whole configuration, for an edit of the whole). Carries what a client needs to show both
 * sides and let its user apply theirs on top: the item as it is now ({@code theirs}, null when
 * it was deleted) and the versions stored since it was read.
 */
public final class ItemConflictException extends VersionConflictException {

	private final long read;

	private final AdminService.Item item;

	private final transient Object theirs;

	private final List<HistoryEntry> since;

	ItemConflictException(long read, long currentVersion, AdminService.Item item, Object theirs,
			List<HistoryEntry> since) {
		super((item == null ? "the configuration" : item.toString()) + " changed since version " + read
				+ " (expected: no change since it was read; the current version is " + currentVersion
				+ ": compare, then apply yours on top of it or reload)", currentVersion);
		this.read = read;
		this.item = item;
		this.theirs = theirs;
		this.since = List.copyOf(since);
	}

	/** The version the edit was based on. */
	public long read() {
		return read;
	}

	/** The item edited; null for an edit of the whole configuration. */
	public AdminService.Item item() {
		return item;
	}

	/** The item as it is now; null when it is not stored (deleted), or for the whole configuration. */
	public Object theirs() {
		return theirs;
	}

	/** The versions stored since {@link #read()}, newest first (at most ten). */
	public List<HistoryEntry> since() {
		return since;
	}

}
