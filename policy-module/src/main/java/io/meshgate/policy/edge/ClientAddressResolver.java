package io.meshgate.policy.edge;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The one client address of a request, as Envoy finds it with trusted CIDRs
 * ({@code xff_trusted_cidrs}): the TCP peer, unless the peer is a trusted proxy; then the
 * forwarding header is read from the right, each trusted hop skipped, and the first untrusted
 * hop is the client. A hop that is not an address literal ({@code unknown}, an obfuscated name,
 * garbage) stops the walk at the last trusted hop: a proxy wrote what lies to its right, the
 * client may have written anything to its left. When every hop is trusted the leftmost one is
 * the client.
 *
 * <p>Only one header is read ({@link ForwardedHeader}): trusting both would let a client write
 * the one its proxy does not rewrite. The parse is bounded: a header longer than
 * {@value #MAX_LENGTH} characters is not read at all, and at most {@value #MAX_HOPS} hops are
 * walked; either way the client is the last trusted hop.
 */
public final class ClientAddressResolver {

	/** Which forwarding header trusted proxies write. */
	public enum ForwardedHeader {

		/** {@code X-Forwarded-For: client, proxy1}, and {@code X-Forwarded-Proto}/{@code -Host}. */
		X_FORWARDED_FOR,

		/** RFC 7239 {@code Forwarded: for=client;proto=https;host=example.com, for=proxy1}. */
		FORWARDED

	}

	static final int MAX_LENGTH = 4096;

	static final int MAX_HOPS = 32;

	public static final ClientAddressResolver UNTRUSTING = new ClientAddressResolver(CidrSet.NONE,
			ForwardedHeader.X_FORWARDED_FOR);

	private final CidrSet trustedProxies;

	private final ForwardedHeader header;

	public ClientAddressResolver(CidrSet trustedProxies, ForwardedHeader header) {
		this.trustedProxies = trustedProxies;
		this.header = header;
	}

	/** Whether the forwarding headers of a request from {@code peer} are read at all. */
	public boolean trusts(InetSocketAddress peer) {
		return peer != null && trustedProxies.contains(peer.getAddress());
	}

	/**
	 * What the trusted proxies in front of a request say about it.
	 * @param peer the TCP peer, trusted ({@link #trusts})
	 * @param headers a request header's values by name ({@code null} when absent)
	 */
	public Forwarding resolve(InetSocketAddress peer, Function<String, List<String>> headers) {
		if (header == ForwardedHeader.X_FORWARDED_FOR) {
			List<String> values = headers.apply("X-Forwarded-For");
			return new Forwarding(walk(peer, tooLong(values) ? null : split(values)),
					last(headers.apply("X-Forwarded-Proto")), last(headers.apply("X-Forwarded-Host")));
		}
		List<String> values = headers.apply("Forwarded");
		List<Map<String, String>> elements = tooLong(values) ? null : ForwardedElements.parse(values);
		List<String> hops = null;
		if (elements != null) {
			hops = new ArrayList<>(elements.size());
			for (Map<String, String> element : elements) {
				hops.add(element.getOrDefault("for", ""));
			}
		}
		Map<String, String> nearest = elements == null || elements.isEmpty() ? Map.of() : elements.get(elements.size() - 1);
		return new Forwarding(walk(peer, hops), lowercase(nearest.get("proto")), lowercase(nearest.get("host")));
	}

	/**
	 * @param client the client's address
	 * @param proto the scheme the client used, as the nearest proxy tells it, or null
	 * @param host the host the client asked for, as the nearest proxy tells it, or null
	 */
	public record Forwarding(InetSocketAddress client, String proto, String host) {

	}

	private InetSocketAddress walk(InetSocketAddress peer, List<String> hops) {
		if (hops == null) {
			return peer;
		}
		InetSocketAddress lastTrusted = peer;
		for (int i = hops.size() - 1, walked = 0; i >= 0 && walked < MAX_HOPS; i--, walked++) {
			byte[] address = CidrSet.address(host(hops.get(i)));
			if (address == null) {
				return lastTrusted;
			}
			InetSocketAddress hop = socketAddress(address);
			if (!trustedProxies.contains(address)) {
				return hop;
			}
			lastTrusted = hop;
		}
		return lastTrusted;
	}

	/** Whether a header's lines are longer than {@value #MAX_LENGTH} characters in total: not read at all. */
	private static boolean tooLong(List<String> values) {
		int length = 0;
		for (int i = 0; values != null && i < values.size(); i++) {
			length += values.get(i).length();
		}
		return length > MAX_LENGTH;
	}

	/** The comma-separated hops of all the header's lines in order. */
	private static List<String> split(List<String> values) {
		if (values == null || values.isEmpty()) {
			return List.of();
		}
		List<String> hops = new ArrayList<>();
		for (String value : values) {
			int start = 0;
			for (int comma = value.indexOf(','); ; comma = value.indexOf(',', start)) {
				hops.add(value.substring(start, comma < 0 ? value.length() : comma).trim());
				if (comma < 0) {
					break;
				}
				start = comma + 1;
			}
		}
		return hops;
	}

	/**
	 * The address part of a hop: {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1},
	 * {@code [2001:db8::1]} or {@code [2001:db8::1]:4711} (quotes already removed).
	 */
	static String host(String hop) {
		if (hop.startsWith("[")) {
			int close = hop.indexOf(']');
			return close < 0 ? "" : hop.substring(1, close);
		}
		int colon = hop.indexOf(':');
		return colon >= 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
	}

	private static InetSocketAddress socketAddress(byte[] address) {
		try {
			return new InetSocketAddress(InetAddress.getByAddress(address), 0);
		}
		catch (UnknownHostException impossible) {
			throw new IllegalStateException(impossible); // 4 or 16 bytes: never
		}
	}

	private static String last(List<String> values) {
		if (values == null || values.isEmpty()) {
			return null;
		}
		String value = values.get(values.size() - 1);
		return lowercase(value.substring(value.lastIndexOf(',') + 1).trim());
	}

	private static String lowercase(String value) {
		return value == null || value.isEmpty() ? null : value.toLowerCase(Locale.ROOT);
	}

}
