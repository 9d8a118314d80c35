package io.meshgate.policy.upstream.call;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ORIGINAL_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

/** The upstream call filter: endpoint pick and attributes for Meshgate upstreams, ahead of Spring Cloud LoadBalancer. */
class UpstreamCallFilterTest extends GatewayTest {

	@Autowired
	UpstreamCallFilter filter;

	@Test
	void resolvesAMeshgateUpstreamToAnEndpointKeepingPathAndQuery() {
		TestUpstream upstream = start("up");
		routing.apply(new MeshConfig(List.of(Upstream.of("up", upstream.url())), List.of()));

		ServerWebExchange routed = run("lb://up");

		assertThat((URI) routed.getAttribute(GATEWAY_REQUEST_URL_ATTR))
			.isEqualTo(URI.create(upstream.url() + "/orders/1?expand=true&q=a%20b"));
		Response<ServiceInstance> chosen = routed.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		assertThat(chosen.getServer().getPort()).isEqualTo(upstream.port());
		assertThat(routed.getAttributes().get(GATEWAY_ORIGINAL_REQUEST_URL_ATTR).toString()).contains("lb://up");
		// one object for the routing filter and for whatever reads the load balancer's response
		UpstreamCall call = UpstreamCall.of(routed);
		assertThat(call.upstream().name()).isEqualTo("up");
		assertThat(call.endpoint()).isSameAs(chosen.getServer());
		assertThat((Object) routed.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR)).isSameAs(call);
	}

	@Test
	void avoidsEndpointsARetryAlreadyTried() {
		TestUpstream a = start("a");
		TestUpstream b = start("b");
		routing.apply(new MeshConfig(List.of(Upstream.of("up", a.url(), b.url())), List.of()));
		for (int i = 0; i < 10; i++) {
			ServerWebExchange routed = run("lb://up", Set.of(a.host() + ":" + a.port()));
			assertThat(((URI) routed.getAttribute(GATEWAY_REQUEST_URL_ATTR)).getPort()).isEqualTo(b.port());
		}
	}

	@Test
	void leavesOtherServiceIdsToSpringCloudLoadBalancer() {
		ServerWebExchange routed = run("lb://not-an-upstream");

		assertThat((URI) routed.getAttribute(GATEWAY_REQUEST_URL_ATTR)).isEqualTo(URI.create("lb://not-an-upstream"));
		assertThat((Object) routed.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR)).isNull();
		assertThat(UpstreamCall.of(routed)).isNull();
	}

	@Test
	void theEndpointUrlKeepsTheEncodedPathAndQueryAndBracketsIpv6() {
		UpstreamEndpoint v6 = new UpstreamEndpoint("up", URI.create("https://[::1]"), 1, Map.of());
		UpstreamEndpoint v4 = new UpstreamEndpoint("up", URI.create("http://10.0.0.7:9000"), 1, Map.of());

		assertThat(UpstreamCallFilter.endpointUrl(v6, URI.create("http://gw/a%2Fb/%C3%A9?x=%20&y")))
			.isEqualTo(URI.create("https://[::1]:443/a%2Fb/%C3%A9?x=%20&y"));
		assertThat(UpstreamCallFilter.endpointUrl(v4, URI.create("http://gw"))).isEqualTo(URI.create("http://10.0.0.7:9000"));
	}

	private ServerWebExchange run(String url) {
		return run(url, null);
	}

	private ServerWebExchange run(String url, Set<String> tried) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.method(HttpMethod.GET, URI.create("http://gateway:8080/orders/1?expand=true&q=a%20b")));
		exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, URI.create(url));
		if (tried != null) {
			exchange.getAttributes().put(ExchangeAttributes.TRIED_ENDPOINTS, tried);
		}
		AtomicReference<ServerWebExchange> passed = new AtomicReference<>();
		GatewayFilterChain chain = e -> {
			passed.set(e);
			return Mono.empty();
		};
		filter.filter(exchange, chain).block();
		return passed.get();
	}

}
