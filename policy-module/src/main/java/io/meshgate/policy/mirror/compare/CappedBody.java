package io.meshgate.policy.mirror.compare;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The first {@code limit} bytes of a body, read as it streams by: the rest is counted as cut, not
 * kept. It never holds more than {@code limit} bytes (its buffer grows by doubling, capped at the
 * limit), and nothing once discarded. Appends come one chunk at a time from one stream; reads after
 * it completed.
 */
public final class CappedBody {

	private static final byte[] NONE = new byte[0];

	private final int limit;

	private byte[] kept = NONE;

	private int size;

	private boolean cut;

	private boolean discarded;

	public CappedBody(int limit) {
		this.limit = limit;
	}

	public synchronized void append(ByteBuffer chunk) {
		append(chunk, chunk.remaining());
	}

	/**
	 * Appends the start of a chunk of {@code length} bytes: {@code start} holds its first bytes,
	 * as many as the caller chose to copy (at most {@link #room()}).
	 */
	public synchronized void append(ByteBuffer start, int length) {
		int room = limit - size;
		if (length > room) {
			cut = true;
		}
		int take = Math.min(Math.min(length, start.remaining()), room);
		if (take <= 0 || discarded) {
			return;
		}
		if (size + take > kept.length) {
			kept = Arrays.copyOf(kept, Math.min(limit, Math.max(size + take, 2 * kept.length)));
		}
		start.duplicate().get(kept, size, take);
		size += take;
	}

	public int limit() {
		return limit;
	}

	/** How many more bytes are kept: a caller copies no more than this of a chunk. */
	public synchronized int room() {
		return discarded ? 0 : limit - size;
	}

	/** Drops what is kept and keeps nothing more: no one will read it. */
	public synchronized void discard() {
		discarded = true;
		kept = NONE;
		size = 0;
	}

	public synchronized byte[] bytes() {
		return size == kept.length ? kept : Arrays.copyOf(kept, size);
	}

	public synchronized boolean complete() {
		return !cut;
	}

}
