package io.meshgate.gateway.plain;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.filter.factory.GatewayFilterFactory;
import org.springframework.cloud.gateway.handler.predicate.RoutePredicateFactory;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.ApplicationContext;

import io.meshgate.gateway.plain.ExampleClient.Answer;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route predicate and gateway filter factory of the Spring Cloud Gateway in use, as the
 * running application has them (a newer version's additions fail
 * {@link #everyBuiltInFactoryHasAnExampleOrAReasonToBeSkipped} until given one), works in plain
 * gateway YAML next to a Meshgate route: each runs its reference-doc example
 * ({@code plain/builtin-examples.yml}) against a real upstream, and the test checks its effect.
 */
class BuiltInFactoriesTest extends PlainRoutesTestSupport {

	/** Factories that cannot run here, and why; any other one must have an example. */
	static final Map<String, String> SKIPPED = Map.of(
			"ReadBody", "configurable with the Java DSL only (its predicate is a Java lambda, reference docs)",
			"ModifyRequestBody", "configurable with the Java DSL only (its rewrite is a Java function, reference docs)",
			"ModifyResponseBody", "configurable with the Java DSL only (its rewrite is a Java function, reference docs)",
			"RequestRateLimiter", "needs a RateLimiter bean: Redis (an outside service) or Bucket4j (not included)",
			"TokenRelay", "needs an OAuth2 client registration and an authorization server",
			"LocalResponseCache", "a response cache, left out of Meshgate (LocalResponseCacheAutoConfiguration)",
			"JsonToGrpc", "needs gRPC (io.grpc) on the classpath and a gRPC upstream");

	private static final String BUILT_IN = "org.springframework.cloud.gateway.";

	@Autowired
	ApplicationContext context;

	@Autowired
	RouteLocator routes;

	@Test
	void everyBuiltInFactoryHasAnExampleOrAReasonToBeSkipped() {
		Set<String> predicates = builtIn(RoutePredicateFactory.class);
		Set<String> filters = builtIn(GatewayFilterFactory.class);

		assertThat(predicates).as("route predicate factories without an example").allMatch(
				name -> predicateExamples().containsKey(name) || SKIPPED.containsKey(name));
		assertThat(filters).as("gateway filter factories without an example").allMatch(
				name -> filterExamples().containsKey(name) || SKIPPED.containsKey(name));
		assertThat(predicates).containsAll(predicateExamples().keySet()).contains("Weight");
		assertThat(filters).containsAll(filterExamples().keySet());
	}

	@TestFactory
	Stream<DynamicTest> routePredicateFactories() {
		return examples(predicateExamples());
	}

	@TestFactory
	Stream<DynamicTest> gatewayFilterFactories() {
		return examples(filterExamples());
	}

	@Test
	void meshgateRouteServesNextToThePlainRoutesEachOfWhichIsServedOnce() {
		assertThat(client.get("-", "/mesh/a").echo().upstream()).isEqualTo("other");
		assertThat(client.get("-", "/nowhere").status()).isEqualTo(404);

		List<String> ids = routes.getRoutes().map(route -> route.getId()).collectList().block();
		assertThat(ids).containsOnlyOnce("After", "weight_high", "mesh");
	}

	private Set<String> builtIn(Class<?> type) {
		Set<String> names = new TreeSet<>();
		context.getBeansOfType(type).values().forEach(factory -> {
			if (factory.getClass().getName().startsWith(BUILT_IN)) {
				names.add(factory instanceof RoutePredicateFactory<?> predicate ? predicate.name()
						: ((GatewayFilterFactory<?>) factory).name());
			}
		});
		return names;
	}

	private static Stream<DynamicTest> examples(Map<String, Runnable> examples) {
		return new TreeSet<>(examples.keySet()).stream()
			.map(name -> DynamicTest.dynamicTest(name, () -> examples.get(name).run()));
	}

	private Map<String, Runnable> predicateExamples() {
		return Map.ofEntries(entry("After", this::after), entry("Before", this::before),
				entry("Between", this::between), entry("Cookie", this::cookie), entry("Header", this::header),
				entry("Host", this::host), entry("Method", this::method), entry("Path", this::path),
				entry("Query", this::query), entry("RemoteAddr", this::remoteAddr), entry("Weight", this::weight),
				entry("XForwardedRemoteAddr", this::xForwardedRemoteAddr),
				entry("CloudFoundryRouteService", this::cloudFoundryRouteService), entry("Version", this::version));
	}

	private Map<String, Runnable> filterExamples() {
		return Map.ofEntries(entry("AddRequestHeader", this::addRequestHeader),
				entry("AddRequestHeadersIfNotPresent", this::addRequestHeadersIfNotPresent),
				entry("AddRequestParameter", this::addRequestParameter),
				entry("AddResponseHeader", this::addResponseHeader),
				entry("CacheRequestBody", this::cacheRequestBody), entry("CircuitBreaker", this::circuitBreaker),
				entry("FallbackHeaders", this::circuitBreaker),
				entry("DedupeResponseHeader", this::dedupeResponseHeader),
				entry("MapRequestHeader", this::mapRequestHeader), entry("PrefixPath", this::prefixPath),
				entry("PreserveHostHeader", this::preserveHostHeader), entry("RedirectTo", this::redirectTo),
				entry("RemoveJsonAttributesResponseBody", this::removeJsonAttributesResponseBody),
				entry("RemoveRequestHeader", this::removeRequestHeader),
				entry("RemoveRequestParameter", this::removeRequestParameter),
				entry("RemoveResponseHeader", this::removeResponseHeader),
				entry("RequestHeaderSize", this::requestHeaderSize),
				entry("RequestHeaderToRequestUri", this::requestHeaderToRequestUri),
				entry("RequestSize", this::requestSize), entry("Retry", this::retry),
				entry("RewriteLocationResponseHeader", this::rewriteLocationResponseHeader),
				entry("RewritePath", this::rewritePath), entry("RewriteRequestParameter", this::rewriteRequestParameter),
				entry("RewriteResponseHeader", this::rewriteResponseHeader), entry("SaveSession", this::saveSession),
				entry("SecureHeaders", this::secureHeaders), entry("SetPath", this::setPath),
				entry("SetRequestHeader", this::setRequestHeader),
				entry("SetRequestHostHeader", this::setRequestHostHeader),
				entry("SetResponseHeader", this::setResponseHeader), entry("SetStatus", this::setStatus),
				entry("SetRequestUri", this::setRequestUri), entry("StripPrefix", this::stripPrefix));
	}

	// --- route predicate factories: a request the example matches reaches the upstream, one it
	// does not match finds no route

	private void after() {
		assertUpstream(client.get("After", "/"), "echo");
	}

	private void before() {
		assertThat(client.get("Before", "/").status()).isEqualTo(404);
		assertUpstream(client.get("Before-2100", "/"), "echo");
	}

	private void between() {
		assertThat(client.get("Between", "/").status()).isEqualTo(404);
		assertUpstream(client.get("Between-2100", "/"), "echo");
	}

	private void cookie() {
		assertUpstream(client.get("Cookie", "/", "Cookie", "chocolate=chip"), "echo");
		assertThat(client.get("Cookie", "/", "Cookie", "chocolate=mint").status()).isEqualTo(404);
	}

	private void header() {
		assertUpstream(client.get("Header", "/", "X-Request-Id", "123"), "echo");
		assertThat(client.get("Header", "/", "X-Request-Id", "abc").status()).isEqualTo(404);
	}

	private void host() {
		assertUpstream(client.get("Host", "/", "Host", "www.somehost.org"), "echo");
		assertUpstream(client.get("Host", "/", "Host", "beta.anotherhost.org"), "echo");
		assertThat(client.get("Host", "/", "Host", "www.example.org").status()).isEqualTo(404);
	}

	private void method() {
		assertUpstream(client.get("Method", "/"), "echo");
		assertUpstream(client.send("POST", "Method", "/", "x"), "echo");
		assertThat(client.send("DELETE", "Method", "/", null).status()).isEqualTo(404);
	}

	private void path() {
		assertUpstream(client.get("Path", "/red/1"), "echo");
		assertUpstream(client.get("Path", "/blue/green"), "echo");
		assertThat(client.get("Path", "/red/1/2").status()).isEqualTo(404);
	}

	private void query() {
		assertUpstream(client.get("Query", "/?green=1"), "echo");
		assertThat(client.get("Query", "/?blue=1").status()).isEqualTo(404);
		assertUpstream(client.get("Query-regexp", "/?red=greet"), "echo");
		assertThat(client.get("Query-regexp", "/?red=blue").status()).isEqualTo(404);
	}

	private void remoteAddr() {
		assertThat(client.get("RemoteAddr", "/").status()).isEqualTo(404);
		assertUpstream(client.get("RemoteAddr-loopback", "/"), "echo");
	}

	/** Weight=group1, 8 and Weight=group1, 2: exactly 8 of 10 requests to the first. */
	private void weight() {
		List<Answer> answers = Stream.generate(() -> client.get("Weight", "/")).limit(10).toList();
		assertThat(answers).as(answers.toString()).allMatch(answer -> answer.status() == 200);
		Map<String, Long> upstreams = answers.stream()
			.collect(Collectors.groupingBy(answer -> answer.echo().upstream(), Collectors.counting()));
		assertThat(upstreams).containsExactlyInAnyOrderEntriesOf(Map.of("echo", 8L, "other", 2L));
	}

	private void xForwardedRemoteAddr() {
		assertUpstream(client.get("XForwardedRemoteAddr", "/", "X-Forwarded-For", "192.168.1.10"), "echo");
		assertThat(client.get("XForwardedRemoteAddr", "/", "X-Forwarded-For", "10.0.0.1").status()).isEqualTo(404);
	}

	private void cloudFoundryRouteService() {
		assertUpstream(client.get("CloudFoundryRouteService", "/", "X-CF-Forwarded-Url", "https://app.example/x",
				"X-CF-Proxy-Signature", "signature", "X-CF-Proxy-Metadata", "metadata"), "echo");
		assertThat(client.get("CloudFoundryRouteService", "/").status()).isEqualTo(404);
	}

	/**
	 * Version=1.3 (exactly) before Version=1.1+ (1.1 and later); a request without a version has
	 * the configured default, 1.0.
	 */
	private void version() {
		assertUpstream(client.get("Version", "/api/a", "X-API-Version", "1.3"), "echo");
		assertUpstream(client.get("Version", "/api/a", "X-API-Version", "1.1"), "other");
		assertUpstream(client.get("Version", "/./api/a", "X-API-Version", "1.1"), "other");
		assertThat(client.get("Version", "/api/a").status()).isEqualTo(404);
	}

	// --- gateway filter factories: the change each makes, seen by the upstream or the client

	private void addRequestHeader() {
		assertThat(echo(client.get("AddRequestHeader", "/red/7")).header("X-Request-Red")).isEqualTo("blue, Blue-7");
	}

	private void addRequestHeadersIfNotPresent() {
		EchoUpstream.Echo echo = echo(client.get("AddRequestHeadersIfNotPresent", "/", "X-Request-Color-1", "red"));
		assertThat(echo.header("X-Request-Color-1")).isEqualTo("red");
		assertThat(echo.header("X-Request-Color-2")).isEqualTo("green");
	}

	private void addRequestParameter() {
		assertThat(echo(client.get("AddRequestParameter", "/p?a=1", "Host", "www.myhost.org")).uri())
			.isEqualTo("/p?a=1&red=blue&foo=bar-www");
	}

	private void addResponseHeader() {
		Answer answer = client.get("AddResponseHeader", "/");
		assertThat(answer.header("X-Response-Red")).isEqualTo("Blue");
		assertThat(answer.header("X-Response-Black")).isEqualTo("White");
		Answer kept = client.get("AddResponseHeader", "/", "x-answer-X-Response-Black", "Grey");
		assertThat(kept.header("X-Response-Black")).isEqualTo("Grey");
	}

	private void cacheRequestBody() {
		assertThat(echo(client.send("POST", "CacheRequestBody", "/", "cached body")).body()).isEqualTo("cached body");
	}

	/** A refused connection trips the breaker: the fallback route answers, with the cause in a header. */
	private void circuitBreaker() {
		EchoUpstream.Echo echo = echo(client.get("CircuitBreaker", "/ingredients/a"));
		assertThat(echo.upstream()).isEqualTo("other");
		assertThat(echo.uri()).isEqualTo("/fallback");
		assertThat(echo.header("Test-Header")).contains("Connect");
	}

	private void dedupeResponseHeader() {
		Answer answer = client.get("DedupeResponseHeader", "/", "x-answer-Access-Control-Allow-Origin",
				"https://a.example", "x-answer-Access-Control-Allow-Origin", "https://a.example",
				"x-answer-Access-Control-Allow-Credentials", "true", "x-answer-Access-Control-Allow-Credentials",
				"true");
		assertThat(answer.headers().getAll("Access-Control-Allow-Origin")).containsExactly("https://a.example");
		assertThat(answer.headers().getAll("Access-Control-Allow-Credentials")).containsExactly("true");
	}

	private void mapRequestHeader() {
		assertThat(echo(client.get("MapRequestHeader", "/", "Blue", "b")).header("X-Request-Red")).isEqualTo("b");
	}

	private void prefixPath() {
		assertThat(echo(client.get("PrefixPath", "/hello")).uri()).isEqualTo("/mypath/hello");
	}

	private void preserveHostHeader() {
		assertThat(echo(client.get("PreserveHostHeader", "/", "Host", "preserved.example")).header("Host"))
			.isEqualTo("preserved.example");
	}

	private void redirectTo() {
		Answer answer = client.get("RedirectTo", "/x?a=1");
		assertThat(answer.status()).isEqualTo(302);
		assertThat(answer.header("Location")).isEqualTo("https://acme.org");
		Answer withParameters = client.get("RedirectTo-with-parameters", "/x?a=1");
		assertThat(withParameters.status()).isEqualTo(302);
		assertThat(withParameters.header("Location")).isEqualTo("https://acme.org?a=1");
	}

	private void removeJsonAttributesResponseBody() {
		Answer answer = client.get("RemoveJsonAttributesResponseBody", "/", "x-answer-body",
				"{\"id\":1,\"color\":\"red\",\"name\":\"x\"}");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).isEqualTo("{\"name\":\"x\"}");
	}

	private void removeRequestHeader() {
		EchoUpstream.Echo echo = echo(client.get("RemoveRequestHeader", "/", "X-Request-Foo", "f", "X-Other", "o"));
		assertThat(echo.header("X-Request-Foo")).isNull();
		assertThat(echo.header("X-Other")).isEqualTo("o");
	}

	private void removeRequestParameter() {
		assertThat(echo(client.get("RemoveRequestParameter", "/?red=1&blue=2")).uri()).isEqualTo("/?blue=2");
	}

	private void removeResponseHeader() {
		Answer answer = client.get("RemoveResponseHeader", "/", "x-answer-X-Response-Foo", "f",
				"x-answer-X-Response-Bar", "b");
		assertThat(answer.header("X-Response-Foo")).isNull();
		assertThat(answer.header("X-Response-Bar")).isEqualTo("b");
	}

	private void requestHeaderSize() {
		assertUpstream(client.get("RequestHeaderSize", "/", "X-Small", "s"), "echo");
		assertThat(client.get("RequestHeaderSize", "/", "X-Big", "b".repeat(1200)).status()).isEqualTo(431);
	}

	private void requestHeaderToRequestUri() {
		EchoUpstream.Echo echo = echo(
				client.get("RequestHeaderToRequestUri", "/", "X-CF-Forwarded-Url", OTHER.url() + "/cf"));
		assertThat(echo.upstream()).isEqualTo("other");
		assertThat(echo.uri()).isEqualTo("/cf");
	}

	private void requestSize() {
		assertUpstream(client.send("POST", "RequestSize", "/upload", "x".repeat(100)), "echo");
		assertThat(client.send("POST", "RequestSize", "/upload", "x".repeat(6000)).status()).isEqualTo(413);
	}

	/** Three retries after the first try: the upstream sees the request four times. */
	private void retry() {
		for (String route : List.of("Retry", "Retry-shortcut")) {
			Answer answer = client.get(route, "/", "x-answer-status", "500");
			assertThat(answer.status()).isEqualTo(500);
			assertThat(ECHO.received(ExampleClient.REQUEST, answer.request())).hasSize(4);
		}
	}

	private void rewriteLocationResponseHeader() {
		Answer answer = client.get("RewriteLocationResponseHeader", "/some/object/name", "Host", "api.example.com",
				"x-answer-Location", "https://object-service.prod.example.net/v2/some/object/id");
		assertThat(answer.header("Location")).isEqualTo("https://api.example.com/some/object/id");
	}

	private void rewritePath() {
		assertThat(echo(client.get("RewritePath", "/red/blue")).uri()).isEqualTo("/blue");
	}

	private void rewriteRequestParameter() {
		assertThat(echo(client.get("RewriteRequestParameter", "/products?campaign=old")).uri())
			.isEqualTo("/products?campaign=fall2023");
	}

	private void rewriteResponseHeader() {
		Answer answer = client.get("RewriteResponseHeader", "/", "x-answer-X-Response-Red",
				"/42?user=ford&password=omg!what&flag=true");
		assertThat(answer.header("X-Response-Red")).isEqualTo("/42?user=ford&password=***&flag=true");
	}

	private void saveSession() {
		assertUpstream(client.get("SaveSession", "/foo/a"), "echo");
	}

	private void secureHeaders() {
		Answer answer = client.get("SecureHeaders", "/");
		assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(answer.header("Strict-Transport-Security")).isNotBlank();
		assertThat(answer.header("X-Frame-Options")).isNull();
	}

	private void setPath() {
		assertThat(echo(client.get("SetPath", "/red/blue")).uri()).isEqualTo("/blue");
	}

	private void setRequestHeader() {
		assertThat(echo(client.get("SetRequestHeader", "/", "X-Request-Red", "red")).header("X-Request-Red"))
			.isEqualTo("Blue");
	}

	private void setRequestHostHeader() {
		assertThat(echo(client.get("SetRequestHostHeader", "/headers")).header("Host")).isEqualTo("example.org");
	}

	private void setResponseHeader() {
		Answer answer = client.get("SetResponseHeader", "/", "x-answer-X-Response-Red", "red");
		assertThat(answer.headers().getAll("X-Response-Red")).containsExactly("Blue");
	}

	private void setStatus() {
		assertThat(client.get("SetStatus", "/string").status()).isEqualTo(401);
		assertThat(client.get("SetStatus", "/int").status()).isEqualTo(401);
	}

	private void setRequestUri() {
		assertThat(echo(client.get("SetRequestUri", "/127.0.0.1/a")).upstream()).isEqualTo("other");
	}

	private void stripPrefix() {
		assertThat(echo(client.get("StripPrefix", "/name/blue/red")).uri()).isEqualTo("/red");
	}

	private static void assertUpstream(Answer answer, String upstream) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.echo().upstream()).isEqualTo(upstream);
	}

	private static EchoUpstream.Echo echo(Answer answer) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return answer.echo();
	}

}
