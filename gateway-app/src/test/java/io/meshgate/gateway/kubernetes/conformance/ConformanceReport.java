package io.meshgate.gateway.kubernetes.conformance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.meshgate.gateway.kubernetes.conformance.ConformanceResults.Outcome;

/**
 * The run's {@code ConformanceReport} in Gateway API's format ({@code conformance/apis/v1} at
 * v1.4.1): one entry under {@code profiles} per reported {@link ConformanceProfile} (GATEWAY-HTTP,
 * GATEWAY-GRPC, GATEWAY-TLS), each with its core tests and its extended tests of the features
 * Meshgate claims, passed, failed or skipped. A skipped test's reason is written as a YAML comment
 * after its name (the format has names only). A test without a method here counts as skipped
 * ("not implemented in the harness"). Provisional tests are not counted, as upstream; those of a
 * reported profile that passed are listed once in {@code succeededProvisionalTests}. Written with
 * its keys in a fixed order, so that two runs with the same outcomes give the same text but for
 * {@code date}.
 */
final class ConformanceReport {

	static final String VERSION = "v1.4.1";

	private ConformanceReport() {
	}

	static String yaml(List<ConformanceProfile> profiles, Map<String, ConformanceProfile.Test> tests,
			Map<String, Outcome> outcomes, Set<String> supported, String implementationVersion, Instant date) {
		StringBuilder out = new StringBuilder();
		out.append("apiVersion: gateway.networking.k8s.io/v1\n");
		out.append("kind: ConformanceReport\n");
		out.append("date: \"").append(date.truncatedTo(ChronoUnit.SECONDS)).append("\"\n");
		out.append("gatewayAPIChannel: standard\n");
		out.append("gatewayAPIVersion: ").append(VERSION).append('\n');
		out.append("implementation:\n");
		out.append("  contact:\n  - meshgate maintainers (issue tracker)\n");
		out.append("  organization: meshgate\n");
		out.append("  project: meshgate\n");
		out.append("  url: https://meshgate.io\n");
		out.append("  version: ").append(implementationVersion).append('\n');
		out.append("mode: default\n");
		out.append("profiles:\n");
		Set<String> provisionalPassed = new LinkedHashSet<>();
		for (ConformanceProfile profile : profiles) {
			profile(out, profile, tests, outcomes, supported, provisionalPassed);
		}
		if (!provisionalPassed.isEmpty()) {
			out.append("succeededProvisionalTests:\n");
			provisionalPassed.forEach(t -> out.append("- ").append(t).append('\n'));
		}
		return out.toString();
	}

	/** One entry of {@code profiles}; adds the profile's provisional tests that passed to {@code provisionalPassed}. */
	private static void profile(StringBuilder out, ConformanceProfile profile, Map<String, ConformanceProfile.Test> tests,
			Map<String, Outcome> outcomes, Set<String> supported, Set<String> provisionalPassed) {
		List<ConformanceProfile.Test> core = new ArrayList<>();
		List<ConformanceProfile.Test> extended = new ArrayList<>();
		for (ConformanceProfile.Test test : tests.values()) {
			if (!profile.includes(test)) {
				continue;
			}
			if (test.provisional()) {
				Outcome outcome = outcomes.get(test.name());
				if (outcome != null && outcome.result().equals("passed")) {
					provisionalPassed.add(test.name());
				}
			}
			else if (profile.core(test)) {
				core.add(test);
			}
			else if (test.features().stream().allMatch(f -> profile.coreFeatures().contains(f) || supported.contains(f))) {
				extended.add(test);
			}
		}
		Set<String> claimed = new TreeSet<>(profile.extendedFeatures());
		claimed.retainAll(supported);
		Set<String> unsupported = new TreeSet<>(profile.extendedFeatures());
		unsupported.removeAll(supported);
		Status coreStatus = status(core, outcomes);
		Status extendedStatus = status(extended, outcomes);
		if (profile.note() != null) {
			out.append("# ").append(profile.name()).append(": ").append(profile.note()).append('\n');
		}
		out.append("- core:\n");
		coreStatus.write(out, "    ");
		out.append("  extended:\n");
		extendedStatus.write(out, "    ");
		out.append("    supportedFeatures:\n");
		claimed.forEach(f -> out.append("    - ").append(f).append('\n'));
		out.append("    unsupportedFeatures:\n");
		unsupported.forEach(f -> out.append("    - ").append(f).append('\n'));
		out.append("  name: ").append(profile.name()).append('\n');
		out.append("  summary: Core tests ").append(coreStatus.summary()).append(". Extended tests ")
			.append(extendedStatus.summary()).append(".\n");
	}

	private static Status status(List<ConformanceProfile.Test> tests, Map<String, Outcome> outcomes) {
		Status status = new Status();
		for (ConformanceProfile.Test test : tests) {
			Outcome outcome = outcomes.getOrDefault(test.name(), new Outcome("skipped", "not implemented in the harness"));
			switch (outcome.result()) {
				case "passed" -> status.passed++;
				case "failed" -> status.failed.add(test.name());
				default -> status.skipped.add(test.name() + "  # " + oneLine(outcome.reason()));
			}
		}
		return status;
	}

	private static String oneLine(String text) {
		return text.replaceAll("\\s+", " ").trim();
	}

	private static final class Status {

		int passed;

		final List<String> failed = new ArrayList<>();

		final List<String> skipped = new ArrayList<>();

		String result() {
			return !failed.isEmpty() ? "failure" : !skipped.isEmpty() ? "partial" : "success";
		}

		String summary() {
			return switch (result()) {
				case "failure" -> "failed with " + failed.size() + " test failures";
				case "partial" -> "partially succeeded with " + skipped.size() + " test skips";
				default -> "succeeded";
			};
		}

		void write(StringBuilder out, String indent) {
			if (!failed.isEmpty()) {
				out.append(indent).append("failedTests:\n");
				failed.forEach(t -> out.append(indent).append("- ").append(t).append('\n'));
			}
			out.append(indent).append("result: ").append(result()).append('\n');
			if (!skipped.isEmpty()) {
				out.append(indent).append("skippedTests:\n");
				skipped.forEach(t -> out.append(indent).append("- ").append(t).append('\n'));
			}
			out.append(indent).append("statistics:\n");
			out.append(indent).append("  Failed: ").append(failed.size()).append('\n');
			out.append(indent).append("  Passed: ").append(passed).append('\n');
			out.append(indent).append("  Skipped: ").append(skipped.size()).append('\n');
		}

	}

}
