package io.meshgate.gateway.kubernetes.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The GATEWAY-HTTP conformance profile of Gateway API v1.4.1 ({@code conformance/utils/suite/profiles.go}):
 * its core features, its extended features on the standard channel, and its tests with the
 * features each needs ({@code gateway-http-tests.txt}, read from the upstream tests).
 */
final class GatewayHttpProfile {

	static final String NAME = "GATEWAY-HTTP";

	static final Set<String> CORE_FEATURES = Set.of("Gateway", "ReferenceGrant", "HTTPRoute");

	/**
	 * GatewayExtendedFeatures, HTTPRouteExtendedFeatures and the BackendTLSPolicy features, without
	 * those of the experimental channel (HTTPRouteDestinationPortMatching, HTTPRouteCORS): the
	 * report is for the standard channel.
	 */
	static final Set<String> EXTENDED_FEATURES = new TreeSet<>(List.of("GatewayPort8080", "GatewayStaticAddresses",
			"GatewayHTTPListenerIsolation", "GatewayInfrastructurePropagation", "GatewayAddressEmpty",
			"HTTPRouteBackendRequestHeaderModification", "HTTPRouteQueryParamMatching", "HTTPRouteMethodMatching",
			"HTTPRouteResponseHeaderModification", "HTTPRoutePortRedirect", "HTTPRouteSchemeRedirect",
			"HTTPRoutePathRedirect", "HTTPRouteHostRewrite", "HTTPRoutePathRewrite", "HTTPRouteRequestMirror",
			"HTTPRouteRequestMultipleMirrors", "HTTPRouteRequestPercentageMirror", "HTTPRouteRequestTimeout",
			"HTTPRouteBackendTimeout", "HTTPRouteParentRefPort", "HTTPRouteBackendProtocolH2C",
			"HTTPRouteBackendProtocolWebSocket", "HTTPRouteNamedRouteRule", "BackendTLSPolicy",
			"BackendTLSPolicySANValidation"));

	/** A test of the profile: its features, and whether it is provisional. */
	record Test(String name, Set<String> features, boolean provisional) {

		boolean core() {
			return CORE_FEATURES.containsAll(features);
		}

		/** Whether it belongs to the profile on the standard channel at all. */
		boolean inProfile() {
			return features.stream().allMatch(f -> CORE_FEATURES.contains(f) || EXTENDED_FEATURES.contains(f));
		}

	}

	/** The profile's tests by ShortName, in the order of the upstream files. */
	static Map<String, Test> tests() {
		Map<String, Test> tests = new LinkedHashMap<>();
		CrdDefaults.read(ConformanceCluster.ROOT + "/gateway-http-tests.txt").lines()
			.filter(line -> !line.isBlank() && !line.startsWith("#"))
			.forEach(line -> {
				List<String> words = List.of(line.trim().split("\\s+"));
				boolean provisional = words.get(words.size() - 1).equals("PROVISIONAL");
				Set<String> features = new TreeSet<>(words.subList(1, words.size() - (provisional ? 1 : 0)));
				tests.put(words.get(0), new Test(words.get(0), features, provisional));
			});
		return tests;
	}

	private GatewayHttpProfile() {
	}

}
