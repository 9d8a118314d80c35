package io.meshgate.gateway.kubernetes.gatewayapi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddressBuilder;

/**
 * A Gateway's addresses: Meshgate does not assign addresses, it has those of its deployment
 * ({@code meshgate.kubernetes.ingress.addresses}, or the published Service's). A Gateway without
 * {@code spec.addresses} gets them all in status. Static addresses ({@code spec.addresses}) are
 * accepted when the deployment has them: an {@code IPAddress} or {@code Hostname} with a value
 * among the deployment's is used, one without a value takes the deployment's addresses of its
 * type, one with another value is not usable ({@code Programmed=False AddressNotUsable}), and
 * another type is not supported ({@code Accepted=False UnsupportedAddress}).
 *
 * @param status the addresses to write into {@code status.addresses}
 * @param unsupported why an address type is not supported, or null
 * @param unusable why an address cannot be used, or null
 */
record GatewayAddresses(List<GatewayStatusAddress> status, String unsupported, String unusable) {

	static final String IP_ADDRESS = "IPAddress";

	static final String HOSTNAME = "Hostname";

	static GatewayAddresses resolve(Gateway gateway, List<String> available) {
		List<GatewayAddress> requested = gateway.getSpec().getAddresses() == null ? List.of()
				: gateway.getSpec().getAddresses();
		if (requested.isEmpty()) {
			return new GatewayAddresses(available.stream().map(a -> address(typeOf(a), a)).toList(), null, null);
		}
		Set<GatewayStatusAddress> status = new LinkedHashSet<>();
		String unsupported = null;
		String unusable = null;
		for (int i = 0; i < requested.size(); i++) {
			String type = requested.get(i).getType() == null ? IP_ADDRESS : requested.get(i).getType();
			String value = requested.get(i).getValue();
			if (!IP_ADDRESS.equals(type) && !HOSTNAME.equals(type)) {
				unsupported = unsupported != null ? unsupported
						: "addresses[" + i + "].type: " + type + " (expected: " + IP_ADDRESS + " or " + HOSTNAME + ")";
			}
			else if (value == null || value.isBlank()) {
				available.stream().filter(a -> typeOf(a).equals(type)).forEach(a -> status.add(address(type, a)));
			}
			else if (available.contains(value) && typeOf(value).equals(type)) {
				status.add(address(type, value));
			}
			else {
				unusable = unusable != null ? unusable
						: "addresses[" + i + "].value: " + value + " (expected: one of this gateway's " + type
								+ " addresses " + available.stream().filter(a -> typeOf(a).equals(type)).toList() + ")";
			}
		}
		return new GatewayAddresses(new ArrayList<>(status), unsupported, unusable);
	}

	/** {@code IPAddress} for an IPv4 or IPv6 literal, else {@code Hostname}. */
	static String typeOf(String address) {
		return address.matches("[0-9.]+|.*:.*") ? IP_ADDRESS : HOSTNAME;
	}

	private static GatewayStatusAddress address(String type, String value) {
		return new GatewayStatusAddressBuilder().withType(type).withValue(value).build();
	}

}
