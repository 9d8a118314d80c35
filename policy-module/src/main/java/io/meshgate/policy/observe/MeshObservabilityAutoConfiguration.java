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
 * line per request ({@code meshgate.access-log.enabled}), and, with Micrometer Tracing, a server
 * span per request and a shadow span for each mirrored copy, with each copy's time. It is recorded around WebFlux
 * ({@link RequestRecording}), not on Spring's server observation, which it neither needs nor
 * replaces: {@code http.server.requests} stays as the application configures it.
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
	 * {@code meshgate.request-metrics.enabled} (default {@code true}): {@code meshgate.requests} and
	 * the routes' traffic windows, which the observed canary split and the admin UI's traffic views
	 * read.
	 */
	public static final String REQUEST_METRICS_ENABLED = "meshgate.request-metrics.enabled";

	/**
	 * Spring Cloud Gateway's observation of each upstream call (a client span and timer per call);
	 * Meshgate's application turns it off and writes trace headers itself.
	 */
	public static final String GATEWAY_OBSERVABILITY_ENABLED = "spring.cloud.gateway.server.webflux.observability.enabled";

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
	RequestRecording meshRequestRecording(ObjectProvider<MeterRegistry> meters, RouteTrafficWindows windows,
			ObjectProvider<AccessLog> accessLog, ObjectProvider<ServerTracing> tracing, Environment environment) {
		boolean metrics = environment.getProperty(REQUEST_METRICS_ENABLED, Boolean.class, true);
		return new RequestRecording(metrics ? new RequestMetrics(meters(meters)) : null, metrics ? windows : null,
				accessLog.getIfAvailable(), tracing.getIfAvailable(() -> ServerTracing.NONE), Clock.systemUTC());
	}

	@Bean
	MirrorRecording meshMirrorRecording(ObjectProvider<MeterRegistry> meters, ObjectProvider<ShadowTracing> tracing) {
		return new MirrorRecording(meters(meters), tracing.getIfAvailable(() -> ShadowTracing.NONE));
	}

	@Bean
	RequestRecordFilter meshRequestRecordFilter() {
		return new RequestRecordFilter();
	}

	private static MeterRegistry meters(ObjectProvider<MeterRegistry> meters) {
		return meters.getIfUnique(() -> Metrics.globalRegistry);
	}

	/**
	 * With Micrometer Tracing: a server span per request (its trace id in the access log), shadow
	 * spans for mirrored copies, and, unless Spring Cloud Gateway observes upstream calls itself, the
	 * gateway's span in the upstream request's trace headers.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Tracer.class)
	static class TracingConfiguration {

		@Bean
		@ConditionalOnBean({ Tracer.class, Propagator.class })
		SpanServerTracing meshServerTracing(Propagator propagator) {
			return new SpanServerTracing(propagator);
		}

		/** First of the tracing handlers, as the shadow sender's is: Spring's server span is Meshgate's. */
		@Bean
		@ConditionalOnBean({ Tracer.class, Propagator.class })
		@Order(PolicyOrder.SERVER_OBSERVATION_SPAN)
		ServerObservationSpan meshServerObservationSpan(Tracer tracer) {
			return new ServerObservationSpan(tracer);
		}

		@Bean
		@ConditionalOnBean({ Tracer.class, Propagator.class })
		SpanShadowTracing meshShadowTracing(Tracer tracer, Propagator propagator) {
			return new SpanShadowTracing(tracer, propagator);
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

	}

}
