package io.meshgate.policy.security.authz;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.PeerIdentity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Istio's evaluation order, one request per row: DENY before ALLOW (a DENY match wins), no ALLOW
 * policy means allow, an ALLOW policy that applies but does not match denies, dry-run policies
 * never enforce but count, targets decide which policies apply. Each row names the answer
 * ({@code pass} or {@code 403 <policy>}) and every decision counted
 * ({@code policy/rule/decision}).
 */
class AuthorizationDecisionTableTest {

	private static final String WEB = "spiffe://cluster.local/ns/shop/sa/web";

	/** A request: route, method, path, Host, client address, verified peer (or none). */
	record Request(String route, String method, String path, String host, String client, String peer) {

		static Request get(String path) {
			return new Request("orders", "GET", path, "api.example.com", "192.0.2.7", null);
		}

		Request on(String route) {
			return new Request(route, method, path, host, client, peer);
		}

		Request method(String method) {
			return new Request(route, method, path, host, client, peer);
		}

		Request host(String host) {
			return new Request(route, method, path, host, client, peer);
		}

		Request from(String client) {
			return new Request(route, method, path, host, client, peer);
		}

		Request peer(String peer) {
			return new Request(route, method, path, host, client, peer);
		}

	}

	record Row(String name, String policies, Request request, String answer, Set<String> counted) {

		@Override
		public String toString() {
			return name;
		}

	}

	static Stream<Row> rows() {
		String denyAdmin = """
				- name: deny-admin
				  action: DENY
				  rules: [{to: {paths: [/orders/admin*]}}]
				""";
		String allowWebGets = """
				- name: web-reads
				  action: ALLOW
				  rules: [{from: {principals: [%s]}, to: {methods: [GET]}}]
				""".formatted(WEB);
		return Stream.of(
				new Row("no policies: pass, nothing counted", "[]", Request.get("/orders/1"), "pass", Set.of()),
				new Row("DENY matches: denied", denyAdmin, Request.get("/orders/admin/x"), "403 deny-admin",
						Set.of("deny-admin/0/deny")),
				new Row("DENY does not match, no ALLOW policy: allowed", denyAdmin, Request.get("/orders/1"), "pass",
						Set.of("(none)/(none)/allow")),
				new Row("deny beats allow: DENY and ALLOW both match", denyAdmin + allowWebGets,
						Request.get("/orders/admin/x").peer(WEB), "403 deny-admin", Set.of("deny-admin/0/deny")),
				new Row("ALLOW matches: allowed by its rule", denyAdmin + allowWebGets, Request.get("/orders/1").peer(WEB),
						"pass", Set.of("web-reads/0/allow")),
				new Row("ALLOW applies, does not match (no peer): denied in its name", allowWebGets,
						Request.get("/orders/1"), "403 web-reads", Set.of("web-reads/(none)/deny")),
				new Row("ALLOW applies, does not match (method): denied", allowWebGets,
						Request.get("/orders/1").peer(WEB).method("POST"), "403 web-reads", Set.of("web-reads/(none)/deny")),
				new Row("second ALLOW policy matches: allowed", allowWebGets + """
						- name: office
						  action: ALLOW
						  rules: [{from: {ipBlocks: [10.0.0.0/8]}}, {from: {ipBlocks: [192.0.2.0/24]}}]
						""", Request.get("/orders/1"), "pass", Set.of("office/1/allow")),
				new Row("ALLOW without rules allows nothing", """
						- name: allow-nothing
						  action: ALLOW
						""", Request.get("/orders/1").peer(WEB), "403 allow-nothing", Set.of("allow-nothing/(none)/deny")),
				new Row("ALLOW with an empty rule allows everything", """
						- name: allow-all
						  action: ALLOW
						  rules: [{to: {paths: ["*"]}}]
						""", Request.get("/orders/1"), "pass", Set.of("allow-all/0/allow")),
				new Row("notPrincipals [*] denies requests without a peer", """
						- name: mtls-only
						  action: DENY
						  rules: [{from: {notPrincipals: ["*"]}}]
						""", Request.get("/orders/1"), "403 mtls-only", Set.of("mtls-only/0/deny")),
				new Row("notPrincipals [*] lets a peer pass", """
						- name: mtls-only
						  action: DENY
						  rules: [{from: {notPrincipals: ["*"]}}]
						""", Request.get("/orders/1").peer(WEB), "pass", Set.of("(none)/(none)/allow")),
				new Row("dry-run DENY matches: passes, counted", """
						- name: maybe-deny
						  action: DENY
						  dryRun: true
						  rules: [{to: {methods: [GET]}}]
						""", Request.get("/orders/1"), "pass", Set.of("maybe-deny/0/dry-run-deny", "(none)/(none)/allow")),
				new Row("dry-run DENY counts even where an enforced DENY denies", denyAdmin + """
						- name: maybe-deny
						  action: DENY
						  dryRun: true
						  rules: [{to: {methods: [POST]}}, {to: {methods: [GET]}}]
						""", Request.get("/orders/admin/x"), "403 deny-admin",
						Set.of("maybe-deny/1/dry-run-deny", "deny-admin/0/deny")),
				new Row("dry-run ALLOW does not match, no enforced ALLOW: passes, counted", """
						- name: maybe-web-only
						  action: ALLOW
						  dryRun: true
						  rules: [{from: {principals: ["%s"]}}]
						""".formatted(WEB), Request.get("/orders/1"), "pass",
						Set.of("maybe-web-only/(none)/dry-run-deny", "(none)/(none)/allow")),
				new Row("dry-run ALLOW does not match but an enforced ALLOW allows: nothing would be denied",
						allowWebGets + """
								- name: maybe-office-only
								  action: ALLOW
								  dryRun: true
								  rules: [{from: {ipBlocks: [10.0.0.0/8]}}]
								""", Request.get("/orders/1").peer(WEB), "pass", Set.of("web-reads/0/allow")),
				new Row("dry-run ALLOW matches: nothing counted for it", """
						- name: maybe-office-only
						  action: ALLOW
						  dryRun: true
						  rules: [{from: {ipBlocks: [192.0.2.0/24]}}]
						""", Request.get("/orders/1"), "pass", Set.of("(none)/(none)/allow")),
				new Row("ALLOW targeted at another route does not apply", """
						- name: other-only
						  action: ALLOW
						  targets: {routes: [other]}
						""", Request.get("/orders/1"), "pass", Set.of()),
				new Row("ALLOW targeted at the route applies", """
						- name: orders-only
						  action: ALLOW
						  targets: {routes: [orders]}
						""", Request.get("/orders/1"), "403 orders-only", Set.of("orders-only/(none)/deny")),
				new Row("DENY targeted at a host applies on any route of that host, port and case aside", """
						- name: no-api
						  action: DENY
						  targets: {hosts: ["*.example.com"]}
						  rules: [{to: {paths: ["*"]}}]
						""", Request.get("/x").on("other").host("API.Example.com.:8443"), "403 no-api",
						Set.of("no-api/0/deny")),
				new Row("DENY targeted at a host does not apply to another host", """
						- name: no-api
						  action: DENY
						  targets: {hosts: [api.example.com]}
						  rules: [{to: {paths: ["*"]}}]
						""", Request.get("/x").host("www.example.org"), "pass", Set.of("(none)/(none)/allow")),
				new Row("route or host: a policy applies where either targets it", """
						- name: locked
						  action: DENY
						  targets: {routes: [orders], hosts: [admin.example.com]}
						  rules: [{to: {paths: ["*"]}}]
						""", Request.get("/x").on("other").host("admin.example.com"), "403 locked",
						Set.of("locked/0/deny")),
				new Row("ipBlocks read the resolved client address", """
						- name: office
						  action: ALLOW
						  rules: [{from: {ipBlocks: [10.0.0.0/8]}}]
						""", Request.get("/orders/1").from("10.1.2.3"), "pass", Set.of("office/0/allow")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void decides(Row row) {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		AuthorizationFilter filter = new AuthorizationFilter(meters);
		filter.install(Policies.yaml(row.policies()));
		MockServerWebExchange exchange = exchange(row.request());
		AtomicBoolean passed = new AtomicBoolean();
		GatewayFilterChain chain = e -> {
			passed.set(true);
			return Mono.empty();
		};

		filter.filter(exchange, chain).block();

		String answer = passed.get() ? "pass"
				: exchange.getResponse().getStatusCode().value() + " " + policyIn(exchange.getResponse().getBodyAsString().block());
		assertThat(answer).isEqualTo(row.answer());
		Set<String> counted = new TreeSet<>();
		for (Counter counter : meters.find(DecisionCounters.METER).tag("route", row.request().route()).counters()) {
			assertThat(counter.count()).isEqualTo(1.0);
			counted.add(counter.getId().getTag("policy") + "/" + counter.getId().getTag("rule") + "/"
					+ counter.getId().getTag("decision"));
		}
		assertThat(counted).containsExactlyInAnyOrderElementsOf(row.counted());
	}

	private static MockServerWebExchange exchange(Request request) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest
			.method(org.springframework.http.HttpMethod.valueOf(request.method()), request.path())
			.header("Host", request.host())
			.remoteAddress(new InetSocketAddress("127.0.0.1", 40000)));
		exchange.getAttributes().put(ExchangeAttributes.CLIENT_ADDRESS, new InetSocketAddress(request.client(), 40000));
		exchange.getAttributes()
			.put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR,
					Route.async().id(request.route()).uri(URI.create("http://upstream")).predicate(e -> true).build());
		if (request.peer() != null) {
			Identity.set(exchange, Identity.ANONYMOUS.withPeer(PeerIdentity.of(List.of(request.peer()), List.of(), null, null)));
		}
		return exchange;
	}

	private static String policyIn(String body) {
		int at = body.indexOf("\"policy\":\"");
		return at < 0 ? "(no policy in " + body + ")" : body.substring(at + 10, body.indexOf('"', at + 10));
	}

}
