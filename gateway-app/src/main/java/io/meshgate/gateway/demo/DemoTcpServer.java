package io.meshgate.gateway.demo;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * The demo's TCP service on Reactor Netty's TCP server: on connect it writes its endpoint's name
 * and a newline (so a client sees which endpoint the TCP route chose), then echoes every byte it
 * receives until the client's FIN, then closes.
 */
public final class DemoTcpServer {

	private DemoTcpServer() {
	}

	public static DisposableServer start(String host, int port, String endpoint) {
		return TcpServer.create()
			.host(host)
			.port(port)
			// the client's FIN ends the echo, not the connection: what it sent before is echoed first
			.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.handle((in, out) -> out.sendString(Mono.just(endpoint + "\n"))
				.then(out.send(in.receive().retain())))
			.bindNow(Duration.ofSeconds(10));
	}

	/** Runs the demo's TCP echo on its own: {@code DEMO_PORT=9002 DEMO_ENDPOINT=demo-tcp-a}. */
	public static void main(String[] args) {
		String endpoint = System.getenv().getOrDefault("DEMO_ENDPOINT", "demo-tcp");
		int port = Integer.parseInt(System.getenv().getOrDefault("DEMO_PORT", "9002"));
		DisposableServer server = start(System.getenv().getOrDefault("DEMO_HOST", "0.0.0.0"), port, endpoint);
		System.out.println("Demo TCP echo " + endpoint + " on port " + server.port());
		server.onDispose().block();
	}

}
