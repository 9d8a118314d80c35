package io.meshgate.gateway.listeners;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.util.LambdaSafe;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Server factories set up as Spring Boot sets up the ingress port's: the same resources, Netty
 * customizers, route providers and {@code server.*} customizers (idle timeout, header size,
 * forwarded headers, graceful shutdown, …), so that the HTTPS listener and the further listener
 * ports cannot drift apart from the ingress port.
 */
public final class IngressLikeFactory {

	private IngressLikeFactory() {
	}

	/** A new factory, without a port or TLS of its own yet (the caller sets them). */
	@SuppressWarnings("unchecked")
	public static NettyReactiveWebServerFactory create(ListableBeanFactory beans,
			ObjectProvider<ReactorResourceFactory> resources, ObjectProvider<NettyServerCustomizer> serverCustomizers,
			ObjectProvider<NettyRouteProvider> routes) {
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();
		resources.ifAvailable(factory::setResourceFactory);
		routes.orderedStream().forEach(factory::addRouteProviders);
		factory.getServerCustomizers().addAll(serverCustomizers.orderedStream().toList());
		List<WebServerFactoryCustomizer<?>> customizers = new ArrayList<>();
		beans.getBeansOfType(WebServerFactoryCustomizer.class, false, false).values().forEach(customizers::add);
		customizers.sort(AnnotationAwareOrderComparator.INSTANCE);
		LambdaSafe.callbacks(WebServerFactoryCustomizer.class, customizers, factory)
			.withLogger(IngressLikeFactory.class)
			.invoke(customizer -> customizer.customize(factory));
		return factory;
	}

}
