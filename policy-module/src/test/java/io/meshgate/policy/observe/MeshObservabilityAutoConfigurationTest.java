package io.meshgate.policy.observe;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The access log is switchable, tracing parts follow the tracer; the rest is always there. */
class MeshObservabilityAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MeshObservabilityAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class);

	@Test
	void accessLogIsOffUnlessEnabled() {
		runner.run(context -> assertThat(context).doesNotHaveBean(AccessLog.class)
			.hasSingleBean(RequestRecording.class)
			.hasSingleBean(RequestRecordFilter.class)
			.hasSingleBean(RouteTrafficWindows.class));
		runner.withPropertyValues("meshgate.access-log.enabled=true")
			.run(context -> assertThat(context).hasSingleBean(AccessLog.class));
		runner.withPropertyValues("meshgate.access-log.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(AccessLog.class));
	}

	@Test
	void theGatewayWritesTraceHeadersOnlyWhereSpringCloudGatewayDoesNotObserveUpstreamCalls() {
		ApplicationContextRunner tracing = runner.withBean(Tracer.class, () -> Tracer.NOOP)
			.withBean(Propagator.class, () -> Propagator.NOOP);
		tracing.run(context -> assertThat(context).doesNotHaveBean(UpstreamTraceHeaders.class)
			.hasSingleBean(SpanServerTracing.class)
			.hasSingleBean(SpanShadowTracing.class)
			.hasSingleBean(ServerObservationSpan.class));
		tracing.withPropertyValues("spring.cloud.gateway.server.webflux.observability.enabled=true")
			.run(context -> assertThat(context).doesNotHaveBean(UpstreamTraceHeaders.class));
		tracing.withPropertyValues("spring.cloud.gateway.server.webflux.observability.enabled=false")
			.run(context -> assertThat(context).hasSingleBean(UpstreamTraceHeaders.class));
		runner.withPropertyValues("spring.cloud.gateway.server.webflux.observability.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(UpstreamTraceHeaders.class)
				.doesNotHaveBean(ServerTracing.class));
	}

	@Test
	void withoutATracerThereAreNoShadowSpans() {
		runner.run(context -> assertThat(context).doesNotHaveBean(ShadowTracing.class)
			.doesNotHaveBean(ServerTracing.class)
			.doesNotHaveBean(ServerObservationSpan.class));
	}

}
