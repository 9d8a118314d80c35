package io.meshgate.policy.hash;

/**
 * The one hash Meshgate uses for placement decisions (ring hash, sticky canary).
 *
 * <p>It must give the same value for the same key on every replica and every JVM, so it
 * cannot use {@link Object#hashCode()} of arbitrary objects or a seeded hash. FNV-1a over
 * the UTF-16 code units, finished with MurmurHash3's 64-bit mixer so that similar keys
 * ({@code user-1}, {@code user-2}) spread over the whole range.
 */
public final class Hashing {

	private static final long FNV_OFFSET = 0xcbf29ce484222325L;

	private static final long FNV_PRIME = 0x100000001b3L;

	private Hashing() {
	}

	public static long hash64(CharSequence key) {
		long h = FNV_OFFSET;
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			h = (h ^ (c & 0xff)) * FNV_PRIME;
			h = (h ^ (c >>> 8)) * FNV_PRIME;
		}
		return mix(h);
	}

	/** MurmurHash3 fmix64: full avalanche of a 64-bit value. */
	public static long mix(long h) {
		h ^= h >>> 33;
		h *= 0xff51afd7ed558ccdL;
		h ^= h >>> 33;
		h *= 0xc4ceb9fe1a85ec53L;
		h ^= h >>> 33;
		return h;
	}

	/** Maps a hash onto [0, 1) using its top 53 bits. */
	public static double unitInterval(long hash) {
		return (hash >>> 11) * 0x1.0p-53;
	}

}
