package io.meshgate.policy.route;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.canary.WeightedBackends;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.policy.rewrite.HeaderModifier;
import io.meshgate.policy.rewrite.RedirectPolicy;
import io.meshgate.policy.rewrite.RewritePolicy;
import io.meshgate.policy.schema.InvalidFieldsException;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** One test per invalid argument of a route and of the whole configuration, each with its message. */
class RouteValidationTest {

	static final List<Backend> ONE = List.of(Backend.of("orders", 1));

	@Test
	void idIsRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> Route.of(" ", RouteMatch.path("/x"), ONE))
			.withMessage("id:   (expected: letters, digits, '-', '_' or '.', at most 128)");
	}

	@Test
	void independentFieldsOfAMatchAndARouteReportTheirErrorsTogether() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RouteMatch("/x/{", null, List.of("FETCH"), Map.of("x-env", "beta("), null, null, null,
					null, null, null))
			.isInstanceOfSatisfying(InvalidFieldsException.class, ex -> assertThat(ex.messages())
				.extracting(message -> message.substring(0, message.indexOf(" (expected")))
				.containsExactly("path: /x/{", "methods: FETCH", "headers.x-env: beta("));
		assertThatIllegalArgumentException().isThrownBy(() -> Route.of("Bad Id!", RouteMatch.path("/x"), List.of()))
			.isInstanceOfSatisfying(InvalidFieldsException.class, ex -> assertThat(ex.messages()).containsExactly(
					"id: Bad Id! (expected: letters, digits, '-', '_' or '.', at most 128)",
					"backends: [] (expected: at least one {upstream: name}, unless the route has a redirect)"));
	}

	@Test
	void matchIsRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> Route.of("r", null, ONE))
			.withMessage("match: null (expected: at least {path: /...})");
	}

	@Test
	void pathStartsWithSlash() {
		assertThatIllegalArgumentException().isThrownBy(() -> RouteMatch.path("orders/**"))
			.withMessage("path: orders/** (expected: a path pattern starting with /)");
	}

	@Test
	void methodsAreHttpMethods() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RouteMatch("/x", null, List.of("get", "FETCH"), null, null, null, null, null, null, null))
			.withMessageStartingWith("methods: FETCH (expected: one of ");
	}

	@Test
	void headerValuesAreRegularExpressions() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RouteMatch("/x", null, null, Map.of("x-env", "(canary"), null, null, null, null, null, null))
			.withMessage("headers.x-env: (canary (expected: a regular expression RE2 accepts, without backreferences or lookaround; missing closing ))");
	}

	@Test
	void claimNamesAreNamesOrPaths() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RouteMatch.path("/x").withClaims(Map.of("", "beta")))
			.withMessage("claims:  (expected: a claim name, or a path of names separated by dots, as realm.roles)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RouteMatch.path("/x").withClaims(Map.of(" tier", "beta")))
			.withMessage("claims:  tier (expected: a claim name, or a path of names separated by dots, as realm.roles)");
		assertThat(RouteMatch.path("/x").withClaims(Map.of("realm.roles", "admin")).claims())
			.containsEntry("realm.roles", "admin");
	}

	@Test
	void claimValuesAreRegularExpressions() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RouteMatch.path("/x").withClaims(Map.of("tier", "(beta")))
			.withMessage("claims.tier: (beta (expected: a regular expression RE2 accepts, without backreferences or lookaround; missing closing ))");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RouteMatch.path("/x").withClaims(Map.of("tier", "#{beta}")))
			.withMessageStartingWith("claims.tier: #{beta} (expected: a regular expression, not #{...}");
	}

	@Test
	void principalsAreExactPrefixesSuffixesOrAny() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RouteMatch.path("/x").withPrincipals(List.of("spiffe://a/*/sa/web")))
			.withMessage("principals[0]: spiffe://a/*/sa/web (expected: a principal, a prefix ending in *, a suffix starting with *, or *)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RouteMatch.path("/x").withPrincipals(Arrays.asList("spiffe://a", null)))
			.withMessage("principals[1]: null (expected: a principal, a prefix ending in *, a suffix starting with *, or *)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RouteMatch.path("/x").withPrincipals(List.of("*a*")))
			.withMessageStartingWith("principals[0]: *a* (expected: ");
		assertThat(RouteMatch.path("/x").withPrincipals(List.of("*", "spiffe://a/*", "*.example.com")).principals())
			.hasSize(3);
		assertThat(RouteMatch.path("/x").withPrincipals(List.of()).principals()).isEmpty();
	}

	@Test
	void needsABackend() {
		assertThatIllegalArgumentException().isThrownBy(() -> Route.of("r", RouteMatch.path("/x"), List.of()))
			.withMessage("backends: [] (expected: at least one {upstream: name}, unless the route has a redirect)");
	}

	@Test
	void backendWeightIsNotNegative() {
		assertThatIllegalArgumentException().isThrownBy(() -> Backend.of("orders", -5))
			.withMessage("weight: -5 (expected: >= 0)");
	}

	@Test
	void backendNamesAnUpstream() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Backend("", 1, null, null, null))
			.withMessage("upstream:  (expected: the name of an upstream, or a status instead)");
	}

	@Test
	void weightsSumAboveZero() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Route.of("r", "/x", Backend.of("a", 0), Backend.of("b", 0)))
			.withMessage("backends: weights sum to 0 (expected: > 0)");
	}

	@Test
	void backendsReferenceExistingUpstreams() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConfig(List.of(Upstream.of("orders-v1", "http://127.0.0.1:1")),
					List.of(Route.of("orders", "/orders/**", Backend.of("orders-v1", 9), Backend.of("orders-v3", 1)))))
			.withMessage("routes[orders].backends[1].upstream: orders-v3 (expected: one of the upstreams [orders-v1])");
	}

	@Test
	void upstreamNamesAreUnique() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConfig(
					List.of(Upstream.of("a", "http://127.0.0.1:1"), Upstream.of("a", "http://127.0.0.1:2")), null))
			.withMessage("upstreams[a].name: a (expected: unique)");
	}

	@Test
	void routeIdsAreUnique() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConfig(List.of(Upstream.of("a", "http://127.0.0.1:1")),
					List.of(Route.of("r", "/x", Backend.of("a", 1)), Route.of("r", "/y", Backend.of("a", 1)))))
			.withMessage("routes[r].id: r (expected: unique)");
	}

	@Test
	void canaryShortcutIsUpstreamColonWeight() {
		assertThatIllegalArgumentException().isThrownBy(() -> WeightedBackends.parse(List.of("orders-v1")))
			.withMessage("backends: orders-v1 (expected: upstream:weight)");
		assertThatIllegalArgumentException().isThrownBy(() -> WeightedBackends.parse(List.of("a:ten")))
			.withMessage("backends: a:ten (expected: upstream:weight, an integer weight)");
		assertThat(WeightedBackends.parse(List.of("a:90", " b:10 c:0"))).hasToString("a:90,b:10,c:0");
	}

	@Test
	void compilesToPlainGatewayPredicatesAndFilters() {
		Route route = Route.of("orders", new RouteMatch("/orders/**", null, List.of("GET"), Map.of("x-env", "beta"), null,
				"**.example.com", null, null, null, null), List.of(Backend.of("v1", 90), Backend.of("v2", 10), Backend.of("v3", 0)));

		var definition = RouteCompiler.compile(route, 3);

		assertThat(definition.getUri()).hasToString("lb://v1");
		assertThat(definition.getOrder()).isEqualTo(3);
		assertThat(definition.getPredicates()).extracting(p -> p.getName())
			.containsExactly("Path", "Method", "HeaderMatch", "HostMatch");
		assertThat(definition.getFilters()).singleElement()
			.satisfies(f -> assertThat(f.getArgs()).containsEntry("backends", "v1:90,v2:10,v3:0"));
	}

	@Test
	void pathTypeIsNamedCaseInsensitively() {
		assertThat(PathType.of(" exact ")).isEqualTo(PathType.EXACT);
		assertThatIllegalArgumentException().isThrownBy(() -> PathType.of("PathPrefix"))
			.withMessage("pathType: PathPrefix (expected: one of [PATTERN, EXACT, PREFIX, REGEX])");
	}

	@Test
	void exactAndPrefixPathsStartWithSlash() {
		assertThatIllegalArgumentException().isThrownBy(() -> RouteMatch.path(PathType.PREFIX, "shop"))
			.withMessage("path: shop (expected: a path starting with / for pathType PREFIX)");
		assertThatIllegalArgumentException().isThrownBy(() -> RouteMatch.path(PathType.EXACT, null))
			.withMessage("path: null (expected: a path starting with / for pathType EXACT)");
	}

	@Test
	void regexPathIsARegularExpression() {
		assertThatIllegalArgumentException().isThrownBy(() -> RouteMatch.path(PathType.REGEX, "/v[0-9"))
			.withMessage("path: /v[0-9 (expected: a regular expression RE2 accepts, without backreferences or lookaround; missing closing ])");
	}

	@Test
	void regularExpressionsAreRe2Expressions() {
		assertThatIllegalArgumentException().isThrownBy(() -> RouteMatch.path(PathType.REGEX, "/re/(a)\\1"))
			.withMessage("path: /re/(a)\\1 (expected: a regular expression RE2 accepts, without backreferences or lookaround; invalid escape sequence)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RouteMatch("/x", null, null, Map.of("x-a", "(?=b)b"), null, null, null, null, null, null))
			.withMessage("headers.x-a: (?=b)b (expected: a regular expression RE2 accepts, without backreferences or lookaround; invalid or unsupported Perl syntax)");
		assertThat(RouteMatch.path(PathType.REGEX, "/re/(.*a){12}").matchesPath("/re/" + "a!".repeat(29)))
			.isFalse();
	}

	@Test
	void literalPathsAreInTheFormRequestPathsAreMatchedIn() {
		assertThatIllegalArgumentException().isThrownBy(() -> RouteMatch.path(PathType.PREFIX, "/shop/../admin"))
			.withMessage("path: /shop/../admin (expected: a path for pathType PREFIX in the normal form request paths "
					+ "are matched in: /admin)");
		assertThatIllegalArgumentException().isThrownBy(() -> RouteMatch.path(PathType.EXACT, "/caf%c3%a9;v=1"))
			.withMessage("path: /caf%c3%a9;v=1 (expected: a path for pathType EXACT in the normal form request paths "
					+ "are matched in: /caf%C3%A9)");
		assertThatIllegalArgumentException().isThrownBy(() -> RouteMatch.path(PathType.EXACT, "/a%zz"))
			.withMessage("path: /a%zz (expected: a path for pathType EXACT in the normal form request paths are "
					+ "matched in, with valid percent-encoding and no control characters)");
		for (String path : List.of("/", "/shop/", "/a//b", "/files/a%2Fb", "/caf%C3%A9", "/.well-known/x")) {
			assertThat(RouteMatch.path(PathType.PREFIX, path).path()).isEqualTo(path);
		}
	}

	@Test
	void patternPathsCompileToNoBacktrackingRegex() {
		for (String path : List.of("/a/{id:[0-9]+}", "/a/x*y*z", "/a/{x}.{y}", "/a/*{x}")) {
			assertThatIllegalArgumentException().isThrownBy(() -> RouteMatch.path(path))
				.withMessage("path: " + path + " (expected: a Spring path pattern with at most one * or {variable} "
						+ "per segment and no {variable:regex}; write regular expressions with pathType REGEX)");
		}
		for (String path : List.of("/a/**", "/a/{id}", "/a/*.json", "/a/{*rest}", "/a/v?/{id}", "/*/b")) {
			assertThat(RouteMatch.path(path).path()).isEqualTo(path);
		}
	}

	@Test
	void patternPathIsASpringPathPattern() {
		assertThatIllegalArgumentException().isThrownBy(() -> RouteMatch.path("/a/**/b"))
			.withMessageStartingWith("path: /a/**/b (expected: a Spring path pattern; ");
	}

	@Test
	void queryValuesAreRegularExpressions() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RouteMatch("/x", null, null, null, Map.of("v", "*"), null, null, null, null, null))
			.withMessage("query.v: * (expected: a regular expression RE2 accepts, without backreferences or lookaround; missing argument to repetition operator)");
	}

	@Test
	void matchExpressionsAreNotGatewayExpressions() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RouteMatch("/x", null, null, Map.of("x-a", "#{1}"), null, null, null, null, null, null))
			.withMessage("headers.x-a: #{1} (expected: a regular expression, not #{...}, which Spring Cloud Gateway "
					+ "would evaluate as an expression)");
	}

	@Test
	void prefixReplacementNeedsAPrefixMatch() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Route.of("r", RouteMatch.path("/shop/**"), ONE).withRewrite(RewritePolicy.prefix("/v2")))
			.withMessage("rewrite.replacePrefixMatch: /v2 (expected: only with match.pathType PREFIX, not PATTERN)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Route.redirect("r", RouteMatch.path(PathType.EXACT, "/shop"),
					new RedirectPolicy(null, null, null, null, "/v2", 0)))
			.withMessage("redirect.replacePrefixMatch: /v2 (expected: only with match.pathType PREFIX, not EXACT)");
	}

	@Test
	void redirectRouteHasNoBackendsRewriteMirrorsOrRetries() {
		Route redirect = Route.redirect("r", RouteMatch.path("/x"), RedirectPolicy.toHttps());
		assertThat(redirect.backends()).isEmpty();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Route("r", RouteMatch.path("/x"), ONE, null, null, null, null, null, null, null, null,
					null, null, RedirectPolicy.toHttps(), null, null, null, null))
			.withMessage("backends: 1 given (expected: none on a route with a redirect, which answers itself)");
		assertThatIllegalArgumentException().isThrownBy(() -> redirect.withRewrite(RewritePolicy.hostname("a.b")))
			.withMessage("rewrite: given (expected: none on a route with a redirect, which answers itself)");
		assertThatIllegalArgumentException().isThrownBy(() -> redirect.withMirrors(MirrorPolicy.of("shadow", 5)))
			.withMessage("mirrors: 1 given (expected: none on a route with a redirect, which answers itself)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> redirect.withRetries(RetryPolicy.attempts(1)))
			.withMessage("retries: given (expected: none on a route with a redirect, which answers itself)");
	}

	@Test
	void compilesMatchesRewritesAndRedirectsToOwnPredicatesAndFilters() {
		Route route = Route
			.of("shop", new RouteMatch("/shop", PathType.PREFIX, List.of("GET", "POST"), null, Map.of("v", "2"), null, null, null, null, null),
					ONE)
			.withRequestHeaders(new HeaderModifier(Map.of("X-Env", "prod"), null, List.of("x-a", "x-b")))
			.withResponseHeaders(HeaderModifier.set("Cache-Control", "no-store"))
			.withRewrite(new RewritePolicy("shop.internal", null, "/v2", false));

		var definition = RouteCompiler.compile(route, 0);

		assertThat(definition.getPredicates()).extracting(p -> p.getName() + p.getArgs())
			.containsExactly("PathMatch{type=PREFIX, path=/shop}", "Method{methods[0]=GET, methods[1]=POST}",
					"QueryMatch{param=v, regexp=2}");
		assertThat(definition.getFilters()).extracting(f -> f.getName() + f.getArgs())
			.containsExactly("ResponseHeaderModifier{set[Cache-Control]=no-store}",
					"RequestHeaderModifier{set[X-Env]=prod, remove=x-a,x-b}",
					"UrlRewrite{hostname=shop.internal, replacePrefixMatch=/v2, preserveHost=false, prefix=/shop}");

		var redirect = RouteCompiler.compile(
				Route.redirect("r", RouteMatch.path(PathType.EXACT, "/x"), new RedirectPolicy("https", null, 8443, "/y", null, 0)),
				1);
		assertThat(redirect.getUri()).hasToString("no://op");
		assertThat(redirect.getFilters()).extracting(f -> f.getName() + f.getArgs())
			.containsExactly("RequestRedirect{scheme=https, port=8443, replaceFullPath=/y, statusCode=302}");
	}

}
