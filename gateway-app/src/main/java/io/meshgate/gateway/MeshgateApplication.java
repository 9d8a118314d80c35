package io.meshgate.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Meshgate ingress: Spring Cloud Gateway with Meshgate's policies, admin UI and route store.
 * Spring Boot's own web security is left out on purpose: it would guard the ingress port. The
 * admin port brings its own (admin-ui's {@code AdminSecurityConfiguration}, in the management
 * child context).
 */
@SpringBootApplication(excludeName = {
		"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration" })
public class MeshgateApplication {

	public static void main(String[] args) {
		SpringApplication.run(MeshgateApplication.class, args);
	}

}
