package io.meshgate.admin.store;

/** A write based on a version that is no longer the current one: someone else wrote first. */
public class VersionConflictException extends RuntimeException {

	private final long currentVersion;

	public VersionConflictException(long expected, long currentVersion) {
		this("version " + expected + " is stale (expected: the current version " + currentVersion
				+ "; reload and apply your change again)", currentVersion);
	}

	protected VersionConflictException(String message, long currentVersion) {
		super(message);
		this.currentVersion = currentVersion;
	}

	public long currentVersion() {
		return currentVersion;
	}

}
