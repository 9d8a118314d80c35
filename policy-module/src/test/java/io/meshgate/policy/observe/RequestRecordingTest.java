package io.meshgate.policy.observe;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.handler.ResponseStatusExceptionHandler;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.testing.MutableClock;
import io.meshgate.policy.testing.SpanCollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_HANDLER_MAPPER_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * Each ingress request is recorded once, around WebFlux as the server runs it: metrics, traffic
 * window and server span see the status the client got, error handlers' answers included.
 */
class RequestRecordingTest {

	private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

	private final DefaultDataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final RouteTrafficWindows windows = new RouteTrafficWindows(
			new MutableClock(Instant.parse("2026-01-01T00:00:30Z")));

	private final SpanCollector spans = new SpanCollector();

	private final SdkTracerProvider provider = SdkTracerProvider.builder()
		.addSpanProcessor(SimpleSpanProcessor.create(spans))
		.build();

	private final ServerTracing tracing = new SpanServerTracing(new OtelPropagator(
			ContextPropagators.create(W3CTraceContextPropagator.getInstance()), provider.get("test")));

	private final RequestRecording recording = new RequestRecording(new RequestMetrics(meters), windows, null, tracing,
			new MutableClock(Instant.parse("2026-01-01T00:00:30Z")));

	@AfterEach
	void close() {
		provider.close();
	}

	@Test
	void aRoutedRequestIsCountedWithItsRouteAndUpstreamAndItsSpanSaysWhereItWent() {
		HttpHandler gateway = gateway(exchange -> {
			routed(exchange.getAttributes());
			// the upstream's status, as Spring Cloud Gateway's routing filter copies it
			exchange.getResponse().setStatusCode(HttpStatus.OK);
			return exchange.getResponse().writeWith(Mono.just(buffers.wrap(new byte[7])));
		});

		MockServerHttpResponse response = new MockServerHttpResponse();
		gateway.handle(MockServerHttpRequest.get("/orders/1?token=secret")
			.header("traceparent", "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01")
			.build(), response).block(Duration.ofSeconds(5));

		assertThat(meters.get(MeshMetrics.REQUESTS)
			.tags("route", "orders", "backend", "", "upstream", "orders.internal", "status", "2xx")
			.timer()
			.count()).isEqualTo(1);
		assertThat(windows.observed("orders").requests()).isEqualTo(1);
		SpanData server = only(spans);
		assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
		assertThat(server.getName()).isEqualTo("http get");
		assertThat(server.getTraceId()).isEqualTo(CLIENT_TRACE);
		assertThat(server.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
		assertThat(server.getAttributes().asMap()).containsEntry(AttributeKey.stringKey("meshgate.route"), "orders")
			.containsEntry(AttributeKey.stringKey("meshgate.upstream"), "orders.internal")
			.containsEntry(AttributeKey.stringKey("status"), "200")
			.containsEntry(AttributeKey.stringKey("outcome"), "SUCCESS")
			.containsEntry(AttributeKey.stringKey("http.url"), "/orders/1");
	}

	@Test
	void anAnswerWrittenByAnErrorHandlerIsRecordedWithItsStatus() {
		HttpHandler gateway = gateway(exchange -> {
			routed(exchange.getAttributes());
			return Mono.error(new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE));
		});

		MockServerHttpResponse response = new MockServerHttpResponse();
		gateway.handle(MockServerHttpRequest.get("/orders/1").build(), response).block(Duration.ofSeconds(5));

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(meters.get(MeshMetrics.REQUESTS).tags("route", "orders", "status", "5xx").timer().count())
			.isEqualTo(1);
		SpanData server = only(spans);
		assertThat(server.getAttributes().asMap()).containsEntry(AttributeKey.stringKey("status"), "503")
			.containsEntry(AttributeKey.stringKey("exception"), "ResponseStatusException");
	}

	@Test
	void aClientThatWentAwayIsRecordedAs499() {
		Sinks.Empty<Void> never = Sinks.empty();
		HttpHandler gateway = gateway(exchange -> {
			routed(exchange.getAttributes());
			return never.asMono();
		});

		gateway.handle(MockServerHttpRequest.get("/orders/1").build(), new MockServerHttpResponse())
			.subscribe()
			.dispose();

		assertThat(meters.get(MeshMetrics.REQUESTS).tags("route", "orders", "status", "4xx").timer().count())
			.isEqualTo(1);
		assertThat(only(spans).getAttributes().get(AttributeKey.stringKey("status"))).isEqualTo("499");
	}

	@Test
	void aRequestTheRoutesNeverSawEndsItsSpanButIsNotCounted() {
		HttpHandler admin = gateway(exchange -> exchange.getResponse().setComplete());

		admin.handle(MockServerHttpRequest.get("/actuator/health").build(), new MockServerHttpResponse())
			.block(Duration.ofSeconds(5));

		assertThat(meters.find(MeshMetrics.REQUESTS).timers()).isEmpty();
		assertThat(only(spans).getAttributes().get(AttributeKey.stringKey("meshgate.route"))).isNull();
	}

	@Test
	void anUnsampledRequestKeepsItsTraceIdForTheUpstreamAndTheLogButRecordsNoSpan() {
		String[] traceId = new String[1];
		HttpHandler gateway = gateway(exchange -> {
			traceId[0] = RequestRecord.of(exchange).trace().traceId();
			return exchange.getResponse().setComplete();
		});

		gateway.handle(MockServerHttpRequest.get("/orders/1")
			.header("traceparent", "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-00")
			.build(), new MockServerHttpResponse()).block(Duration.ofSeconds(5));

		assertThat(traceId[0]).isEqualTo(CLIENT_TRACE);
		assertThat(spans.spans()).isEmpty();
	}

	@Test
	void springsServerObservationWhereItIsOnGetsTheGatewaysSpanRatherThanASecondOne() {
		OtelPropagator propagator = new OtelPropagator(
				ContextPropagators.create(W3CTraceContextPropagator.getInstance()), provider.get("test"));
		OtelTracer tracer = new OtelTracer(provider.get("test"), new OtelCurrentTraceContext(), event -> {
		});
		ObservationRegistry observations = ObservationRegistry.create();
		// as Spring Boot groups tracing handlers: the first that supports a context handles it
		observations.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new ServerObservationSpan(tracer), new PropagatingReceiverTracingObservationHandler<>(tracer, propagator)));
		Span[] observed = new Span[1];
		HttpHandler gateway = recording.apply(WebHttpHandlerBuilder.webHandler(exchange -> {
			observed[0] = ServerRequestObservationContext.findCurrent(exchange.getAttributes())
				.map(context -> context.<TracingObservationHandler.TracingContext>get(
						TracingObservationHandler.TracingContext.class).getSpan())
				.orElse(null);
			routed(exchange.getAttributes());
			return exchange.getResponse().setComplete();
		}).filter(new RequestRecordFilter()).observationRegistry(observations).build());

		gateway.handle(MockServerHttpRequest.get("/orders/1")
			.header("traceparent", "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01")
			.build(), new MockServerHttpResponse()).block(Duration.ofSeconds(5));

		SpanData server = only(spans);
		assertThat(observed[0].context().spanId()).isEqualTo(server.getSpanId());
		assertThat(server.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
	}

	@Test
	void withRequestMetricsOffOnlyTheSpanIsRecordedAndWithNothingOnTheServerIsLeftAsItIs() {
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:30Z"));
		HttpHandler spansOnly = new RequestRecording(null, null, null, tracing, clock)
			.apply(WebHttpHandlerBuilder.webHandler(exchange -> {
				routed(exchange.getAttributes());
				return exchange.getResponse().setComplete();
			}).filter(new RequestRecordFilter()).build());

		spansOnly.handle(MockServerHttpRequest.get("/orders/1").build(), new MockServerHttpResponse())
			.block(Duration.ofSeconds(5));

		assertThat(meters.find(MeshMetrics.REQUESTS).timers()).isEmpty();
		assertThat(only(spans).getAttributes().get(AttributeKey.stringKey("meshgate.route"))).isEqualTo("orders");
		HttpHandler server = (request, response) -> response.setComplete();
		assertThat(new RequestRecording(null, null, null, ServerTracing.NONE, clock).apply(server)).isSameAs(server);
	}

	@Test
	void countsBodyBytesAndKeepsASingleBufferASingleWrite() {
		List<String> writes = new ArrayList<>();
		MockServerHttpResponse server = new MockServerHttpResponse() {
			@Override
			protected Mono<Void> writeWithInternal(Publisher<? extends DataBuffer> body) {
				// The server sends headers and body in one write only for a Mono.
				writes.add(body instanceof Mono ? "one buffer" : "a stream");
				return super.writeWithInternal(body);
			}
		};
		RequestRecord[] record = new RequestRecord[1];

		recording.apply((request, response) -> {
			record[0] = RequestRecording.of(response);
			return response.writeWith(Mono.just(buffers.wrap(new byte[42])));
		}).handle(MockServerHttpRequest.get("/").build(), server).block(Duration.ofSeconds(5));

		assertThat(writes).containsExactly("one buffer");
		assertThat(record[0].bytesOut()).isEqualTo(42);
	}

	@Test
	void countsEveryBufferOfAStreamBothWays() {
		RequestRecord[] record = new RequestRecord[1];

		recording.apply((request, response) -> {
			record[0] = RequestRecording.of(response);
			return request.getBody()
				.then(response.writeWith(Flux.just(buffers.wrap(new byte[10]), buffers.wrap(new byte[5]))));
		})
			.handle(MockServerHttpRequest.post("/").body(Flux.just(buffers.wrap(new byte[3]), buffers.wrap(new byte[4]))),
					new MockServerHttpResponse())
			.block(Duration.ofSeconds(5));

		assertThat(record[0].bytesIn()).isEqualTo(7);
		assertThat(record[0].bytesOut()).isEqualTo(15);
	}

	private static SpanData only(SpanCollector spans) {
		assertThat(spans.spans()).hasSize(1);
		return spans.spans().get(0);
	}

	/** WebFlux as the server runs it: the record filter first, error handlers around the handler. */
	private HttpHandler gateway(WebHandler handler) {
		return recording.apply(WebHttpHandlerBuilder.webHandler(handler)
			.filter(new RequestRecordFilter())
			.exceptionHandler(new ResponseStatusExceptionHandler())
			.build());
	}

	/** What Spring Cloud Gateway's route mapping and routing leave on the exchange. */
	private static void routed(java.util.Map<String, Object> attributes) {
		attributes.put(GATEWAY_HANDLER_MAPPER_ATTR, "RoutePredicateHandlerMapping");
		attributes.put(GATEWAY_ROUTE_ATTR, Route.async().id("orders").uri("http://orders.internal").predicate(e -> true).build());
		attributes.put(GATEWAY_REQUEST_URL_ATTR, URI.create("http://orders.internal/orders/1"));
		attributes.put(ExchangeAttributes.RETRIES, 0);
	}

}
