package io.meshgate.gateway.demo;

import java.io.ByteArrayOutputStream;
import java.time.Duration;

import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import io.meshgate.policy.grpc.GrpcHealthProbe;

/**
 * The demo's gRPC service, on Reactor Netty's HTTP/2 cleartext server (prior knowledge) so that
 * the gateway's runtime needs no gRPC library: {@code meshgate.demo.Echo/Say} answers
 * {@code EchoReply {text, endpoint}} to {@code EchoRequest {text}} (see {@link DemoEcho} for the
 * messages), and {@code grpc.health.v1.Health/Check} answers {@code SERVING}. Any other method is
 * {@code UNIMPLEMENTED}, a request message over {@link DemoEcho#MAX_MESSAGE_BYTES} or not one
 * message is {@code INVALID_ARGUMENT}.
 */
public final class DemoGrpcServer {

	/** The demo's service, as a route's {@code match.grpc.service} names it. */
	public static final String SERVICE = "meshgate.demo.Echo";

	static final String SAY = "/" + SERVICE + "/Say";

	private static final int OK = 0;

	private static final int INVALID_ARGUMENT = 3;

	private static final int UNIMPLEMENTED = 12;

	/** {@code HealthCheckResponse {status: SERVING}} in its frame. */
	private static final byte[] SERVING = { 0, 0, 0, 0, 2, 0x08, 0x01 };

	private DemoGrpcServer() {
	}

	public static DisposableServer start(String host, int port, String endpoint) {
		return HttpServer.create()
			.host(host)
			.port(port)
			.protocol(HttpProtocol.H2C)
			.route(routes -> routes
				.post(SAY, (request, response) -> bounded(request)
					.map(frame -> DemoEcho.frame(DemoEcho.message(DemoEcho.strings(DemoEcho.unframe(frame))[0], endpoint)))
					.flatMap(reply -> answer(response, reply))
					.onErrorResume(IllegalArgumentException.class,
							e -> trailersOnly(response, INVALID_ARGUMENT, "not one EchoRequest")))
				.post(GrpcHealthProbe.PATH,
						(request, response) -> request.receive().then(answer(response, SERVING)))
				.route(request -> true, (request, response) -> request.receive()
					.then(trailersOnly(response, UNIMPLEMENTED, "the demo serves " + SAY))))
			.bindNow(Duration.ofSeconds(10));
	}

	/** The request body, refused past one frame of {@link DemoEcho#MAX_MESSAGE_BYTES}. */
	private static Mono<byte[]> bounded(HttpServerRequest request) {
		return request.receive().asByteArray().collect(ByteArrayOutputStream::new, (body, bytes) -> {
			if (body.size() + bytes.length > DemoEcho.MAX_FRAME_BYTES) {
				throw new IllegalArgumentException("over " + DemoEcho.MAX_FRAME_BYTES + " bytes");
			}
			body.writeBytes(bytes);
		}).map(ByteArrayOutputStream::toByteArray);
	}

	private static Mono<Void> answer(HttpServerResponse response, byte[] frame) {
		return response.header("content-type", "application/grpc")
			.trailerHeaders(trailers -> status(trailers, OK, null))
			.sendByteArray(Mono.just(frame))
			.then();
	}

	/** gRPC's "trailers only" answer: the status in the headers, no message. */
	private static Mono<Void> trailersOnly(HttpServerResponse response, int code, String message) {
		response.header("content-type", "application/grpc");
		status(response.responseHeaders(), code, message);
		return response.send();
	}

	private static void status(HttpHeaders headers, int code, String message) {
		headers.set("grpc-status", Integer.toString(code));
		if (message != null) {
			headers.set("grpc-message", message);
		}
	}

	/** Runs the demo's gRPC service on its own: {@code DEMO_PORT=9001 DEMO_ENDPOINT=demo-grpc-a}. */
	public static void main(String[] args) {
		String endpoint = System.getenv().getOrDefault("DEMO_ENDPOINT", "demo-grpc");
		int port = Integer.parseInt(System.getenv().getOrDefault("DEMO_PORT", "9001"));
		DisposableServer server = start(System.getenv().getOrDefault("DEMO_HOST", "0.0.0.0"), port, endpoint);
		System.out.println("Demo gRPC service " + SERVICE + " (" + endpoint + ") on port " + server.port());
		server.onDispose().block();
	}

}
