package io.meshgate.admin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.meshgate.admin.api.AdminApi;
import io.meshgate.admin.api.AdminService;
import io.meshgate.admin.api.GatewayActuatorWriteGuard;
import io.meshgate.admin.security.AdminProperties;
import io.meshgate.admin.security.AdminSecurityConfiguration;
import io.meshgate.admin.ui.LoginPage;
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

	@Bean
	RouterFunction<ServerResponse> meshgateAdminApi(AdminService admin, ObjectProvider<UpstreamRegistry> registry) {
		return new AdminApi(admin, registry.getIfAvailable()).routes();
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
			.build()
			.and(RouterFunctions.resources("/ui/**", UI));
	}

}
