package io.meshgate.policy.route;

/**
 * The arguments of the {@code HostMatch} predicate: {@code HostMatch=*.example.com}.
 *
 * @param host a host pattern ({@link HostPattern}: {@code shop.example.com}, {@code *.example.com}
 * or {@code **.example.com}); required, kept in lower case
 */
public record HostMatch(String host) {

	public HostMatch {
		host = HostPattern.of("host", host).toString();
	}

}
