package io.meshgate.gateway.observe;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.meshgate.gateway.https.CertificateView;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.mirror.MirrorComparisons;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.mirror.compare.ShadowComparisons;
import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.observe.PolicyView;
import io.meshgate.policy.observe.RouteTrafficWindows;
import io.meshgate.policy.rollout.ReplicaCounters;
import io.meshgate.policy.rollout.routes.RolloutView;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamRuntime;
import io.meshgate.policy.upstream.state.UpstreamStateContributor;

/**
 * Renders routes and upstreams as the JSON of {@code /actuator/mesh}: the effective policy (every
 * default filled in) and the live state next to it. Field names are pinned by a test; absent
 * policies are {@code null}, never left out, so that clients see one shape.
 */
final class MeshView {

	/** Fields an {@link UpstreamStateContributor} may not take. */
	static final Set<String> RESERVED = Set.of("name", "owner", "loadBalancer", "discovery", "endpoints", "address", "uri",
			"weight", "inFlight");

	/** The differing paths a mirror's comparison lists, most frequent first. */
	static final int TOP_PATHS = 10;

	private final MeterRegistry meters;

	private final RouteTrafficWindows windows;

	private final List<UpstreamStateContributor> contributors;

	private final MirrorComparisons comparisons;

	private final ReplicaCounters rollouts;

	private final Clock clock;

	MeshView(MeterRegistry meters, RouteTrafficWindows windows, List<UpstreamStateContributor> contributors,
			MirrorComparisons comparisons, ReplicaCounters rollouts, Clock clock) {
		this.meters = meters;
		this.rollouts = rollouts;
		this.clock = clock;
		this.windows = windows;
		this.comparisons = comparisons;
		this.contributors = List.copyOf(contributors);
		for (UpstreamStateContributor contributor : contributors) {
			if (RESERVED.contains(contributor.name())) {
				throw new IllegalArgumentException("UpstreamStateContributor.name: " + contributor.name()
						+ " (expected: not one of " + RESERVED + ")");
			}
		}
	}

	/**
	 * The route's policies as {@link PolicyView} derives them from the records, with the live
	 * state next to them: observed shares per backend, mirror, retry and rate-limit counters.
	 */
	/** Where the route's rollout stands, with its step's numbers and the gates' verdict on them. */
	Map<String, Object> rollout(Route route) {
		return RolloutView.of(route, rollouts, clock.instant());
	}

	Map<String, Object> route(Route route) {
		RouteTrafficWindows.Observed observed = windows.observed(route.id());
		Map<String, Object> json = PolicyView.of(route);
		int total = route.backends().stream().mapToInt(Backend::weight).sum();
		List<Map<String, Object>> backends = new ArrayList<>();
		for (Backend backend : route.backends()) {
			long seen = observed.backends().getOrDefault(backend.target(), 0L);
			Map<String, Object> b = PolicyView.of(backend);
			b.put("configuredPercent", percent(backend.weight(), total));
			b.put("observedRequests", seen);
			b.put("observedPercent", observed.requests() == 0 ? null : percent(seen, observed.requests()));
			backends.add(b);
		}
		json.put("backends", backends);
		List<Map<String, Object>> mirrors = new ArrayList<>();
		for (MirrorPolicy mirror : route.mirrors()) {
			Map<String, Object> m = PolicyView.of(mirror);
			Map<String, Object> requests = new LinkedHashMap<>();
			for (String outcome : List.of("mirrored", "failed", "dropped", "too_large")) {
				requests.put(outcome, count(MeshMetrics.MIRROR_REQUESTS, "route", route.id(), "mirror",
						mirror.upstream(), "outcome", outcome));
			}
			m.put("requests", requests);
			ShadowComparisons.Findings findings = comparisons.findings(route.id(), mirror.upstream(), TOP_PATHS);
			if (findings != null) {
				m.put("comparison", findings);
			}
			mirrors.add(m);
		}
		json.put("mirrors", mirrors);
		if (route.canary().rollout() != null) {
			json.put("rollout", rollout(route));
		}
		if (route.retries() != null) {
			Map<String, Object> retries = map(json, "retries");
			retries.put("retried", count(MeshMetrics.RETRIES, "route", route.id(), "outcome", "retried"));
			retries.put("budgetExhausted",
					count(MeshMetrics.RETRIES, "route", route.id(), "outcome", "budget_exhausted"));
		}
		if (route.cors() != null) {
			Map<String, Object> preflights = new LinkedHashMap<>();
			for (String outcome : List.of("allowed", "origin_denied", "method_denied", "headers_denied")) {
				preflights.put(outcome, count(MeshMetrics.CORS_PREFLIGHTS, "route", route.id(), "outcome", outcome));
			}
			map(json, "cors").put("preflights", preflights);
		}
		if (route.rateLimit() != null) {
			map(json, "rateLimit").put("rejected", count(MeshMetrics.RATE_LIMITED, "route", route.id()));
		}
		if (route.extAuthz() != null) {
			Map<String, Object> extAuthz = map(json, "extAuthz");
			Map<String, Object> decisions = new LinkedHashMap<>();
			for (Counter counter : meters.find(MeshMetrics.EXT_AUTHZ_DECISIONS).tags("route", route.id()).counters()) {
				@SuppressWarnings("unchecked")
				Map<String, Object> bySource = (Map<String, Object>) decisions
					.computeIfAbsent(counter.getId().getTag("decision"), decision -> new LinkedHashMap<String, Object>());
				bySource.put(counter.getId().getTag("source"), (long) counter.count());
			}
			Map<String, Object> failures = new LinkedHashMap<>();
			for (Counter counter : meters.find(MeshMetrics.EXT_AUTHZ_FAILURES).tags("route", route.id()).counters()) {
				failures.put(counter.getId().getTag("reason"), (long) counter.count());
			}
			extAuthz.put("decisions", decisions);
			extAuthz.put("failures", failures);
		}
		// policies that do nothing are shown as absent, as those not configured
		if (!route.fault().active()) {
			json.put("fault", null);
		}
		if (route.requestHeaders() == null || route.requestHeaders().isEmpty()) {
			json.put("requestHeaders", null);
		}
		if (route.responseHeaders() == null || route.responseHeaders().isEmpty()) {
			json.put("responseHeaders", null);
		}
		Map<String, Object> traffic = new LinkedHashMap<>();
		traffic.put("windowSeconds", observed.window().toSeconds());
		traffic.put("requests", observed.requests());
		traffic.put("backends", observed.backends());
		traffic.put("statuses", observed.statuses());
		json.put("observed", traffic);
		return json;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> json, String field) {
		return (Map<String, Object>) json.get(field);
	}

	Map<String, Object> upstream(UpstreamRuntime runtime) {
		Upstream spec = runtime.spec();
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", spec.name());
		json.put("loadBalancer", PolicyView.of(spec.loadBalancer()));
		json.put("discovery", spec.discovery() == null ? null : PolicyView.of(spec.discovery()));
		List<Map<String, Object>> endpoints = new ArrayList<>();
		for (UpstreamEndpoint endpoint : runtime.endpoints()) {
			Map<String, Object> e = new LinkedHashMap<>();
			e.put("address", endpoint.address());
			e.put("uri", endpoint.getUri().toString());
			e.put("weight", endpoint.weight());
			e.put("inFlight", endpoint.inFlight());
			for (UpstreamStateContributor contributor : contributors) {
				Map<String, Object> state = contributor.endpointState(runtime, endpoint);
				if (state != null) {
					e.put(contributor.name(), state);
				}
			}
			endpoints.add(e);
		}
		json.put("endpoints", endpoints);
		for (UpstreamStateContributor contributor : contributors) {
			Map<String, Object> state = contributor.upstreamState(runtime);
			if (state != null) {
				json.put(contributor.name(), state);
			}
		}
		return json;
	}

	/** Policy state per upstream for the health details: the contributions, without endpoint lists. */
	Map<String, Object> upstreamHealth(UpstreamRuntime runtime) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("endpoints", runtime.endpoints().size());
		for (UpstreamStateContributor contributor : contributors) {
			Map<String, Object> state = contributor.upstreamState(runtime);
			if (state != null) {
				json.put(contributor.name(), state);
			}
		}
		return json;
	}

	/** A certificate of the HTTPS listener: who gave it, what it is for, when it expires; never the key. */
	static Map<String, Object> certificate(CertificateView certificate) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", certificate.name());
		json.put("source", certificate.source());
		json.put("hostnames", certificate.hostnames());
		json.put("subject", certificate.subject());
		json.put("notAfter", certificate.notAfter() == null ? null : certificate.notAfter().toString());
		return json;
	}

	private long count(String name, String... tags) {
		Counter counter = meters.find(name).tags(tags).counter();
		return counter == null ? 0 : (long) counter.count();
	}

	private static double percent(long part, long total) {
		return total == 0 ? 0 : Math.round(part * 1000.0 / total) / 10.0;
	}

}
