package io.meshgate.admin.api;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.netty.util.NetUtil;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.admin.model.ConfigTrees;
import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.binding.PolicyTrees;
import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.canary.WeightedBackends;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouteTable;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteProbe;
import io.meshgate.policy.rewrite.PathRewrites;
import io.meshgate.policy.rewrite.RewritePolicy;
import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.PeerIdentity;
import io.meshgate.policy.upstream.Upstream;

/**
 * Answers which route, which backend and which status a request would meet, without sending it.
 * The gateway decides: the request goes through its edge filters and its route lookup
 * ({@link RouteProbe}), over the live route table or a proposed configuration's dry-run table.
 * Of the route found, the answer shows what it does with the request: a redirect's status and
 * {@code Location}, a rewrite's Host and path, and the backend the canary split chooses (exact for
 * the override header and sticky keys, with the same hash as the gateway; otherwise the shares of
 * the random draw).
 */
public final class RouteTester {

	/** A Host header: a name or an IPv4 address, or an IPv6 literal in brackets, and a port. */
	private static final Pattern HOST = Pattern.compile("([A-Za-z0-9._-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(:\\d{1,5})?");

	/** A compact JWS or JWE: base64url parts separated by dots. */
	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,8192}(\\.[A-Za-z0-9_-]{0,8192}){1,4}");

	/** An API key: visible ASCII, no spaces. */
	private static final Pattern API_KEY = Pattern.compile("[\\x21-\\x7e]{1,512}");

	/** An Origin header: scheme, host and port, or {@code null} (an opaque origin). */
	private static final Pattern ORIGIN = Pattern.compile("null|[a-z][a-z0-9+.-]{0,20}://[A-Za-z0-9.\\[\\]:-]{1,260}");

	private static final List<String> IDENTITY_PARTS = List.of("principal", "requestPrincipal", "claims", "consumer");

	private final RouteProbe probe;

	public RouteTester(RouteProbe probe) {
		this.probe = probe;
	}

	/**
	 * @param method the HTTP method; default GET
	 * @param path the request path as sent on the wire, query allowed
	 * @param host the Host header; default {@code localhost}
	 * @param headers request headers (names case-insensitive)
	 * @param cookies request cookies
	 * @param clientAddress the client's address, for {@code client-address} sticky keys and
	 * predicates on it; may be null
	 * @param identity the caller as if the gateway had verified it, for routes matching on claims
	 * or principals and identity-based sticky keys ({@link #identity(Object)}); default anonymous
	 * @param token a JWT sent as {@code Authorization: Bearer}, verified by the gateway's providers
	 * as a request's is (unless {@code headers} has an {@code Authorization}; a token read from a
	 * cookie or query parameter goes there instead); may be null. Never repeated in the answer.
	 * @param apiKey an API key, sent in the header the matched route's authentication reads; may be
	 * null. Never repeated in the answer.
	 * @param origin the request's {@code Origin}; may be null
	 */
	public record Request(String method, String path, String host, Map<String, String> headers,
			Map<String, String> cookies, String clientAddress, Identity identity, String token, String apiKey,
			String origin) {

		public Request {
			method = method == null || method.isBlank() ? "GET" : method.trim().toUpperCase(Locale.ROOT);
			if (!method.matches("[A-Z]{1,20}")) {
				throw new IllegalArgumentException("method: " + method + " (expected: an HTTP method, as GET)");
			}
			if (path == null || !path.startsWith("/")) {
				throw new IllegalArgumentException("path: " + path + " (expected: a request path starting with /)");
			}
			host = host == null || host.isBlank() ? "localhost" : host.trim();
			if (!HOST.matcher(host).matches()) {
				throw new IllegalArgumentException("host: " + host + " (expected: a host name or address, and a port)");
			}
			headers = headers == null ? Map.of() : Map.copyOf(headers);
			cookies = cookies == null ? Map.of() : Map.copyOf(cookies);
			identity = identity == null ? Identity.ANONYMOUS : identity;
			token = credential("token", token, TOKEN);
			apiKey = credential("apiKey", apiKey, API_KEY);
			origin = origin == null || origin.isBlank() ? null : origin.trim();
			if (origin != null && !ORIGIN.matcher(origin).matches()) {
				throw new IllegalArgumentException("origin: " + origin + " (expected: an origin, as https://shop.example.com)");
			}
		}

		/** A credential as given, or null; refused without repeating it. */
		private static String credential(String field, String value, Pattern form) {
			if (value == null || value.isBlank()) {
				return null;
			}
			if (!form.matcher(value.trim()).matches()) {
				throw new IllegalArgumentException(field + ": (not shown) (expected: " + form.pattern() + ")");
			}
			return value.trim();
		}

		/** Never the credentials or header values: they may be secrets. */
		@Override
		public String toString() {
			return "Request[" + method + " " + path + ", host=" + host + ", headers=" + headers.keySet() + "]";
		}

		URI url() {
			try {
				return URI.create("http://" + host + path);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("path: " + path
						+ " (expected: a request path as sent on the wire, with other characters percent-encoded)");
			}
		}

		HttpHeaders httpHeaders() {
			HttpHeaders http = new HttpHeaders();
			headers.forEach(http::add);
			http.set(HttpHeaders.HOST, host);
			if (token != null && !http.containsHeader(HttpHeaders.AUTHORIZATION)) {
				http.set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
			}
			if (origin != null) {
				http.set(HttpHeaders.ORIGIN, origin);
			}
			return http;
		}

		InetSocketAddress client() {
			if (clientAddress == null || clientAddress.isBlank()) {
				return null;
			}
			if (!NetUtil.isValidIpV4Address(clientAddress) && !NetUtil.isValidIpV6Address(clientAddress)) {
				throw new IllegalArgumentException("clientAddress: " + clientAddress + " (expected: an IP address)");
			}
			// a literal: no name is looked up
			return new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(clientAddress), 0);
		}

	}

	/**
	 * The caller described in a tester request:
	 * {@code {principal: spiffe://cluster.local/ns/shop/sa/web, requestPrincipal: iss/sub,
	 * claims: {tier: beta, groups: [a, b]}, consumer: shop-frontend}}, each part optional;
	 * {@code null} for an anonymous caller.
	 */
	public static Identity identity(Object tree) {
		if (tree == null) {
			return Identity.ANONYMOUS;
		}
		if (!(tree instanceof Map<?, ?> parts)) {
			throw new IllegalArgumentException("identity: " + tree + " (expected: " + IDENTITY_PARTS + ")");
		}
		for (Object part : parts.keySet()) {
			if (!IDENTITY_PARTS.contains(String.valueOf(part))) {
				throw new IllegalArgumentException("identity." + part + ": " + parts.get(part) + " (expected: one of "
						+ IDENTITY_PARTS + ")");
			}
		}
		Object claims = parts.get("claims");
		if (claims != null && !(claims instanceof Map<?, ?>)) {
			throw new IllegalArgumentException("identity.claims: " + claims + " (expected: claim names to JSON values)");
		}
		Map<String, Object> claimMap = new LinkedHashMap<>();
		if (claims instanceof Map<?, ?> given) {
			given.forEach((name, value) -> claimMap.put(String.valueOf(name), value));
		}
		String principal = text(parts.get("principal"));
		PeerIdentity peer = principal == null ? null : new PeerIdentity(principal, null, null, null, null);
		return new Identity(peer, text(parts.get("requestPrincipal")), claimMap, text(parts.get("consumer")));
	}

	private static String text(Object value) {
		return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value).trim();
	}

	/**
	 * @param config the configuration whose routes the table holds, for what each route does
	 * @param proposed a dry run's table, or {@code null} for the live one
	 * @param sources where each read-only route comes from; others are {@code store}d
	 */
	public Mono<Map<String, Object>> test(MeshConfig config, MeshRouteTable proposed, Request request,
			Map<String, String> sources) {
		return probe.probe(HttpMethod.valueOf(request.method()), request.url(), request.httpHeaders(), request.cookies(),
				request.client(), request.identity(), proposed)
			.map(outcome -> {
				Map<String, Object> answer = new LinkedHashMap<>();
				if (outcome.refused() != null) {
					answer.put("matched", false);
					answer.put("status", outcome.refused().value());
					answer.put("message", "the gateway refuses this path with " + outcome.refused().value()
							+ " (see meshgate.edge.path)");
					return answer;
				}
				ServerHttpRequest seen = outcome.exchange().getRequest();
				String path = seen.getURI().getRawPath();
				answer.put("path", path);
				if (outcome.route() == null) {
					answer.put("matched", false);
					answer.put("status", 404);
					answer.put("message", "no route matches " + request.method() + " " + path + " (the gateway answers 404)");
					return answer;
				}
				String id = outcome.route().getId();
				answer.put("matched", true);
				answer.put("route", id);
				Map<String, Object> access = AccessExplanation.of(outcome.route(), outcome.exchange(), request.apiKey(),
						config.authorizationPolicies());
				Optional<Route> meshRoute = config.routes().stream().filter(r -> r.id().equals(id)).findFirst();
				if (meshRoute.isEmpty()) {
					answer.put("source", "gateway");
					answer.put("status", access.get("status"));
					answer.put("backend", null);
					answer.put("uri", outcome.route().getUri().toString());
					answer.put("why", "a route of the gateway's own configuration (spring.cloud.gateway)");
					answer.put("access", access);
					return answer;
				}
				Route route = meshRoute.get();
				answer.put("source", sources.getOrDefault(id, "store"));
				if (route.redirect() != null) {
					answer.put("status", route.redirect().statusCode());
					answer.put("redirect", redirect(route, seen));
					answer.put("backend", null);
					answer.put("why", "the route answers with a redirect; no upstream is called");
				}
				else {
					answer.put("status", null);
					backend(route, outcome.exchange(), answer);
					hideCredentials(answer, request);
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
				if (access.get("status") != null) {
					// the gateway answers before any route filter that would redirect or call a backend
					answer.put("status", access.get("status"));
				}
				answer.put("access", access);
				return answer;
			});
	}

	private static Map<String, Object> redirect(Route route, ServerHttpRequest request) {
		URI url = request.getURI();
		Map<String, Object> redirect = new LinkedHashMap<>();
		redirect.put("statusCode", route.redirect().statusCode());
		redirect.put("location", route.redirect().location(url.getScheme(), url.getHost(), url.getPort(),
				url.getRawPath(), url.getRawQuery(), route.match().path()));
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

	/** As the canary filter chooses: the override header, then the sticky key, else a weighted draw. */
	private static void backend(Route route, ServerWebExchange exchange, Map<String, Object> answer) {
		ServerHttpRequest request = exchange.getRequest();
		InetSocketAddress client = exchange.getAttribute(ExchangeAttributes.CLIENT_ADDRESS);
		List<Backend> backends = route.backends();
		int total = backends.stream().mapToInt(Backend::weight).sum();
		List<Map<String, Object>> shares = new ArrayList<>();
		for (Backend backend : backends) {
			Map<String, Object> share = new LinkedHashMap<>();
			share.put("upstream", backend.target());
			share.put("weight", backend.weight());
			share.put("percent", Math.round(backend.weight() * 1000.0 / total) / 10.0);
			shares.add(share);
		}
		answer.put("backends", shares);
		List<Backend> live = backends.stream().filter(b -> b.weight() > 0).toList();
		if (backends.size() == 1) {
			answer.put("backend", live.get(0).target());
			answer.put("why", "the route's only backend");
			return;
		}
		WeightedBackends weighted = new WeightedBackends(backends.stream().map(Backend::target).toList(),
				backends.stream().map(Backend::weight).toList());
		CanaryPolicy canary = route.canary();
		String wanted = canary.overridable() ? request.getHeaders().getFirst(canary.overrideHeader()) : null;
		if (wanted != null && overrideAllowed(canary, client)
				&& weighted.reachableByOverride(wanted.trim(), canary.allowZeroWeight())) {
			answer.put("backend", wanted.trim());
			answer.put("why", "override header " + canary.overrideHeader() + ": " + wanted.trim());
			return;
		}
		if (live.size() == 1) {
			answer.put("backend", live.get(0).target());
			answer.put("why", "the only backend with weight > 0");
			return;
		}
		String key = canary.stickyOn() == null ? null : canary.stickyOn().valueIn(exchange);
		if (key != null) {
			answer.put("backend", weighted.pick(key));
			answer.put("why", "sticky on " + canary.stickyOn() + " = " + key + ": the same key always reaches this backend");
			return;
		}
		answer.put("backend", null);
		answer.put("why", "drawn at random by weight for each request"
				+ (canary.stickyOn() == null ? "" : " (the request has no " + canary.stickyOn() + " to stick on)"));
	}

	/** A sticky key read from where a credential was put is not repeated. */
	private static void hideCredentials(Map<String, Object> answer, Request request) {
		String why = String.valueOf(answer.get("why"));
		for (String credential : new String[] { request.token(), request.apiKey() }) {
			if (credential != null && why.contains(credential)) {
				answer.put("why", why.replace(credential, "(a credential, not shown)"));
				why = String.valueOf(answer.get("why"));
			}
		}
	}

	/** As the canary filter decides: any client, or one in {@code overrideFrom}. */
	private static boolean overrideAllowed(CanaryPolicy canary, InetSocketAddress client) {
		return canary.overrideFrom().isEmpty()
				|| client != null && client.getAddress() != null && canary.overrideSources().contains(client.getAddress());
	}

	/** The route's policies in effect, defaults included (not the stored form, which leaves them out). */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> policies(Route route) {
		Map<String, Object> routeTree = (Map<String, Object>) PolicyTrees.compact(route);
		Map<String, Object> policies = new LinkedHashMap<>();
		for (String key : List.of("cors", "canary", "mirrors", "retries", "timeout", "fault", "rateLimit",
				"requestHeaders", "responseHeaders", "rewrite", "redirect")) {
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
		return ConfigTrees.toMap(upstream);
	}

}
