package io.meshgate.gateway.observe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.meshgate.gateway.https.CertificateView;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.fault.FaultPolicy;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.observe.Masking;
import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.observe.RouteTrafficWindows;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.policy.rewrite.HeaderModifier;
import io.meshgate.policy.rewrite.RedirectPolicy;
import io.meshgate.policy.rewrite.RewritePolicy;
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

	private final MeterRegistry meters;

	private final RouteTrafficWindows windows;

	private final List<UpstreamStateContributor> contributors;

	MeshView(MeterRegistry meters, RouteTrafficWindows windows, List<UpstreamStateContributor> contributors) {
		this.meters = meters;
		this.windows = windows;
		this.contributors = List.copyOf(contributors);
		for (UpstreamStateContributor contributor : contributors) {
			if (RESERVED.contains(contributor.name())) {
				throw new IllegalArgumentException("UpstreamStateContributor.name: " + contributor.name()
						+ " (expected: not one of " + RESERVED + ")");
			}
		}
	}

	Map<String, Object> route(Route route) {
		RouteTrafficWindows.Observed observed = windows.observed(route.id());
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", route.id());
		Map<String, Object> match = new LinkedHashMap<>();
		match.put("path", route.match().path());
		match.put("pathType", route.match().pathType().name());
		match.put("methods", route.match().methods());
		match.put("headers", Masking.headers(route.match().headers()));
		match.put("query", route.match().query());
		match.put("host", route.match().host());
		json.put("match", match);
		int total = route.backends().stream().mapToInt(Backend::weight).sum();
		List<Map<String, Object>> backends = new ArrayList<>();
		for (Backend backend : route.backends()) {
			long seen = observed.backends().getOrDefault(backend.upstream(), 0L);
			Map<String, Object> b = new LinkedHashMap<>();
			b.put("upstream", backend.upstream());
			b.put("weight", backend.weight());
			b.put("configuredPercent", percent(backend.weight(), total));
			b.put("observedRequests", seen);
			b.put("observedPercent", observed.requests() == 0 ? null : percent(seen, observed.requests()));
			backends.add(b);
		}
		json.put("backends", backends);
		Map<String, Object> canary = new LinkedHashMap<>();
		canary.put("stickyOn", route.canary().stickyOn() == null ? null : route.canary().stickyOn().toString());
		canary.put("overrideHeader", route.canary().overrideHeader());
		canary.put("overrideFrom", route.canary().overrideFrom());
		canary.put("allowZeroWeight", route.canary().allowZeroWeight());
		json.put("canary", canary);
		json.put("mirrors", route.mirrors().stream().map(m -> mirror(route.id(), m)).toList());
		json.put("retries", route.retries() == null ? null : retries(route.id(), route.retries()));
		json.put("timeout", route.timeout() == null ? null : duration(route.timeout()));
		json.put("fault", route.fault().active() ? fault(route.fault()) : null);
		json.put("rateLimit", route.rateLimit() == null ? null : rateLimit(route.id(), route.rateLimit()));
		json.put("requestHeaders", headers(route.requestHeaders()));
		json.put("responseHeaders", headers(route.responseHeaders()));
		json.put("rewrite", route.rewrite() == null ? null : rewrite(route.rewrite()));
		json.put("redirect", route.redirect() == null ? null : redirect(route.redirect()));
		Map<String, Object> traffic = new LinkedHashMap<>();
		traffic.put("windowSeconds", observed.window().toSeconds());
		traffic.put("requests", observed.requests());
		traffic.put("backends", observed.backends());
		traffic.put("statuses", observed.statuses());
		json.put("observed", traffic);
		return json;
	}

	private static Map<String, Object> headers(HeaderModifier modifier) {
		if (modifier == null || modifier.isEmpty()) {
			return null;
		}
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("set", Masking.headers(modifier.set()));
		json.put("add", Masking.headers(modifier.add()));
		json.put("remove", modifier.remove());
		return json;
	}

	private static Map<String, Object> rewrite(RewritePolicy rewrite) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("hostname", rewrite.hostname());
		json.put("replaceFullPath", rewrite.replaceFullPath());
		json.put("replacePrefixMatch", rewrite.replacePrefixMatch());
		return json;
	}

	private static Map<String, Object> redirect(RedirectPolicy redirect) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("scheme", redirect.scheme());
		json.put("hostname", redirect.hostname());
		json.put("port", redirect.port());
		json.put("replaceFullPath", redirect.replaceFullPath());
		json.put("replacePrefixMatch", redirect.replacePrefixMatch());
		json.put("statusCode", redirect.statusCode());
		return json;
	}

	private Map<String, Object> mirror(String route, MirrorPolicy mirror) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("upstream", mirror.upstream());
		json.put("percentage", mirror.percentage());
		json.put("maxBodySize", mirror.maxBodySize().toBytes() + "B");
		json.put("maxConcurrent", mirror.maxConcurrent());
		json.put("timeout", duration(mirror.timeout()));
		Map<String, Object> requests = new LinkedHashMap<>();
		for (String outcome : List.of("mirrored", "failed", "dropped", "too_large")) {
			requests.put(outcome, count(MeshMetrics.MIRROR_REQUESTS, "route", route, "mirror", mirror.upstream(),
					"outcome", outcome));
		}
		json.put("requests", requests);
		return json;
	}

	private Map<String, Object> retries(String route, RetryPolicy retries) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("attempts", retries.attempts());
		json.put("perTryTimeout", retries.perTryTimeout() == null ? null : duration(retries.perTryTimeout()));
		json.put("retryOn", retries.retryOn().stream().map(Object::toString).toList());
		json.put("baseInterval", duration(retries.baseInterval()));
		json.put("maxInterval", duration(retries.maxInterval()));
		json.put("budgetPercent", retries.budgetPercent());
		json.put("minRetryConcurrency", retries.minRetryConcurrency());
		json.put("retryNonIdempotent", retries.retryNonIdempotent());
		json.put("maxBodySize", retries.maxBodySize().toBytes() + "B");
		json.put("retried", count(MeshMetrics.RETRIES, "route", route, "outcome", "retried"));
		json.put("budgetExhausted", count(MeshMetrics.RETRIES, "route", route, "outcome", "budget_exhausted"));
		return json;
	}

	private static Map<String, Object> fault(FaultPolicy fault) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("delay", Map.of("percentage", fault.delay().percentage(), "fixedDelay",
				duration(fault.delay().fixedDelay())));
		json.put("abort", Map.of("percentage", fault.abort().percentage(), "httpStatus", fault.abort().httpStatus()));
		return json;
	}

	private Map<String, Object> rateLimit(String route, RateLimitPolicy limit) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("maxTokens", limit.maxTokens());
		json.put("tokensPerFill", limit.tokensPerFill());
		json.put("fillInterval", duration(limit.fillInterval()));
		json.put("keyOn", limit.keyOn().toString());
		json.put("maxKeys", limit.maxKeys());
		json.put("rejected", count(MeshMetrics.RATE_LIMITED, "route", route));
		return json;
	}

	Map<String, Object> upstream(UpstreamRuntime runtime) {
		Upstream spec = runtime.spec();
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", spec.name());
		Map<String, Object> loadBalancer = new LinkedHashMap<>();
		loadBalancer.put("policy", spec.loadBalancer().policy().name());
		loadBalancer.put("hashOn", spec.loadBalancer().hashOn() == null ? null : spec.loadBalancer().hashOn().toString());
		json.put("loadBalancer", loadBalancer);
		if (spec.discovery() != null) {
			Map<String, Object> discovery = new LinkedHashMap<>();
			discovery.put("serviceId", spec.discovery().serviceId());
			discovery.put("namespace", spec.discovery().namespace());
			discovery.put("port", spec.discovery().port());
			discovery.put("subset", spec.discovery().subset());
			json.put("discovery", discovery);
		}
		else {
			json.put("discovery", null);
		}
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

	/** {@code 5s}, {@code 250ms}: the form the configuration takes. */
	static String duration(Duration duration) {
		long millis = duration.toMillis();
		return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
	}

}
