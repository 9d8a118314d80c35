package io.meshgate.gateway.transport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The epoll loops Meshgate makes when told not to use io_uring, under a real Reactor Netty server
 * and client on loopback: both on epoll channels, an upstream call made while serving a request
 * on the serving loop itself, threads named and marked as Reactor Netty's.
 */
class EpollLoopsTest {

	final EpollLoops loops = new EpollLoops("test", 2);

	DisposableServer upstream;

	DisposableServer server;

	@AfterEach
	void tearDown() {
		if (server != null) {
			server.disposeNow();
		}
		if (upstream != null) {
			upstream.disposeNow();
		}
		loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
	}

	@Test
	void serversAndTheirUpstreamCallsRunOnOneEpollLoop() {
		assertThat(Epoll.isAvailable()).as(String.valueOf(Epoll.unavailabilityCause())).isTrue();
		upstream = HttpServer.create().host("127.0.0.1").port(0).runOn(loops)
			.handle((request, response) -> response.sendString(Mono.just("upstream")))
			.bindNow();
		AtomicReference<Channel> served = new AtomicReference<>();
		AtomicReference<Channel> called = new AtomicReference<>();
		AtomicReference<String> thread = new AtomicReference<>();
		AtomicReference<Boolean> nonBlocking = new AtomicReference<>();
		HttpClient client = HttpClient.create(ConnectionProvider.newConnection()).runOn(loops)
			.doOnConnected(connection -> called.set(connection.channel()));
		server = HttpServer.create().host("127.0.0.1").port(0).runOn(loops)
			.handle((request, response) -> {
				request.withConnection(connection -> served.set(connection.channel()));
				thread.set(Thread.currentThread().getName());
				nonBlocking.set(Schedulers.isInNonBlockingThread());
				return response.send(client.get()
					.uri("http://127.0.0.1:" + upstream.port() + "/")
					.responseContent()
					.retain());
			})
			.bindNow();

		String body = HttpClient.create(ConnectionProvider.newConnection())
			.get()
			.uri("http://127.0.0.1:" + server.port() + "/")
			.responseContent()
			.aggregate()
			.asString()
			.block(Duration.ofSeconds(10));

		assertThat(body).isEqualTo("upstream");
		assertThat(served.get()).isInstanceOf(EpollSocketChannel.class);
		assertThat(called.get()).isInstanceOf(EpollSocketChannel.class);
		EventLoop serving = served.get().eventLoop();
		assertThat(called.get().eventLoop()).as("the upstream call's loop").isSameAs(serving);
		assertThat(thread.get()).matches("test-epoll-[12]");
		assertThat(nonBlocking.get()).as("a blocking call on the loop fails, as on Reactor Netty's loops").isTrue();
	}

	@Test
	void nonNativeLoopsAreReactorNettysNioLoops() {
		assertThat(loops.onChannelClass(SocketChannel.class, loops.onServer(false))).isEqualTo(NioSocketChannel.class);
		assertThat(loops.onChannelClass(SocketChannel.class, loops.onClient(true))).isEqualTo(EpollSocketChannel.class);
	}

	@Test
	void disposingStopsTheLoops() {
		loops.onServer(true).next().execute(() -> { });
		assertThat(loops.isDisposed()).isFalse();

		loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));

		assertThat(loops.isDisposed()).isTrue();
		assertThat(loops.onServer(true).isTerminated()).isTrue();
	}

}
