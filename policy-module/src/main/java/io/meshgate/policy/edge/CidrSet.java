package io.meshgate.policy.edge;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.util.NetUtil;

/**
 * A set of address ranges in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare
 * address is a range of one), IPv4 and IPv6, parsed once. Addresses are literals only: nothing
 * here ever asks DNS. An IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}) is its IPv4 address,
 * so a dual-stack listener matches the same ranges as an IPv4 one.
 */
public final class CidrSet {

	public static final CidrSet NONE = new CidrSet(new byte[0][], new int[0]);

	static final String EXPECTED = "an address or CIDR range, as in 10.0.0.0/8 or 2001:db8::/32";

	private final byte[][] networks;

	private final int[] prefixLengths;

	private CidrSet(byte[][] networks, int[] prefixLengths) {
		this.networks = networks;
		this.prefixLengths = prefixLengths;
	}

	/**
	 * The ranges in {@code texts}; every invalid one is reported at once, each as
	 * {@code field[i]: value (expected: …)}.
	 */
	public static CidrSet of(String field, List<String> texts) {
		if (texts == null || texts.isEmpty()) {
			return NONE;
		}
		byte[][] networks = new byte[texts.size()][];
		int[] prefixLengths = new int[texts.size()];
		List<String> errors = new ArrayList<>();
		for (int i = 0; i < texts.size(); i++) {
			String text = texts.get(i) == null ? "" : texts.get(i).trim();
			int slash = text.indexOf('/');
			byte[] network = address(slash < 0 ? text : text.substring(0, slash));
			int prefixLength = network == null ? -1 : slash < 0 ? network.length * 8
					: prefixLength(text.substring(slash + 1), network.length * 8);
			if (prefixLength < 0) {
				errors.add(field + "[" + i + "]: " + texts.get(i) + " (expected: " + EXPECTED + ")");
				continue;
			}
			networks[i] = network;
			prefixLengths[i] = prefixLength;
		}
		if (!errors.isEmpty()) {
			throw new IllegalArgumentException(String.join("; ", errors));
		}
		return new CidrSet(networks, prefixLengths);
	}

	public boolean isEmpty() {
		return networks.length == 0;
	}

	public boolean contains(InetAddress address) {
		return address != null && networks.length > 0 && contains(canonical(address.getAddress()));
	}

	/** Whether {@code address}, an IPv4 or IPv6 literal, is in a range; false for anything else. */
	public boolean containsLiteral(String address) {
		byte[] bytes = address == null ? null : address(address.trim());
		return bytes != null && contains(bytes);
	}

	/**
	 * {@code address} as {@link #bytes(InetAddress)} returns it: 4 bytes or 16. For a caller that
	 * tests one address against several sets: its bytes are taken once.
	 */
	public boolean contains(byte[] address) {
		for (int i = 0; i < networks.length; i++) {
			if (matches(networks[i], prefixLengths[i], address)) {
				return true;
			}
		}
		return false;
	}

	private static boolean matches(byte[] network, int prefixLength, byte[] address) {
		if (network.length != address.length) {
			return false;
		}
		int whole = prefixLength / 8;
		for (int i = 0; i < whole; i++) {
			if (network[i] != address[i]) {
				return false;
			}
		}
		int rest = prefixLength % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xff << (8 - rest)) & 0xff;
		return (network[whole] & mask) == (address[whole] & mask);
	}

	/**
	 * The bytes of an IPv4 or IPv6 literal (4 or 16; IPv4-mapped IPv6 as 4), or {@code null} when
	 * {@code text} is not one. Never a DNS lookup.
	 */
	static byte[] address(String text) {
		byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
		return bytes == null ? null : canonical(bytes);
	}

	/** The bytes of {@code address} as the sets compare them: 4 for IPv4 (IPv4-mapped IPv6 included), else 16. */
	public static byte[] bytes(InetAddress address) {
		return canonical(address.getAddress());
	}

	private static byte[] canonical(byte[] bytes) {
		if (bytes.length != 16) {
			return bytes;
		}
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return bytes;
			}
		}
		if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
			return bytes;
		}
		return new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] };
	}

	private static int prefixLength(String text, int max) {
		if (text.isEmpty() || text.length() > 3) {
			return -1;
		}
		int value = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value <= max ? value : -1;
	}

	@Override
	public String toString() {
		List<String> ranges = new ArrayList<>(networks.length);
		for (int i = 0; i < networks.length; i++) {
			ranges.add(NetUtil.bytesToIpAddress(networks[i]) + "/" + prefixLengths[i]);
		}
		return ranges.toString();
	}

}
