package io.meshgate.policy.mirror;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.PolicyOrder;

/**
 * On a route with a comparing mirror only: wraps the response in a {@link PrimaryCapture} outside
 * the gateway's response writer ({@link PolicyOrder#MIRROR_CAPTURE}), for the mirror filter to arm
 * when it sends a copy. Unarmed, the capture passes every write through untouched.
 */
public class MirrorResponseCaptureGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

	public MirrorResponseCaptureGatewayFilterFactory() {
		super(Object.class);
	}

	@Override
	public GatewayFilter apply(Object config) {
		return new OrderedGatewayFilter((exchange, chain) -> {
			PrimaryCapture capture = new PrimaryCapture(exchange.getResponse());
			exchange.getAttributes().put(ExchangeAttributes.MIRROR_CAPTURE, capture);
			return chain.filter(exchange.mutate().response(capture).build());
		}, PolicyOrder.MIRROR_CAPTURE);
	}

}
