package io.meshgate.policy.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The SHA-256 of a credential (an API key, a bearer token): the only form in which API keys are
 * stored and compared, and the key under which verified tokens are cached, so that neither is
 * kept as text ({@code docs/design/api-key-hashes.md}). {@code sha256:<64 lower-case hex digits>}
 * in the configuration, 32 bytes here. Equal hashes are equal credentials; {@link #equals}
 * compares in constant time.
 */
public final class CredentialHash {

	private static final String PREFIX = "sha256:";

	private static final Pattern FORM = Pattern.compile("sha256:[0-9a-f]{64}");

	/** A digest per thread: {@code MessageDigest.getInstance} looks the provider up on each call. */
	private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(CredentialHash::sha256);

	private final byte[] bytes;

	private final int hash;

	private CredentialHash(byte[] bytes) {
		this.bytes = bytes;
		// the digest's own first bytes spread well: no need to hash the hash
		this.hash = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
	}

	/** Whether {@code text} is a hash as the configuration writes it ({@code sha256:…}). */
	public static boolean valid(String text) {
		return text != null && FORM.matcher(text).matches();
	}

	/** The hash written in the configuration ({@code sha256:…}), checked with {@link #valid}. */
	public static CredentialHash parse(String text) {
		return new CredentialHash(HexFormat.of().parseHex(text, PREFIX.length(), text.length()));
	}

	/** The hash of a credential a request presents. */
	public static CredentialHash of(String key) {
		MessageDigest digest = SHA256.get();
		digest.reset();
		return new CredentialHash(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
	}

	/** The configuration form of {@code key}'s hash, for tools and tests. */
	public static String text(String key) {
		return PREFIX + HexFormat.of().formatHex(of(key).bytes);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof CredentialHash that && MessageDigest.isEqual(bytes, that.bytes);
	}

	@Override
	public int hashCode() {
		return hash;
	}

	/** Never the hash: even a hash says which key it is. */
	@Override
	public String toString() {
		return "CredentialHash";
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java platform", ex);
		}
	}

}
