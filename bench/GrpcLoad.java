import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A closed-loop load generator of gRPC unary calls over h2c with prior knowledge (ghz and h2load
 * are not Debian packages here): {@code concurrency} calls in flight over {@code connections}
 * HTTP/2 connections, for {@code seconds}, each the demo's {@code meshgate.demo.Echo/Say} with a
 * fixed message (gateway-app {@code demo/DemoEcho}). A call counts as ok only with
 * {@code grpc-status: 0} in its trailers. Reactor Netty's client, from the Meshgate jar's own
 * libraries (bench/protocols.sh puts them on the class path).
 *
 * <pre>
 * java GrpcLoad URL SECONDS CONNECTIONS CONCURRENCY   prints "calls=N ok=N failed=N rate=R"
 * java GrpcLoad URL                                   one call: prints its status and reply bytes
 * </pre>
 */
public final class GrpcLoad {

	/** {@code EchoRequest {text: "bench"}} in its gRPC frame. */
	private static final byte[] REQUEST = { 0, 0, 0, 0, 7, 0x0A, 5, 'b', 'e', 'n', 'c', 'h' };

	public static void main(String[] args) {
		String url = args[0];
		if (args.length == 1) {
			System.out.println(call(client(1), url).block(Duration.ofSeconds(60)));
			return;
		}
		long seconds = Long.parseLong(args[1]);
		int connections = Integer.parseInt(args[2]);
		int concurrency = Integer.parseInt(args[3]);
		HttpClient client = client(connections);
		AtomicLong ok = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		long start = System.nanoTime();
		long end = start + seconds * 1_000_000_000L;
		Flux.range(0, concurrency)
			.flatMap(i -> call(client, url).doOnNext(status -> (status.startsWith("0 ") ? ok : failed).incrementAndGet())
				.onErrorResume(e -> {
					failed.incrementAndGet();
					return Mono.empty();
				})
				.repeat(() -> System.nanoTime() < end), concurrency)
			.blockLast();
		double elapsed = (System.nanoTime() - start) / 1e9;
		System.out.printf("calls=%d ok=%d failed=%d rate=%.1f%n", ok.get() + failed.get(), ok.get(), failed.get(),
				ok.get() / elapsed);
	}

	private static HttpClient client(int connections) {
		return HttpClient.create(ConnectionProvider.builder("grpc-load").maxConnections(connections).build())
			.protocol(HttpProtocol.H2C)
			.headers(headers -> headers.set("content-type", "application/grpc").set("te", "trailers"));
	}

	/** One call: {@code "STATUS reply-bytes"}, the status from the trailers ({@code -} without). */
	private static Mono<String> call(HttpClient client, String url) {
		return client.post()
			.uri(url)
			.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(REQUEST)))
			.response((response, body) -> body.aggregate()
				.map(bytes -> bytes.readableBytes())
				.defaultIfEmpty(0)
				.flatMap(length -> response.trailerHeaders()
					.map(trailers -> trailers.get("grpc-status", response.responseHeaders().get("grpc-status", "-")))
					.defaultIfEmpty(response.responseHeaders().get("grpc-status", "-"))
					.map(status -> status + " " + length)))
			.next();
	}

}
