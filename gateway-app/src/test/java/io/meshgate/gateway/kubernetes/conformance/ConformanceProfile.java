package io.meshgate.gateway.kubernetes.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A conformance profile of Gateway API v1.4.1 ({@code conformance/utils/suite/profiles.go}): its
 * core features and its extended features on the standard channel. A test belongs to a profile
 * when every feature it needs is one of the profile's; it is a core test of the profile when they
 * are all core. Gateway-only tests therefore belong to every Gateway profile.
 *
 * @param note a YAML comment the report writes above the profile; null for none
 */
record ConformanceProfile(String name, Set<String> coreFeatures, Set<String> extendedFeatures, String note) {

	/** GatewayExtendedFeatures: the extended features of every Gateway profile. */
	static final Set<String> GATEWAY_EXTENDED_FEATURES = new TreeSet<>(List.of("GatewayPort8080",
			"GatewayStaticAddresses", "GatewayHTTPListenerIsolation", "GatewayInfrastructurePropagation",
			"GatewayAddressEmpty"));

	/**
	 * GATEWAY-HTTP: GatewayExtendedFeatures, HTTPRouteExtendedFeatures and the BackendTLSPolicy
	 * features, without those of the experimental channel (HTTPRouteDestinationPortMatching,
	 * HTTPRouteCORS): the report is for the standard channel.
	 */
	static final ConformanceProfile GATEWAY_HTTP = new ConformanceProfile("GATEWAY-HTTP",
			Set.of("Gateway", "ReferenceGrant", "HTTPRoute"),
			union(GATEWAY_EXTENDED_FEATURES, List.of("HTTPRouteBackendRequestHeaderModification",
					"HTTPRouteQueryParamMatching", "HTTPRouteMethodMatching", "HTTPRouteResponseHeaderModification",
					"HTTPRoutePortRedirect", "HTTPRouteSchemeRedirect", "HTTPRoutePathRedirect", "HTTPRouteHostRewrite",
					"HTTPRoutePathRewrite", "HTTPRouteRequestMirror", "HTTPRouteRequestMultipleMirrors",
					"HTTPRouteRequestPercentageMirror", "HTTPRouteRequestTimeout", "HTTPRouteBackendTimeout",
					"HTTPRouteParentRefPort", "HTTPRouteBackendProtocolH2C", "HTTPRouteBackendProtocolWebSocket",
					"HTTPRouteNamedRouteRule", "BackendTLSPolicy", "BackendTLSPolicySANValidation")),
			null);

	/** GATEWAY-GRPC: GRPCRoute is on the standard channel (v1). */
	static final ConformanceProfile GATEWAY_GRPC = new ConformanceProfile("GATEWAY-GRPC",
			Set.of("Gateway", "ReferenceGrant", "GRPCRoute"), GATEWAY_EXTENDED_FEATURES, null);

	/** GATEWAY-TLS: TLSRoute is v1alpha2, on the experimental channel only, at v1.4.1. */
	static final ConformanceProfile GATEWAY_TLS = new ConformanceProfile("GATEWAY-TLS",
			Set.of("Gateway", "ReferenceGrant", "TLSRoute"), GATEWAY_EXTENDED_FEATURES,
			"TLSRoute is v1alpha2 in v1.4.1, on the experimental channel: these tests ran on its experimental CRD");

	/** The profiles the report covers, in its order. */
	static final List<ConformanceProfile> REPORTED = List.of(GATEWAY_HTTP, GATEWAY_GRPC, GATEWAY_TLS);

	/** A test of the suite: the features it needs, and whether it is provisional. */
	record Test(String name, Set<String> features, boolean provisional) {

	}

	/** Whether {@code test} belongs to this profile. */
	boolean includes(Test test) {
		return test.features().stream().allMatch(f -> coreFeatures.contains(f) || extendedFeatures.contains(f));
	}

	/** Whether {@code test} is one of this profile's core tests. */
	boolean core(Test test) {
		return coreFeatures.containsAll(test.features());
	}

	/**
	 * The tests of the reported profiles by ShortName, in the order of the files: GATEWAY-HTTP's
	 * ({@code gateway-http-tests.txt}, with the Gateway-only tests every profile shares) and the
	 * GRPCRoute and TLSRoute tests ({@code gateway-grpc-tls-tests.txt}), read from the upstream tests.
	 */
	static Map<String, Test> tests() {
		Map<String, Test> tests = new LinkedHashMap<>();
		Stream.of("gateway-http-tests.txt", "gateway-grpc-tls-tests.txt")
			.flatMap(file -> CrdDefaults.read(ConformanceCluster.ROOT + "/" + file).lines())
			.filter(line -> !line.isBlank() && !line.startsWith("#"))
			.forEach(line -> {
				List<String> words = List.of(line.trim().split("\\s+"));
				boolean provisional = words.get(words.size() - 1).equals("PROVISIONAL");
				Set<String> features = new TreeSet<>(words.subList(1, words.size() - (provisional ? 1 : 0)));
				tests.put(words.get(0), new Test(words.get(0), features, provisional));
			});
		return tests;
	}

	private static Set<String> union(Set<String> first, List<String> more) {
		Set<String> all = new TreeSet<>(first);
		all.addAll(more);
		return all;
	}

}
