package io.meshgate.admin.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.util.AntPathMatcher;

import io.meshgate.admin.model.ConfigTrees;
import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.canary.WeightedBackends;
import io.meshgate.policy.edge.PathNormalizer;
import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.LinearRegex;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.PathType;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.rewrite.PathRewrites;
import io.meshgate.policy.rewrite.RewritePolicy;
import io.meshgate.policy.upstream.Upstream;

/**
 * Answers which route, which backend and which policies a request would meet, without sending it.
 * The path is first normalized as the gateway's edge does ({@link PathNormalizer}). Matching follows the predicates routes compile to (the path as its path type reads it, methods,
 * header and query regular expressions over the whole value, host patterns), in route order; a
 * redirect route answers with its {@code Location}, a rewrite shows what the upstream receives;
 * the backend choice
 * follows the canary split (override header, sticky key, weights) with the same hash as the
 * gateway, so a sticky request is answered exactly.
 */
public final class RouteTester {

	private static final AntPathMatcher HOSTS = new AntPathMatcher(".");

	private RouteTester() {
	}

	/**
	 * @param method the HTTP method; default GET
	 * @param path the request path, query allowed
	 * @param host the Host header; may be null
	 * @param headers request headers (names case-insensitive)
	 * @param cookies request cookies
	 * @param clientAddress the client's address, for {@code client-address} sticky keys; may be null
	 */
	public record Request(String method, String path, String host, Map<String, String> headers,
			Map<String, String> cookies, String clientAddress) {

		public Request {
			method = method == null || method.isBlank() ? "GET" : method.trim().toUpperCase(Locale.ROOT);
			if (path == null || !path.startsWith("/")) {
				throw new IllegalArgumentException("path: " + path + " (expected: a request path starting with /)");
			}
			Map<String, String> lower = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			if (headers != null) {
				lower.putAll(headers);
			}
			if (host != null && !host.isBlank()) {
				lower.put("Host", host);
			}
			headers = lower;
			cookies = cookies == null ? Map.of() : Map.copyOf(cookies);
		}

	}

	/**
	 * @param paths the gateway's path normalizer: routes are matched with the path as the edge
	 * hands it on, and a path the edge refuses is reported as such
	 */
	public static Map<String, Object> test(MeshConfig config, Request request, Map<String, String> sources,
			PathNormalizer paths) {
		Map<String, Object> answer = new LinkedHashMap<>();
		List<Map<String, String>> skipped = new ArrayList<>();
		String path = paths.normalize(request.path().contains("?")
				? request.path().substring(0, request.path().indexOf('?')) : request.path());
		if (path == null) {
			answer.put("matched", false);
			answer.put("message", "the gateway refuses this path with 400 (see meshgate.edge.path)");
			answer.put("skipped", skipped);
			return answer;
		}
		answer.put("path", path);
		for (Route route : config.routes()) {
			String miss = miss(route.match(), request, path);
			if (miss != null) {
				skipped.add(Map.of("route", route.id(), "reason", miss));
				continue;
			}
			answer.put("matched", true);
			answer.put("route", route.id());
			answer.put("source", sources.getOrDefault(route.id(), "store"));
			if (route.redirect() != null) {
				answer.put("redirect", redirect(route, request, path));
				answer.put("backend", null);
				answer.put("why", "the route answers with a redirect; no upstream is called");
			}
			else {
				backend(route, request, answer);
				if (route.rewrite() != null) {
					answer.put("rewritten", rewritten(route, path));
				}
			}
			answer.put("policies", policies(route));
			List<Map<String, Object>> upstreams = new ArrayList<>();
			for (Backend backend : route.backends()) {
				config.upstreams().stream().filter(u -> u.name().equals(backend.upstream())).findFirst()
					.ifPresent(u -> upstreams.add(upstream(u)));
			}
			answer.put("upstreams", upstreams);
			answer.put("skipped", skipped);
			return answer;
		}
		answer.put("matched", false);
		answer.put("message", "no route matches " + request.method() + " " + path + " (the gateway answers 404)");
		answer.put("skipped", skipped);
		return answer;
	}

	private static String miss(RouteMatch match, Request request, String path) {
		if (!match.matchesPath(path)) {
			return "path " + path + " does not match "
					+ (match.pathType() == PathType.PATTERN ? "" : match.pathType() + " ") + match.path();
		}
		if (!match.methods().isEmpty() && !match.methods().contains(request.method())) {
			return "method " + request.method() + " is not one of " + match.methods();
		}
		for (Map.Entry<String, String> header : match.headers().entrySet()) {
			String value = request.headers().get(header.getKey());
			if (value == null || !LinearRegex.wholeMatch("headers", header.getValue()).test(value)) {
				return "header " + header.getKey() + (value == null ? " is missing" : ": " + value)
						+ " does not match " + header.getValue();
			}
		}
		Map<String, String> query = firstQueryValues(request.path());
		for (Map.Entry<String, String> param : match.query().entrySet()) {
			String value = query.get(param.getKey());
			if (value == null || !LinearRegex.wholeMatch("query", param.getValue()).test(value)) {
				return "query parameter " + param.getKey() + (value == null ? " is missing" : ": " + value)
						+ " does not match " + param.getValue();
			}
		}
		if (match.host() != null) {
			String host = request.headers().get("Host");
			String bare = host == null ? null : host.replaceFirst(":\\d+$", "");
			if (host == null || !(HOSTS.match(match.host(), host) || HOSTS.match(match.host(), bare))) {
				return "host " + host + " does not match " + match.host();
			}
		}
		return null;
	}

	/** Each parameter's first value, decoded, as the gateway's query predicate reads it. */
	private static Map<String, String> firstQueryValues(String pathAndQuery) {
		int question = pathAndQuery.indexOf('?');
		Map<String, String> first = new LinkedHashMap<>();
		if (question < 0) {
			return first;
		}
		for (String pair : pathAndQuery.substring(question + 1).split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = decode(equals < 0 ? pair : pair.substring(0, equals));
			first.putIfAbsent(name, equals < 0 ? "" : decode(pair.substring(equals + 1)));
		}
		return first;
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return text;
		}
	}

	private static Map<String, Object> redirect(Route route, Request request, String path) {
		String host = request.headers().get("Host");
		String bare = host == null ? "localhost" : host.replaceFirst(":\\d+$", "");
		int port = host != null && host.matches(".*:\\d+$") ? Integer.parseInt(host.replaceFirst(".*:", "")) : -1;
		int question = request.path().indexOf('?');
		String query = question < 0 ? null : request.path().substring(question + 1);
		Map<String, Object> redirect = new LinkedHashMap<>();
		redirect.put("statusCode", route.redirect().statusCode());
		redirect.put("location", route.redirect().location("http", bare, port, path, query, route.match().path()));
		return redirect;
	}

	/** The Host and path the upstream receives after the route's rewrite. */
	private static Map<String, Object> rewritten(Route route, String path) {
		RewritePolicy rewrite = route.rewrite();
		Map<String, Object> rewritten = new LinkedHashMap<>();
		if (rewrite.hostname() != null) {
			rewritten.put("host", rewrite.hostname());
		}
		rewritten.put("path", rewrite.replaceFullPath() != null ? rewrite.replaceFullPath()
				: rewrite.replacePrefixMatch() != null
						? PathRewrites.replacePrefix(path, route.match().path(), rewrite.replacePrefixMatch()) : path);
		return rewritten;
	}

	/** As the canary filter decides: any client, or one in {@code overrideFrom}. */
	private static boolean overrideAllowed(CanaryPolicy canary, String clientAddress) {
		return canary.overrideFrom().isEmpty() || canary.overrideSources().containsLiteral(clientAddress);
	}

	private static void backend(Route route, Request request, Map<String, Object> answer) {
		List<Backend> backends = route.backends();
		int total = backends.stream().mapToInt(Backend::weight).sum();
		List<Map<String, Object>> shares = new ArrayList<>();
		for (Backend backend : backends) {
			Map<String, Object> share = new LinkedHashMap<>();
			share.put("upstream", backend.upstream());
			share.put("weight", backend.weight());
			share.put("percent", Math.round(backend.weight() * 1000.0 / total) / 10.0);
			shares.add(share);
		}
		answer.put("backends", shares);
		List<Backend> live = backends.stream().filter(b -> b.weight() > 0).toList();
		String wanted = route.canary().overridable() ? request.headers().get(route.canary().overrideHeader()) : null;
		if (wanted != null && overrideAllowed(route.canary(), request.clientAddress())
				&& backends.stream().anyMatch(b -> b.upstream().equals(wanted.trim())
						&& (b.weight() > 0 || route.canary().allowZeroWeight()))) {
			answer.put("backend", wanted.trim());
			answer.put("why", "override header " + route.canary().overrideHeader() + ": " + wanted.trim());
			return;
		}
		if (backends.size() == 1 || live.size() == 1) {
			answer.put("backend", live.get(0).upstream());
			answer.put("why", backends.size() == 1 ? "the route's only backend" : "the only backend with weight > 0");
			return;
		}
		HashKey sticky = route.canary().stickyOn();
		if (sticky != null) {
			String key = switch (sticky.source()) {
				case HEADER -> request.headers().get(sticky.name());
				case COOKIE -> request.cookies().get(sticky.name());
				case CLIENT_ADDRESS -> request.clientAddress();
			};
			if (key != null && !key.isEmpty()) {
				WeightedBackends weighted = new WeightedBackends(backends.stream().map(Backend::upstream).toList(),
						backends.stream().map(Backend::weight).toList());
				answer.put("backend", weighted.pick(key));
				answer.put("why", "sticky on " + sticky + " = " + key + ": the same key always reaches this backend");
				return;
			}
		}
		answer.put("backend", null);
		answer.put("why", "drawn at random by weight for each request"
				+ (sticky == null ? "" : " (the request has no " + sticky + " to stick on)"));
	}

	private static Map<String, Object> policies(Route route) {
		Map<String, Object> routeTree = ConfigTrees.toMap(route);
		Map<String, Object> policies = new LinkedHashMap<>();
		for (String key : List.of("canary", "mirrors", "retries", "timeout", "fault", "rateLimit", "requestHeaders",
				"responseHeaders", "rewrite", "redirect")) {
			if (routeTree.containsKey(key)) {
				policies.put(key, routeTree.get(key));
			}
		}
		if (!route.fault().active()) {
			policies.remove("fault");
		}
		return policies;
	}

	private static Map<String, Object> upstream(Upstream upstream) {
		Map<String, Object> tree = ConfigTrees.toMap(upstream);
		return tree;
	}

}
