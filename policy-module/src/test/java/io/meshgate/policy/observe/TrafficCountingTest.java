package io.meshgate.policy.observe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficCountingTest {

	private final DefaultDataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;

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
		TrafficCounting.Traffic[] traffic = new TrafficCounting.Traffic[1];

		new TrafficCounting().apply((request, response) -> {
			traffic[0] = TrafficCounting.of(response);
			return response.writeWith(Mono.just(buffers.wrap(new byte[42])));
		}).handle(MockServerHttpRequest.get("/").build(), server).block(Duration.ofSeconds(5));

		assertThat(writes).containsExactly("one buffer");
		assertThat(traffic[0].bytesOut()).isEqualTo(42);
	}

	@Test
	void countsEveryBufferOfAStream() {
		MockServerHttpResponse server = new MockServerHttpResponse();
		TrafficCounting.Traffic[] traffic = new TrafficCounting.Traffic[1];

		new TrafficCounting().apply((request, response) -> {
			traffic[0] = TrafficCounting.of(response);
			return response.writeWith(Flux.just(buffers.wrap(new byte[10]), buffers.wrap(new byte[5])));
		}).handle(MockServerHttpRequest.get("/").build(), server).block(Duration.ofSeconds(5));

		assertThat(traffic[0].bytesOut()).isEqualTo(15);
	}

}
