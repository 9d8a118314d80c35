package io.meshgate.gateway.listeners;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.server.reactive.HttpHandler;

import io.meshgate.policy.route.ListenerPorts;
import io.meshgate.policy.upstream.GatewayPorts;

/** The listener ports ({@link ListenerProperties}): which port each server stands for, and the further servers. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ListenerProperties.class)
public class ListenersConfiguration {

	/** The ingress server stands for {@code meshgate.listeners.http-port} (the management server for none). */
	@Bean
	ApplicationListener<WebServerInitializedEvent> ingressListenerPort(ListenerPorts listenerPorts,
			ListenerProperties properties) {
		return event -> {
			if (event.getApplicationContext().getServerNamespace() == null) {
				listenerPorts.registerIngress(event.getWebServer().getPort(), properties.httpPort());
			}
		};
	}

	@Bean
	ListenerServers listenerServers(ListenerProperties properties, ListableBeanFactory beans,
			ObjectProvider<ReactorResourceFactory> resources, ObjectProvider<NettyServerCustomizer> serverCustomizers,
			ObjectProvider<NettyRouteProvider> routes, ObjectProvider<HttpHandler> handler, ListenerPorts listenerPorts,
			GatewayPorts gatewayPorts) {
		return new ListenerServers(properties.ports(),
				() -> IngressLikeFactory.create(beans, resources, serverCustomizers, routes), handler::getObject,
				listenerPorts, gatewayPorts);
	}

}
