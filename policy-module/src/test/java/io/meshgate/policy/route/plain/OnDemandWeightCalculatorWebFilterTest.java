package io.meshgate.policy.route.plain;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.cloud.gateway.event.PredicateArgsEvent;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.WEIGHT_ATTR;

/**
 * The Weight filter does nothing per request until a route declares a group; then it draws from
 * the given generator (always 0.0 here: the first route of the group).
 */
class OnDemandWeightCalculatorWebFilterTest {

	private final OnDemandWeightCalculatorWebFilter filter = new OnDemandWeightCalculatorWebFilter(
			new DefaultListableBeanFactory().getBeanProvider(RouteLocator.class),
			new ConfigurationService(new DefaultListableBeanFactory(), () -> null, () -> null), () -> 0L);

	@Test
	void withoutGroupsNoWeightsAreDrawn() {
		assertThat(weightsAfterFilter()).isNull();
	}

	@Test
	void aWeightPredicatesArgumentsSwitchTheDrawsOn() {
		filter.onApplicationEvent(new PredicateArgsEvent(this, "high", Map.of("weight.group", "g", "weight.weight", "8")));
		filter.onApplicationEvent(new PredicateArgsEvent(this, "low", Map.of("weight.group", "g", "weight.weight", "2")));

		assertThat(weightsAfterFilter()).isEqualTo(Map.of("g", "high"));
	}

	@Test
	void otherPredicatesArgumentsLeaveThemOff() {
		filter.onApplicationEvent(new PredicateArgsEvent(this, "path", Map.of("patterns", "/a/**")));

		assertThat(weightsAfterFilter()).isNull();
	}

	private Object weightsAfterFilter() {
		ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
		AtomicReference<Object> weights = new AtomicReference<>();
		filter.filter(exchange, chained -> {
			weights.set(chained.getAttributes().get(WEIGHT_ATTR));
			return Mono.empty();
		}).block();
		return weights.get();
	}

}
