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
 * <p>With {@code http1} it sends {@code GET URL} over HTTP/1.1 keep-alive instead (ok: status
 * 200), the same client with the same calls in flight, each on a connection of its own (HTTP/1.1
 * does not multiplex): the gRPC row's comparison.
 * Both then run at what one client core reaches, so the gateway's CPU per unit is compared at
 * like rates; a C client (wrk) drives HTTP/1.1 several times faster than this JVM drives gRPC,
 * and CPU per unit falls as the rate rises (wake-ups and flushes shared by more requests).
 *
 * <p>With a {@code RATE} (calls per second, after the mode: {@code grpc} or {@code http1}) the
 * calls start on a schedule of that many per second, each when its turn comes and a call in
 * flight has ended (the rate is a ceiling: a slower gateway falls back to the closed loop).
 * bench/protocols.sh drives HTTP/1.1 at the rate gRPC reached, so that both are measured at
 * like rates: the client reaches about three times the rate over HTTP/1.1, and a gateway's CPU
 * per request falls as its rate rises.
 *
 * <pre>
 * java GrpcLoad URL SECONDS CONNECTIONS CONCURRENCY [grpc|http1 [RATE]]   prints "calls=N ok=N failed=N rate=R"
 * java GrpcLoad URL                                                       one call: prints its status and reply bytes
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
		boolean http1 = args.length > 4 && args[4].equals("http1");
		double rate = args.length > 5 ? Double.parseDouble(args[5]) : 0;
		// HTTP/1.1 carries one call per connection at a time: a connection per call in flight, as wrk
		HttpClient client = http1 ? http1Client(concurrency) : client(connections);
		AtomicLong ok = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicLong started = new AtomicLong();
		long start = System.nanoTime();
		long end = start + seconds * 1_000_000_000L;
		Mono<String> one = http1 ? get(client, url) : call(client, url);
		Mono<String> paced = rate <= 0 ? one : Mono.defer(() -> {
			long due = start + (long) (started.getAndIncrement() * 1e9 / rate);
			long wait = due - System.nanoTime();
			return due >= end ? Mono.<String>empty() : wait > 0 ? Mono.delay(Duration.ofNanos(wait)).then(one) : one;
		});
		Flux.range(0, concurrency)
			.flatMap(i -> paced.doOnNext(status -> (status.startsWith("0 ") ? ok : failed).incrementAndGet())
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

	private static HttpClient http1Client(int connections) {
		return HttpClient.create(ConnectionProvider.builder("http1-load").maxConnections(connections).build())
			.protocol(HttpProtocol.HTTP11);
	}

	/** One GET, as {@link #call}'s answer: {@code "0 reply-bytes"} for a 200, else the status. */
	private static Mono<String> get(HttpClient client, String url) {
		return client.get()
			.uri(url)
			.responseSingle((response, body) -> body.asByteArray()
				.defaultIfEmpty(new byte[0])
				.map(bytes -> (response.status().code() == 200 ? "0" : String.valueOf(response.status().code())) + " "
						+ bytes.length));
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
