package io.meshgate.policy.observe;

import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

import io.meshgate.policy.PolicyOrder;

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

	/**
	 * Spring Cloud Gateway's observation of each upstream call (a client span and timer per call);
	 * Meshgate's application turns it off and writes trace headers itself.
	 */
	public static final String GATEWAY_OBSERVABILITY_ENABLED = "spring.cloud.gateway.server.webflux.observability.enabled";

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

	/**
	 * With Micrometer Tracing: trace ids in the access log, shadow spans for mirrored copies, and,
	 * unless Spring Cloud Gateway observes upstream calls itself, the gateway's span in the upstream
	 * request's trace headers.
	 */
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
		@Order(PolicyOrder.SHADOW_SENDER_TRACING)
		ShadowSenderTracingObservationHandler shadowSenderTracingObservationHandler(Tracer tracer,
				Propagator propagator) {
			return new ShadowSenderTracingObservationHandler(tracer, propagator);
		}

		@Bean
		@ConditionalOnBean({ Tracer.class, Propagator.class })
		@ConditionalOnProperty(name = GATEWAY_OBSERVABILITY_ENABLED, havingValue = "false")
		UpstreamTraceHeaders upstreamTraceHeaders(Propagator propagator, Environment environment) {
			List<String> remoteBaggageFields = Binder.get(environment)
				.bind("management.tracing.baggage.remote-fields", Bindable.listOf(String.class))
				.orElse(List.of());
			return new UpstreamTraceHeaders(propagator, remoteBaggageFields);
		}

		@Bean
		@ConditionalOnBean(Tracer.class)
		ServerSpanTags meshServerSpanTags() {
			return new ServerSpanTags();
		}

	}

}
