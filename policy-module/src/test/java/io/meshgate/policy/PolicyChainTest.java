package io.meshgate.policy;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.assertj.core.api.ListAssert;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.core.DecoratingProxy;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.server.WebFilter;

import io.meshgate.policy.breaker.CircuitBreakerPolicy;
import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.edge.EdgeFilter;
import io.meshgate.policy.edge.EdgeWebFilter;
import io.meshgate.policy.fault.FaultPolicy;
import io.meshgate.policy.lb.LoadBalancerPolicy;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.observe.RequestRecordFilter;
import io.meshgate.policy.outlier.OutlierDetectionPolicy;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.policy.rewrite.HeaderModifier;
import io.meshgate.policy.rewrite.RedirectPolicy;
import io.meshgate.policy.rewrite.RewritePolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.security.authz.AuthorizationPolicy;
import io.meshgate.policy.security.extauthz.ExtAuthzPolicy;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one chain a request runs through, global filters and route filters sorted together as the
 * gateway sorts them ({@link FilteringWebHandler}), for a route with every policy on: the order
 * {@link PolicyOrder} documents, whatever order the filters were listed in.
 */
class PolicyChainTest extends GatewayTest {

	@Autowired
	FilteringWebHandler handler;

	@Autowired
	RouteLocator routes;

	@Autowired
	List<WebFilter> webFilters;

	@Autowired
	List<EdgeFilter> edgeSteps;

	/**
	 * The edge runs as one web filter, ahead of every other that reads the request (only the
	 * request's record joins its exchange before it): its steps are never web filters of their own
	 * as well.
	 */
	@Test
	void theEdgeIsOneWebFilterAheadOfTheOthersAndItsStepsAreNotWebFilters() {
		assertThat(webFilters).filteredOn(EdgeWebFilter.class::isInstance).hasSize(1);
		assertThat(webFilters).noneMatch(EdgeFilter.class::isInstance);
		assertThat(edgeSteps).extracting(step -> step.getClass().getSimpleName())
			.contains("ClientRequestFilter", "PathNormalizationFilter", "PeerIdentityFilter", "TokenEdgeFilter");
		assertThat(webFilters.stream().sorted(AnnotationAwareOrderComparator.INSTANCE).limit(2))
			.hasExactlyElementsOfTypes(RequestRecordFilter.class, EdgeWebFilter.class);
	}

	@Test
	void aRouteWithEveryPolicyRunsThemInPolicyOrder() {
		TestUpstream stable = start("stable");
		TestUpstream canary = start("canary");
		TestUpstream shadow = start("shadow");
		Upstream guarded = Upstream.of("stable", stable.url())
			.withLoadBalancer(LoadBalancerPolicy.of(LoadBalancerPolicy.Type.LEAST_REQUEST))
			.withCircuitBreaker(CircuitBreakerPolicy.defaults())
			.withOutlierDetection(OutlierDetectionPolicy.defaults());
		// an authorization policy that targets the route (and allows every request): the
		// authorization filter is in the chains of the routes a policy may apply to only
		AuthorizationPolicy everyone = new AuthorizationPolicy("everyone", AuthorizationPolicy.Action.ALLOW, null,
				new AuthorizationPolicy.Targets(List.of("everything"), null),
				List.of(new AuthorizationPolicy.Rule(null, new AuthorizationPolicy.Operation(null, null, null, null, null,
						null, List.of("*"), null), null)));
		List<Upstream> upstreams = List.of(guarded, Upstream.of("canary", canary.url()),
				Upstream.of("shadow", shadow.url()));
		routing.apply(new MeshConfig(upstreams,
				List.of(io.meshgate.policy.route.Route
					.of("everything", "/every/**", Backend.of("stable", 100), Backend.of("canary", 0))
					.withCanary(CanaryPolicy.DEFAULT)
					.withMirrors(MirrorPolicy.of("shadow", 100))
					.withRetries(RetryPolicy.attempts(1))
					.withTimeout(Duration.ofSeconds(5))
					.withFault(new FaultPolicy(new FaultPolicy.Delay(100.0, Duration.ofMillis(1)), null))
					.withRateLimit(RateLimitPolicy.perSecond(1000))
					.withRequestHeaders(HeaderModifier.set("x-request", "on"))
					.withResponseHeaders(HeaderModifier.set("x-response", "on"))
					.withRewrite(RewritePolicy.hostname("stable.internal"))),
				List.of(), List.of(), List.of(everyone)));

		chain("everything").containsExactly(
				"RemoveCachedBodyFilter",
				"AdaptCachedBodyGlobalFilter",
				"GrpcCallFilter",
				"AuthorizationFilter",
				"SmallResponseFilter",
				"NettyWriteResponseFilter",
				"ForwardPathFilter",
				"LocalRateLimitGatewayFilterFactory",
				"FaultGatewayFilterFactory",
				"RouteTimeoutGatewayFilterFactory",
				"ResponseHeaderModifierGatewayFilterFactory",
				"RequestHeaderModifierGatewayFilterFactory",
				"UrlRewriteGatewayFilterFactory",
				"RequestMirrorGatewayFilterFactory",
				"RouteToRequestUrlFilter",
				"CanaryGatewayFilterFactory",
				"BudgetedRetryGatewayFilterFactory",
				"UpstreamCallFilter",
				"ReactiveLoadBalancerClientFilter",
				"LoadBalancerServiceInstanceCookieFilter",
				"WebSocketProxyFilter",
				"ForwardRoutingFilter",
				"UpstreamRoutingFilter");

		HttpResponse<String> response = client.get("/every/thing");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("stable");
		assertThat(response.headers().firstValue("x-response")).hasValue("on");
		assertThat(stable.received().get(0).headers()).containsEntry("x-request", "on");
	}

	@Test
	void aRedirectAnswersBeforeTheRequestIsChanged() {
		apply(List.of(), io.meshgate.policy.route.Route.redirect("moved", RouteMatch.path("/old/**"),
				RedirectPolicy.toPath("/new", 301))
			.withResponseHeaders(HeaderModifier.set("x-response", "on"))
			.withRequestHeaders(HeaderModifier.set("x-request", "on")));

		chain("moved").containsSubsequence("ResponseHeaderModifierGatewayFilterFactory",
				"RequestRedirectGatewayFilterFactory", "RequestHeaderModifierGatewayFilterFactory", "UpstreamCallFilter");
	}

	@Test
	void externalAuthorizationRunsBeforeRateLimitAndFaults() {
		TestUpstream stable = start("stable");
		apply(List.of(Upstream.of("stable", stable.url())),
				io.meshgate.policy.route.Route.of("checked", "/checked/**", Backend.of("stable", 1))
					.withFault(new FaultPolicy(new FaultPolicy.Delay(100.0, Duration.ofMillis(1)), null))
					.withRateLimit(RateLimitPolicy.perSecond(1000))
					.withExtAuthz(ExtAuthzPolicy.of(URI.create("http://127.0.0.1:9/check"))));

		chain("checked").containsSubsequence("ExtAuthzGatewayFilterFactory", "LocalRateLimitGatewayFilterFactory",
				"FaultGatewayFilterFactory", "UpstreamCallFilter");
	}

	/**
	 * The names of the route's combined chain, as the gateway builds and sorts it for a request
	 * (its protected {@code getCombinedFilters}), each with its order in the assertion's description.
	 */
	private ListAssert<String> chain(String routeId) {
		Route route = routes.getRoutes().filter(r -> r.getId().equals(routeId)).blockFirst();
		List<GatewayFilter> filters = ReflectionTestUtils.invokeMethod(handler, "getCombinedFilters", route);
		return assertThat(filters.stream().map(PolicyChainTest::name).toList())
			.as("chain %s", filters.stream().map(f -> name(f) + "@" + ((Ordered) f).getOrder()).toList());
	}

	/** A global filter's class, or the filter factory (or filter) class a route filter comes from. */
	private static String name(GatewayFilter filter) {
		Object inner = filter instanceof OrderedGatewayFilter ordered ? ordered.getDelegate() : filter;
		Class<?> type = inner instanceof DecoratingProxy proxy ? proxy.getDecoratedClass() : inner.getClass();
		while (type.getEnclosingClass() != null) {
			type = type.getEnclosingClass();
		}
		String name = type.getSimpleName();
		return name.contains("$$") ? name.substring(0, name.indexOf("$$")) : name;
	}

}
