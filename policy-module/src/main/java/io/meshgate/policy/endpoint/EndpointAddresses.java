package io.meshgate.policy.endpoint;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which endpoint addresses an upstream may not use unless it opts in, because a public route to
 * them hands internet clients what only the gateway's host should reach (SSRF):
 * <ul>
 * <li>link-local addresses ({@code 169.254.0.0/16}, {@code fe80::/10}) and the cloud metadata
 * services ({@code 169.254.169.254}, {@code fd00:ec2::254}, {@code metadata.google.internal}),
 * which hand out the instance's credentials;</li>
 * <li>the gateway itself on one of its own ports (ingress, admin, HTTPS): a loopback or
 * any-address, {@code localhost}, or an address of one of the host's interfaces.</li>
 * </ul>
 * Hosts are judged as written: literal addresses (in any form Java reads, such as
 * {@code ::ffff:169.254.169.254}) and the metadata names. Other names are not resolved here.
 */
public final class EndpointAddresses {

	private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog",
			"metadata");

	/** AWS's IPv6 instance metadata service (IMDS on Nitro). */
	private static final String AWS_METADATA_V6 = "fd00:ec2:0:0:0:0:0:254";

	private EndpointAddresses() {
	}

	/** Whether {@code host} is a link-local address or a cloud metadata service. */
	public static boolean linkLocalOrMetadata(String host) {
		String name = bare(host);
		if (METADATA_NAMES.contains(name)) {
			return true;
		}
		InetAddress address = literal(name);
		return address != null && (address.isLinkLocalAddress()
				|| address instanceof Inet6Address && address.getHostAddress().equals(AWS_METADATA_V6));
	}

	/** Whether {@code host} names the gateway's own host: loopback, any-address, localhost or a local interface. */
	public static boolean gatewayHost(String host) {
		String name = bare(host);
		if (name.equals("localhost") || name.endsWith(".localhost")) {
			return true;
		}
		InetAddress address = literal(name);
		if (address == null) {
			return false;
		}
		return address.isLoopbackAddress() || address.isAnyLocalAddress()
				|| LocalInterfaces.ADDRESSES.contains(address);
	}

	/** Reads this host's interface addresses now, so that no check reads them on an event loop. */
	public static void readLocalInterfaces() {
		LocalInterfaces.ADDRESSES.size();
	}

	/**
	 * This host's interface addresses, read once: connections are resolved on event loops
	 * ({@code upstream.GuardedAddressResolverGroup}), which must not enumerate interfaces per connection.
	 * Read at start-up ({@code upstream.GatewayPorts}); an interface added later is not seen.
	 */
	private static final class LocalInterfaces {

		static final Set<InetAddress> ADDRESSES = read();

		private static Set<InetAddress> read() {
			try {
				return NetworkInterface.networkInterfaces()
					.flatMap(NetworkInterface::inetAddresses)
					.collect(Collectors.toUnmodifiableSet());
			}
			catch (SocketException ex) {
				return Set.of();
			}
		}

	}

	/** The host without IPv6 brackets, in lower case, without the final dot of a fully qualified name. */
	private static String bare(String host) {
		String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
		name = name.toLowerCase(Locale.ROOT);
		return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
	}

	/**
	 * The address a literal host stands for, null for a name. Only text of digits, dots, hex digits
	 * and colons is handed to {@link InetAddress#getByName}, which parses literals without DNS.
	 */
	private static InetAddress literal(String text) {
		// an IPv6 zone (fe80::1%eth0, written %25eth0 in a URI) names an interface, not the address
		int zone = text.indexOf('%');
		String host = zone >= 0 && text.indexOf(':') >= 0 ? text.substring(0, zone) : text;
		boolean v4 = !host.isEmpty() && host.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.');
		boolean v6 = host.indexOf(':') >= 0 && host.chars()
			.allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
		if (!v4 && !v6) {
			return null;
		}
		try {
			return InetAddress.getByName(host);
		}
		catch (UnknownHostException | SecurityException ex) {
			return null;
		}
	}

}
