package io.meshgate.policy.observe;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.PolicyOrder;

/**
 * First of the web filters: joins the request's {@link RequestRecord}, made before WebFlux made the
 * exchange, to the exchange. The record then reads the exchange's attributes when the request ends,
 * and the filters that need the server span (the upstream's trace headers, the mirror's shadow
 * spans) find the record in {@link ExchangeAttributes#REQUEST_RECORD}.
 */
public final class RequestRecordFilter implements WebFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		RequestRecord record = RequestRecording.of(exchange.getResponse());
		if (record != null) {
			record.attach(exchange.getAttributes());
			exchange.getAttributes().put(ExchangeAttributes.REQUEST_RECORD, record);
		}
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return PolicyOrder.REQUEST_RECORD;
	}

}
