package io.meshgate.gateway.https;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An immutable lookup by SNI host name: an exact name, then a wildcard of one label
 * ({@code *.example.com} for {@code shop.example.com}, not for {@code a.shop.example.com}), then a
 * fallback (for no name, or a name nothing else claims). The first value to claim a name keeps it.
 */
record HostTable<T>(Map<String, T> exact, Map<String, T> wildcards, T fallback) {

	static <T> HostTable<T> empty() {
		return new HostTable<>(Map.of(), Map.of(), null);
	}

	boolean isEmpty() {
		return exact.isEmpty() && wildcards.isEmpty() && fallback == null;
	}

	/** @param hostname the SNI name, or null when the client sent none */
	T select(String hostname) {
		if (hostname == null || hostname.isEmpty()) {
			return fallback;
		}
		String name = hostname.toLowerCase(Locale.ROOT);
		if (name.endsWith(".")) {
			name = name.substring(0, name.length() - 1);
		}
		T match = exact.get(name);
		if (match == null) {
			int dot = name.indexOf('.');
			match = dot > 0 ? wildcards.get(name.substring(dot + 1)) : null;
		}
		return match != null ? match : fallback;
	}

	static final class Builder<T> {

		private final Map<String, T> exact = new HashMap<>();

		private final Map<String, T> wildcards = new HashMap<>();

		private T fallback;

		/** Claims the names not yet claimed; no names: the fallback, unless one is set. */
		Builder<T> add(List<String> hostnames, T value) {
			if (hostnames.isEmpty()) {
				return fallback(value);
			}
			for (String hostname : hostnames) {
				if (hostname.startsWith("*.")) {
					wildcards.putIfAbsent(hostname.substring(2), value);
				}
				else {
					exact.putIfAbsent(hostname, value);
				}
			}
			return this;
		}

		Builder<T> fallback(T value) {
			if (fallback == null) {
				fallback = value;
			}
			return this;
		}

		HostTable<T> build() {
			return new HostTable<>(Map.copyOf(exact), Map.copyOf(wildcards), fallback);
		}

	}

}
