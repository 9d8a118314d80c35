package io.meshgate.policy.observe;

import java.time.Instant;
import java.util.List;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;

import static org.assertj.core.api.Assertions.assertThat;

/** The upstream call carries the gateway's span, with OpenTelemetry's own W3C propagation. */
class UpstreamTraceHeadersTest {

	private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String CLIENT_TRACEPARENT = "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01";

	private final SdkTracerProvider provider = SdkTracerProvider.builder().build();

	private final io.opentelemetry.api.trace.Tracer otel = provider.get("test");

	private final OtelPropagator propagator = new OtelPropagator(ContextPropagators.create(TextMapPropagator
		.composite(W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())), otel);

	@AfterEach
	void close() {
		provider.close();
	}

	@Test
	void clientTraceHeadersAreReplacedByTheGatewaySpan() {
		MockServerWebExchange exchange = exchange();
		Span server = serverSpan(exchange);

		HttpHeaders upstream = new UpstreamTraceHeaders(propagator, List.of()).filter(exchange.getRequest().getHeaders(),
				exchange);

		assertThat(server.context().traceId()).isEqualTo(CLIENT_TRACE);
		assertThat(upstream.get("traceparent")).containsExactly(
				"00-" + CLIENT_TRACE + "-" + server.context().spanId() + "-01");
		assertThat(upstream.get("tracestate")).as("W3C keeps the vendor state, once").containsExactly("vendor=1");
		assertThat(upstream.getFirst("x-tenant")).isEqualTo("acme");
		assertThat(exchange.getRequest().getHeaders().getFirst("traceparent")).as("the client's request is left as it was")
			.isEqualTo(CLIENT_TRACEPARENT);
	}

	@Test
	void remoteBaggageFieldsPassThroughOtherPropagationFieldsDoNot() {
		MockServerWebExchange exchange = exchange();
		serverSpan(exchange);

		HttpHeaders upstream = new UpstreamTraceHeaders(propagator, List.of("Baggage")).filter(
				exchange.getRequest().getHeaders(), exchange);

		assertThat(upstream.get("baggage")).containsExactly("user=olga");
		assertThat(upstream.getFirst("traceparent")).doesNotContain("00f067aa0ba902b7");
	}

	@Test
	void withoutAServerSpanTheHeadersAreLeftAlone() {
		MockServerWebExchange exchange = exchange();

		HttpHeaders input = exchange.getRequest().getHeaders();
		assertThat(new UpstreamTraceHeaders(propagator, List.of()).filter(input, exchange)).isSameAs(input);
	}

	private static MockServerWebExchange exchange() {
		return MockServerWebExchange.from(MockServerHttpRequest.get("/orders/1")
			.header("traceparent", CLIENT_TRACEPARENT)
			.header("tracestate", "vendor=1")
			.header("baggage", "user=olga")
			.header("x-tenant", "acme"));
	}

	/** What the request's record and its filter leave on the exchange. */
	private Span serverSpan(MockServerWebExchange exchange) {
		ServerTrace trace = new SpanServerTracing(propagator).start(exchange.getRequest());
		RequestRecord record = new RequestRecord(Instant.now(), System.nanoTime(), trace);
		exchange.getAttributes().put(ExchangeAttributes.REQUEST_RECORD, record);
		return ((SpanServerTracing.SpanTrace) trace).span();
	}

}
