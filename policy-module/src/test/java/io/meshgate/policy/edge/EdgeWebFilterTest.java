package io.meshgate.policy.edge;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeWebFilterTest {

	private final List<String> ran = new ArrayList<>();

	/** A step that records itself and passes the exchange on with a header of its own. */
	private EdgeFilter step(String name, int order) {
		return new EdgeFilter() {
			@Override
			public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
				ran.add(name);
				ServerWebExchange marked = exchange.mutate()
					.request(request -> request.headers(headers -> headers.add("x-step", name)))
					.build();
				return chain.filter(marked);
			}

			@Override
			public int getOrder() {
				return order;
			}
		};
	}

	@Test
	void stepsRunInTheirOrderEachPassingItsExchangeToTheNextThenTheRestOfTheChain() {
		EdgeWebFilter edge = new EdgeWebFilter(List.of(step("tokens", 200), step("client", 10), step("path", 100)));
		List<String> seenByRest = new ArrayList<>();

		edge.filter(MockServerWebExchange.from(MockServerHttpRequest.get("/")), exchange -> {
			seenByRest.addAll(exchange.getRequest().getHeaders().get("x-step"));
			return Mono.empty();
		}).block();

		assertThat(ran).containsExactly("client", "path", "tokens");
		assertThat(seenByRest).containsExactly("client", "path", "tokens");
	}

	@Test
	void aStepThatAnswersEndsTheRequestBeforeTheLaterStepsAndTheRest() {
		EdgeFilter refuse = new EdgeFilter() {
			@Override
			public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
				ran.add("refuse");
				exchange.getResponse().setStatusCode(HttpStatus.BAD_REQUEST);
				return exchange.getResponse().setComplete();
			}

			@Override
			public int getOrder() {
				return 50;
			}
		};
		EdgeWebFilter edge = new EdgeWebFilter(List.of(step("client", 10), refuse, step("tokens", 200)));
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));

		edge.filter(exchange, e -> {
			ran.add("rest");
			return Mono.empty();
		}).block();

		assertThat(ran).containsExactly("client", "refuse");
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void withoutStepsTheRestRunsAlone() {
		new EdgeWebFilter(List.of()).filter(MockServerWebExchange.from(MockServerHttpRequest.get("/")), e -> {
			ran.add("rest");
			return Mono.empty();
		}).block();

		assertThat(ran).containsExactly("rest");
	}

}
