package io.meshgate.policy.edge;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;

/** The ingress connection bounds: {@code meshgate.ingress.*} ({@link IngressProperties}). */
@AutoConfiguration
@EnableConfigurationProperties(IngressProperties.class)
public class IngressEdgeAutoConfiguration {

	@Bean
	IngressFailures ingressFailures(ObjectProvider<MeterRegistry> meters) {
		return new IngressFailures(meters.getIfAvailable(() -> Metrics.globalRegistry));
	}

	@Bean
	@ConditionalOnClass(NettyReactiveWebServerFactory.class)
	IngressConnections ingressConnections(IngressProperties ingress, IngressFailures failures, KeepAliveDrain drain) {
		return new IngressConnections(ingress, failures, drain);
	}

	@Bean
	@ConditionalOnClass(NettyReactiveWebServerFactory.class)
	KeepAliveDrain keepAliveDrain() {
		return new KeepAliveDrain();
	}

}
