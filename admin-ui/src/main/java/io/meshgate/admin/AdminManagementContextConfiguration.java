package io.meshgate.admin;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.meshgate.admin.api.AdminApi;
import io.meshgate.admin.api.AdminService;
import io.meshgate.admin.api.GatewayActuatorWriteGuard;
import io.meshgate.admin.rollout.RolloutActions;
import io.meshgate.admin.security.AdminProperties;
import io.meshgate.admin.security.AdminSecurityConfiguration;
import io.meshgate.admin.traffic.LiveTraffic;
import io.meshgate.admin.traffic.TrafficApi;
import io.meshgate.admin.traffic.TrafficHistory;
import io.meshgate.admin.ui.LoginPage;
import io.meshgate.policy.mirror.MirrorComparisons;
import io.meshgate.policy.route.RouteProbe;
import io.meshgate.policy.upstream.UpstreamRegistry;

/**
 * The admin API ({@code /api}) and web UI ({@code /}) on the admin port: contributed to the
 * management child context, so they are never served on the ingress port. Needs
 * {@code management.server.port} to differ from {@code server.port}, and an
 * {@link AdminService} in the application context.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@EnableConfigurationProperties(AdminProperties.class)
@Import(AdminSecurityConfiguration.class)
public class AdminManagementContextConfiguration {

	private static final ClassPathResource UI = new ClassPathResource("META-INF/meshgate-admin/");

	private static final MediaType FAVICON_TYPE = MediaType.parseMediaType("image/svg+xml");

	@Bean
	RouterFunction<ServerResponse> meshgateAdminApi(AdminService admin, ObjectProvider<UpstreamRegistry> registry,
			RouteProbe probe, ObjectProvider<RolloutActions> rollouts) {
		return new AdminApi(admin, registry.getIfAvailable(), probe, rollouts.getIfAvailable()).routes();
	}

	/**
	 * The last 15 minutes of traffic, sampled every 10 s from the admin context's start to its close,
	 * on Reactor's parallel scheduler (a bounded walk over in-memory meters, never blocking).
	 */
	@Bean(destroyMethod = "close")
	TrafficHistory meshgateTrafficHistory(ObjectProvider<MeterRegistry> meters,
			ObjectProvider<UpstreamRegistry> registry, AdminService admin) {
		return new TrafficHistory(meters.getIfAvailable(), registry.getIfAvailable(), () -> admin.snapshot().running(),
				Clock.systemUTC(), System::nanoTime)
			.start(Schedulers.parallel());
	}

	/**
	 * {@code /api/traffic}, its history and map: rates, errors, latency and health from the gateway's
	 * meters, for the UI; and what the routes' mirror comparisons found.
	 */
	@Bean
	RouterFunction<ServerResponse> meshgateTrafficApi(ObjectProvider<MeterRegistry> meters,
			ObjectProvider<UpstreamRegistry> registry, TrafficHistory history, AdminService admin,
			ObjectProvider<MirrorComparisons> comparisons) {
		LiveTraffic live = new LiveTraffic(meters.getIfAvailable(), registry.getIfAvailable(), System::nanoTime);
		return new TrafficApi(live, history, comparisons.getIfAvailable(), () -> admin.snapshot().running()).routes();
	}

	/**
	 * No keep-alive on the admin port: Reactor Netty 1.3.6/1.3.7 can stop reading a keep-alive
	 * connection after a request that arrived while the previous one was still finishing
	 * (reactor/reactor-netty#4361, fixed by #4347); browsers and scripts then hang until their
	 * timeout. The admin port serves few requests, so a connection each costs nothing.
	 */
	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> adminPortWithoutKeepAlive() {
		return factory -> factory.addServerCustomizers(server -> server.maxKeepAliveRequests(1));
	}

	/**
	 * {@code meshgate.admin.max-body-size} (default 4 MB, about 40,000 routes): the largest body
	 * the admin API reads; larger ones are answered 413. The management context does not apply
	 * {@code spring.codec.*}, whose 256 KB default would refuse a configuration of 2,500 routes.
	 */
	@Bean
	WebFluxConfigurer adminBodyLimit(Environment environment) {
		DataSize limit = Binder.get(environment)
			.bind("meshgate.admin.max-body-size", DataSize.class)
			.orElse(DataSize.ofMegabytes(4));
		return new WebFluxConfigurer() {
			@Override
			public void configureHttpMessageCodecs(ServerCodecConfigurer codecs) {
				codecs.defaultCodecs().maxInMemorySize((int) limit.toBytes());
			}
		};
	}

	@Bean
	GatewayActuatorWriteGuard gatewayActuatorWriteGuard() {
		return new GatewayActuatorWriteGuard();
	}

	@Bean
	RouterFunction<ServerResponse> meshgateAdminUi() {
		return RouterFunctions.route()
			.GET("/login", LoginPage::render)
			.GET("/", request -> ServerResponse.ok()
				.contentType(MediaType.TEXT_HTML)
				.header("Cache-Control", "no-store")
				.bodyValue(new ClassPathResource("META-INF/meshgate-admin/index.html")))
			// what browsers ask for before they read the page's icon link
			.GET("/favicon.ico", request -> ServerResponse.ok()
				.contentType(FAVICON_TYPE)
				.header("Cache-Control", "max-age=86400")
				.bodyValue(new ClassPathResource("META-INF/meshgate-admin/favicon.svg")))
			.build()
			.and(RouterFunctions.resources("/ui/**", UI));
	}

}
