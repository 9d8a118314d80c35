package io.meshgate.gateway.kubernetes.rollout;

import java.util.HexFormat;
import java.util.Locale;
import java.security.SecureRandom;

/**
 * This process's name among the replicas: its name in the rollout Lease and in the name of the
 * ConfigMap it publishes its counters to. The pod name ({@code HOSTNAME}) with a suffix drawn at
 * start, so that a restarted process publishes beside its former self instead of over it: the
 * counts the former one published for the running step keep counting.
 *
 * @param value lower-case letters, digits and dashes, at most 63 characters (a DNS label)
 */
record ReplicaId(String value) {

	private static final int HOST_PART = 50;

	static ReplicaId create() {
		String host = System.getenv("HOSTNAME");
		String base = host == null || host.isBlank() ? "meshgate" : host.toLowerCase(Locale.ROOT);
		base = base.replaceAll("[^a-z0-9-]", "-");
		base = base.substring(0, Math.min(base.length(), HOST_PART)).replaceAll("^-+|-+$", "");
		byte[] suffix = new byte[4];
		new SecureRandom().nextBytes(suffix);
		return new ReplicaId((base.isEmpty() ? "meshgate" : base) + "-" + HexFormat.of().formatHex(suffix));
	}

}
