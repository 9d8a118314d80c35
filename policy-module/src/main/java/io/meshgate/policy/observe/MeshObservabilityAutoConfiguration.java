package io.meshgate.policy.observe;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * What Meshgate records about the requests it routes: {@code meshgate.requests} per route,
 * backend, upstream and status class, each route's traffic over the last minutes, one access-log
 * line per request ({@code meshgate.access-log.enabled}), and, with Micrometer Tracing, a
 * shadow span for each mirrored copy. All of it hangs off WebFlux's server observation, so it
 * needs an {@code ObservationRegistry} (Spring Boot's actuator provides one).
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration" })
public class MeshObservabilityAutoConfiguration {

	/** {@code meshgate.access-log.enabled}: one JSON line per request on logger {@code meshgate.access}. */
	public static final String ACCESS_LOG_ENABLED = "meshgate.access-log.enabled";

	@Bean
	TrafficCounting meshTrafficCounting() {
		return new TrafficCounting();
	}

	@Bean
	RouteTrafficWindows routeTrafficWindows() {
		return new RouteTrafficWindows(Clock.systemUTC());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = ACCESS_LOG_ENABLED, havingValue = "true")
	AccessLog meshAccessLog(ObjectProvider<MeterRegistry> meters) {
		return new AccessLog(meters(meters));
	}

	@Bean
	MeshRequestObservationHandler meshRequestObservationHandler(ObjectProvider<MeterRegistry> meters,
			RouteTrafficWindows windows, ObjectProvider<AccessLog> accessLog, ObjectProvider<TraceIds> traceIds) {
		return new MeshRequestObservationHandler(new RequestMetrics(meters(meters)), windows,
				accessLog.getIfAvailable(), traceIds.getIfAvailable(() -> TraceIds.NONE), Clock.systemUTC());
	}

	private static MeterRegistry meters(ObjectProvider<MeterRegistry> meters) {
		return meters.getIfUnique(() -> Metrics.globalRegistry);
	}

	/** With Micrometer Tracing: trace ids in the access log, shadow spans for mirrored copies. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Tracer.class)
	static class TracingConfiguration {

		@Bean
		@ConditionalOnBean(Tracer.class)
		TraceIds tracingTraceIds() {
			return new TracingTraceIds();
		}

		/** Ahead of Micrometer's generic sender handler, as Spring Cloud Gateway's own is. */
		@Bean
		@ConditionalOnBean({ Tracer.class, Propagator.class })
		@Order(Ordered.HIGHEST_PRECEDENCE + 5)
		ShadowSenderTracingObservationHandler shadowSenderTracingObservationHandler(Tracer tracer,
				Propagator propagator) {
			return new ShadowSenderTracingObservationHandler(tracer, propagator);
		}

	}

}
