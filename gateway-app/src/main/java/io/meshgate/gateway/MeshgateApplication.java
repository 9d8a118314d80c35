package io.meshgate.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import io.meshgate.gateway.https.ClientRenegotiation;

/**
 * The Meshgate ingress: Spring Cloud Gateway with Meshgate's policies, admin UI and route store.
 * Spring Boot's own web security is left out on purpose: it would guard the ingress port. The
 * admin port brings its own (admin-ui's {@code AdminSecurityConfiguration}, in the management
 * child context). The other exclusions are auto-configurations that come with the starters but
 * serve nothing Meshgate offers; leaving them out takes ~7% off the CPU time of a start.
 */
@SpringBootApplication(excludeName = {
		"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
		// resilience4j beyond the circuit breaker (retries and rate limits are Meshgate's own)
		"io.github.resilience4j.springboot3.bulkhead.autoconfigure.BulkheadMetricsAutoConfiguration",
		"io.github.resilience4j.springboot3.bulkhead.autoconfigure.ThreadPoolBulkheadMetricsAutoConfiguration",
		"io.github.resilience4j.springboot3.retry.autoconfigure.RetryAutoConfiguration",
		"io.github.resilience4j.springboot3.retry.autoconfigure.RetryMetricsAutoConfiguration",
		"io.github.resilience4j.springboot3.ratelimiter.autoconfigure.RateLimiterAutoConfiguration",
		"io.github.resilience4j.springboot3.ratelimiter.autoconfigure.RateLimiterMetricsAutoConfiguration",
		"io.github.resilience4j.springboot3.ratelimiter.autoconfigure.RateLimitersHealthIndicatorAutoConfiguration",
		"io.github.resilience4j.springboot3.timelimiter.autoconfigure.TimeLimiterMetricsAutoConfiguration",
		"io.github.resilience4j.springboot3.micrometer.autoconfigure.TimerAutoConfiguration",
		"io.github.resilience4j.springboot3.scheduled.threadpool.autoconfigure.ContextAwareScheduledThreadPoolAutoConfiguration",
		// blocking HTTP clients, caches, service registration, discovery routes: not used
		"org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration",
		"org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
		"org.springframework.boot.restclient.autoconfigure.RestClientObservationAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.metrics.HttpClientMetricsAutoConfiguration",
		"org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration",
		"org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration",
		"org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration",
		"org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration",
		"org.springframework.cloud.gateway.discovery.GatewayDiscoveryClientAutoConfiguration",
		"org.springframework.cloud.gateway.config.LocalResponseCacheAutoConfiguration",
		"org.springframework.cloud.gateway.config.GatewayClassPathWarningAutoConfiguration",
		"org.springframework.cloud.configuration.CompatibilityVerifierAutoConfiguration",
		// Spring Cloud's refresh scope and environment endpoints: routes change through the admin API
		"org.springframework.cloud.autoconfigure.RefreshAutoConfiguration",
		"org.springframework.cloud.autoconfigure.RefreshEndpointAutoConfiguration",
		"org.springframework.cloud.autoconfigure.LifecycleMvcEndpointAutoConfiguration",
		"org.springframework.cloud.autoconfigure.WritableEnvironmentEndpointAutoConfiguration",
		// log export over OTLP, scheduled-task observations and disk-space health: not offered
		"org.springframework.boot.opentelemetry.autoconfigure.logging.otlp.OtlpLoggingAutoConfiguration",
		"org.springframework.boot.opentelemetry.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ScheduledTasksObservationAutoConfiguration",
		"org.springframework.boot.health.autoconfigure.application.DiskSpaceHealthContributorAutoConfiguration",
		// Jackson 2 for actuator endpoints (deprecated; they use Jackson 3). Jackson 2 is on the
		// classpath only for the Kubernetes client; this mapper alone loaded ~450 of its classes.
		"org.springframework.boot.actuate.autoconfigure.endpoint.jackson.Jackson2EndpointAutoConfiguration" })
public class MeshgateApplication {

	static {
		// before any TLS server of this JVM handshakes: here, not in main, so that tests and
		// embedders that load this class without calling main get it too
		ClientRenegotiation.refuse();
	}

	public static void main(String[] args) {
		EventLoops.onePerCpu(System.getProperties(), Runtime.getRuntime().availableProcessors());
		SpringApplication.run(MeshgateApplication.class, args);
	}

}
