package io.meshgate.policy.testing;

import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/** Keeps every finished, sampled span an OpenTelemetry SDK exports, for tracing assertions. */
public final class SpanCollector implements SpanExporter {

	private final Queue<SpanData> spans = new ConcurrentLinkedQueue<>();

	/** The spans exported so far, in the order they ended. */
	public List<SpanData> spans() {
		return List.copyOf(spans);
	}

	@Override
	public CompletableResultCode export(Collection<SpanData> batch) {
		spans.addAll(batch);
		return CompletableResultCode.ofSuccess();
	}

	@Override
	public CompletableResultCode flush() {
		return CompletableResultCode.ofSuccess();
	}

	@Override
	public CompletableResultCode shutdown() {
		return CompletableResultCode.ofSuccess();
	}

}
