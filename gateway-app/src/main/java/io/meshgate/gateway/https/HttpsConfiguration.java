package io.meshgate.gateway.https;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.server.reactive.HttpHandler;

import io.meshgate.gateway.listeners.IngressLikeFactory;
import io.meshgate.gateway.listeners.ListenerProperties;
import io.meshgate.policy.l4.proxy.L4Proxy;
import io.meshgate.policy.route.ListenerPorts;
import io.meshgate.policy.upstream.GatewayPorts;

/**
 * The HTTPS listener's certificates ({@link HttpsCertificates}, always present so that sources can
 * feed it whether or not the listener runs) and, with {@code meshgate.https.port}, the listener.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpsProperties.class)
public class HttpsConfiguration {

	private static final Log log = LogFactory.getLog(HttpsConfiguration.class);

	@Bean
	HttpsCertificates httpsCertificates(HttpsProperties properties, ObjectProvider<MeterRegistry> meters) {
		HttpsCertificates certificates = new HttpsCertificates(Clock.systemUTC(), properties.tls(),
				new ClientCertificateMetrics(meters.getIfAvailable()));
		meters.ifAvailable(registry -> HttpsCertificateMetrics.bind(certificates, registry, Clock.systemUTC()));
		certificates.configure(properties.clientCertificate(), properties.hosts());
		return certificates;
	}

	/** With the listener: its own requirements' CA files, checked for changes. */
	@Bean
	@ConditionalOnProperty("meshgate.https.port")
	CaFileReloader httpsCaFileReloader(HttpsProperties properties, HttpsCertificates certificates,
			Environment environment) {
		Duration interval = environment.getProperty("meshgate.tls.reload-check-interval", Duration.class,
				Duration.ofSeconds(5));
		return new CaFileReloader(certificates, interval);
	}

	/** The ingress port's own TLS ({@code server.ssl.*}) with the listener's default versions and suites. */
	@Bean
	IngressTlsProfile ingressTlsProfile() {
		return new IngressTlsProfile();
	}

	@Bean
	@ConditionalOnProperty("meshgate.https.port")
	HttpsListener httpsListener(HttpsProperties properties, HttpsCertificates certificates, ServerProperties server,
			SslBundles bundles, ListableBeanFactory beans, ObjectProvider<ReactorResourceFactory> resources,
			ObjectProvider<NettyServerCustomizer> serverCustomizers, ObjectProvider<NettyRouteProvider> routes,
			ObjectProvider<HttpHandler> handler, GatewayPorts gatewayPorts, ListenerPorts listenerPorts,
			ListenerProperties listeners, ObjectProvider<L4Proxy> l4) {
		if (properties.port() == null) {
			throw new IllegalArgumentException(
					"meshgate.https.port: '' (expected: a port number 0-65535; leave it unset for no HTTPS listener)");
		}
		if (properties.bundle() != null) {
			String name = properties.bundle();
			certificates.bundle(LoadedCertificate.fromBundle(name, bundles.getBundle(name), certificates.tls()));
			bundles.addBundleUpdateHandler(name, updated -> reload(certificates, name, updated));
		}
		NettyReactiveWebServerFactory factory = IngressLikeFactory.create(beans, resources, serverCustomizers, routes);
		factory.setPort(properties.port());
		factory.setSsl(null);
		factory.addServerCustomizers(new SniServerCustomizer(certificates, server.getMaxHttpRequestHeaderSize(),
				l4.getIfAvailable()));
		gatewayPorts.reserve(properties.port());
		return new HttpsListener(factory, handler::getObject, port -> {
			gatewayPorts.reserve(port);
			listenerPorts.register(port, listeners.httpsPort());
			certificates.listening(port);
		});
	}

	/** A renewal that cannot be used leaves the previous certificate in service. */
	private static void reload(HttpsCertificates certificates, String name, SslBundle updated) {
		try {
			certificates.bundle(LoadedCertificate.fromBundle(name, updated, certificates.tls()));
			log.info("meshgate.https.bundle " + name + " reloaded");
		}
		catch (RuntimeException ex) {
			log.warn("meshgate.https.bundle " + name + " not reloaded, the previous certificate stays in use: " + ex.getMessage());
		}
	}

}
