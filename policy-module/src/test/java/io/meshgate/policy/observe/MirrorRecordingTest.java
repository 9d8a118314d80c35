package io.meshgate.policy.observe;

import java.io.IOException;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import io.meshgate.policy.testing.SpanCollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MirrorRecordingTest {

	private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String CLIENT_PARENT = "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01";

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final SpanCollector spans = new SpanCollector();

	private final SdkTracerProvider provider = SdkTracerProvider.builder()
		.addSpanProcessor(SimpleSpanProcessor.create(spans))
		.build();

	private final OtelPropagator propagator = new OtelPropagator(
			ContextPropagators.create(W3CTraceContextPropagator.getInstance()), provider.get("test"));

	private final OtelTracer tracer = new OtelTracer(provider.get("test"), new OtelCurrentTraceContext(), event -> {
	});

	private final MirrorRecording recording = new MirrorRecording(meters, new SpanShadowTracing(tracer, propagator));

	@AfterEach
	void close() {
		provider.close();
	}

	@Test
	void aCopyIsAShadowSpanInTheClientsTraceChildOfTheServerSpanAndLinkedToIt() {
		ServerTrace primary = serverSpan();
		HttpHeaders headers = clientHeaders();

		Integer status = recording
			.record(primary, "orders", "shadow", "10.0.0.7", 8443, headers, () -> Mono.just(202), answer -> answer)
			.block();
		primary.end("GET", "/orders", 200, null, null);

		assertThat(status).isEqualTo(202);
		SpanData server = only(SpanKind.SERVER);
		SpanData shadow = only(SpanKind.CLIENT);
		assertThat(shadow.getName()).isEqualTo("mirror shadow");
		assertThat(shadow.getTraceId()).isEqualTo(CLIENT_TRACE);
		assertThat(shadow.getParentSpanId()).isEqualTo(server.getSpanId());
		assertThat(shadow.getLinks()).singleElement().satisfies(link -> {
			assertThat(link.getSpanContext().getSpanId()).isEqualTo(server.getSpanId());
			assertThat(link.getAttributes().get(AttributeKey.stringKey("meshgate.link"))).isEqualTo("primary");
		});
		assertThat(shadow.getAttributes().asMap()).containsEntry(AttributeKey.stringKey("meshgate.shadow"), "true")
			.containsEntry(AttributeKey.stringKey("route"), "orders")
			.containsEntry(AttributeKey.stringKey("mirror"), "shadow")
			.containsEntry(AttributeKey.stringKey("status"), "202");
		// the copy carries the shadow span's context in place of the client's, not beside it
		assertThat(headers.getAll("traceparent")).containsExactly("00-" + CLIENT_TRACE + "-" + shadow.getSpanId() + "-01");
		assertThat(headers.get("tracestate")).isNull();
		assertThat(headers.get("x-other")).isEqualTo("kept");
		assertThat(timer("orders", "shadow", "none").count()).isEqualTo(1);
	}

	@Test
	void aFailedCopyIsTimedWithItsErrorAndItsSpanSaysWhy() {
		ServerTrace primary = serverSpan();

		assertThatThrownBy(() -> recording.record(primary, "orders", "shadow", "10.0.0.7", 80, clientHeaders(),
				() -> Mono.<Integer>error(new IOException("connection reset")), answer -> answer).block())
			.hasCauseInstanceOf(IOException.class);

		SpanData shadow = only(SpanKind.CLIENT);
		assertThat(shadow.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(shadow.getEvents()).anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
		assertThat(shadow.getAttributes().get(AttributeKey.stringKey("status"))).isNull();
		assertThat(timer("orders", "shadow", "IOException").count()).isEqualTo(1);
		assertThat(meters.find(MeshMetrics.MIRROR_DURATION).tag(MeshMetrics.ERROR, "none").timer()).isNull();
	}

	@Test
	void aCopyGivenUpBeforeItsAnswerStillEndsItsSpanAndIsTimed() {
		Disposable sending = recording.record(serverSpan(), "orders", "shadow", "10.0.0.7", 80, clientHeaders(),
				Mono::<Integer>never, answer -> answer).subscribe();
		assertThat(spans.spans()).isEmpty();

		sending.dispose();

		assertThat(only(SpanKind.CLIENT).hasEnded()).isTrue();
		assertThat(timer("orders", "shadow", "none").count()).isEqualTo(1);
	}

	@Test
	void withoutAServerSpanTheCopyStartsATraceOfItsOwn() {
		HttpHeaders headers = clientHeaders();

		recording.record(ServerTrace.NONE, "orders", "shadow", "10.0.0.7", 80, headers, () -> Mono.just(200),
				answer -> answer).block();

		SpanData shadow = only(SpanKind.CLIENT);
		assertThat(shadow.getTraceId()).isNotEqualTo(CLIENT_TRACE);
		assertThat(shadow.getParentSpanContext().isValid()).isFalse();
		assertThat(shadow.getLinks()).isEmpty();
		assertThat(headers.get("traceparent")).contains(shadow.getTraceId());
	}

	@Test
	void withoutTracingACopyIsTimedAndKeepsTheClientsTraceHeaders() {
		MirrorRecording untraced = new MirrorRecording(meters, ShadowTracing.NONE);
		HttpHeaders headers = clientHeaders();

		untraced.record(ServerTrace.NONE, "orders", "shadow", "10.0.0.7", 80, headers, () -> Mono.just(200),
				answer -> answer).block();

		assertThat(headers.getAll("traceparent")).containsExactly(CLIENT_PARENT);
		assertThat(headers.get("tracestate")).isEqualTo("vendor=1");
		assertThat(timer("orders", "shadow", "none").count()).isEqualTo(1);
		assertThat(spans.spans()).isEmpty();
	}

	@Test
	void offRecordsNothingAndSendsTheCallAsItIs() {
		Mono<Integer> call = Mono.just(200);
		HttpHeaders headers = clientHeaders();

		assertThat(MirrorRecording.OFF.record(serverSpan(), "orders", "shadow", "10.0.0.7", 80, headers, () -> call,
				answer -> answer)).isSameAs(call);
		assertThat(headers.getAll("traceparent")).containsExactly(CLIENT_PARENT);
	}

	private ServerTrace serverSpan() {
		return new SpanServerTracing(propagator)
			.start(MockServerHttpRequest.get("/orders").header("traceparent", CLIENT_PARENT).build());
	}

	private static HttpHeaders clientHeaders() {
		return new DefaultHttpHeaders().add("traceparent", CLIENT_PARENT)
			.add("tracestate", "vendor=1")
			.add("x-other", "kept");
	}

	private SpanData only(SpanKind kind) {
		return spans.spans().stream().filter(span -> span.getKind() == kind).reduce((a, b) -> {
			throw new AssertionError("more than one " + kind + " span: " + spans.spans());
		}).orElseThrow(() -> new AssertionError("no " + kind + " span in " + spans.spans()));
	}

	private Timer timer(String route, String mirror, String error) {
		Timer timer = meters.find(MeshMetrics.MIRROR_DURATION)
			.tags(MeshMetrics.ROUTE, route, MeshMetrics.MIRROR, mirror, MeshMetrics.ERROR, error)
			.timer();
		assertThat(timer).as("timer %s %s %s", route, mirror, error).isNotNull();
		return timer;
	}

}
