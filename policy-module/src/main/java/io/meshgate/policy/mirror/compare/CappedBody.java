package io.meshgate.policy.mirror.compare;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The first {@code limit} bytes of a body, read as it streams by: the rest is counted as cut, not
 * kept. Appends come one chunk at a time from one stream; reads after it completed.
 */
public final class CappedBody {

	private final int limit;

	private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

	private boolean cut;

	public CappedBody(int limit) {
		this.limit = limit;
	}

	public synchronized void append(ByteBuffer chunk) {
		append(chunk, chunk.remaining());
	}

	/**
	 * Appends the start of a chunk of {@code length} bytes: {@code start} holds its first bytes,
	 * as many as the caller chose to copy (at most the limit).
	 */
	public synchronized void append(ByteBuffer start, int length) {
		ByteBuffer chunk = start;
		int readable = length;
		int room = limit - kept.size();
		if (readable > room) {
			cut = true;
		}
		int take = Math.min(Math.min(readable, chunk.remaining()), Math.max(0, room));
		if (take > 0) {
			byte[] bytes = new byte[take];
			chunk.duplicate().get(bytes);
			kept.writeBytes(bytes);
		}
	}

	public int limit() {
		return limit;
	}

	public synchronized byte[] bytes() {
		return kept.toByteArray();
	}

	public synchronized boolean complete() {
		return !cut;
	}

}
