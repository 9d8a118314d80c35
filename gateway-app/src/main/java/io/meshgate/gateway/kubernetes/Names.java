package io.meshgate.gateway.kubernetes;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * Stable names for what Kubernetes objects become: route ids ({@code k8s.httproute.shop.orders.0.0.0})
 * and upstream names ({@code k8s-shop-orders-80}). The same object always gives the same name;
 * names too long for the model are cut and end in a hash of the whole.
 */
public final class Names {

	/** Every route id from Kubernetes starts with this; the admin store cannot use such ids. */
	public static final String ROUTE_PREFIX = "k8s.";

	private static final int MAX_ROUTE_ID = 128;

	private static final int MAX_UPSTREAM = 63;

	private Names() {
	}

	public static String route(String kind, String namespace, String name, int... indices) {
		StringBuilder id = new StringBuilder(ROUTE_PREFIX).append(kind).append('.').append(namespace).append('.')
			.append(name);
		for (int index : indices) {
			id.append('.').append(index);
		}
		return cut(id.toString(), MAX_ROUTE_ID);
	}

	public static String upstream(String namespace, String service, int port) {
		return cut("k8s-" + namespace + "-" + service + "-" + port, MAX_UPSTREAM);
	}

	/** The {@code protocol: TCP} upstream of a Service port, apart from its HTTP upstream: one port may serve both. */
	public static String tcpUpstream(String namespace, String service, int port) {
		return cut("k8s-tcp-" + namespace + "-" + service + "-" + port, MAX_UPSTREAM);
	}

	/**
	 * The name of an L4 route ({@code tcp} or {@code tls}) made from a route object: a DNS label,
	 * as L4 route names are; {@code index} tells apart the routes one object makes (a port, a parent).
	 */
	public static String l4Route(String kind, String namespace, String name, int index) {
		return cut(("k8s-" + kind + "-" + namespace + "-" + name + "-" + index).replace('.', '-'), MAX_UPSTREAM);
	}

	private static String cut(String name, int max) {
		if (name.length() <= max) {
			return name;
		}
		CRC32 crc = new CRC32();
		crc.update(name.getBytes(StandardCharsets.UTF_8));
		String hash = HexFormat.of().toHexDigits((int) crc.getValue());
		return name.substring(0, max - hash.length() - 1) + "-" + hash;
	}

}
