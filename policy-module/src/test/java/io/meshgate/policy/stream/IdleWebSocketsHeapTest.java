package io.meshgate.policy.stream;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 2,000 idle WebSocket sessions held at once through one route: what each costs the heap is
 * bounded, and once they are closed the heap is back where it was (nothing is kept per session).
 * The heap is measured after a full GC, with the clients (Reactor Netty's) and the upstream in
 * the same JVM, so the bound per session covers all three.
 */
class IdleWebSocketsHeapTest extends GatewayTest {

	private static final int SESSIONS = 2_000;

	/**
	 * Per session: four connections (client, gateway's two, upstream), all Reactor Netty's; their
	 * buffers are off the heap. About 36KB was measured.
	 */
	private static final long MAX_BYTES_PER_SESSION = 48 * 1024;

	/** What may stay after all sessions closed: caches warmed, not sessions kept. */
	private static final long MAX_LEFT_AFTER_CLOSE = 8L * 1024 * 1024;

	@Test
	void twoThousandIdleSessionsAreHeldWithABoundedHeapThatReturnsWhenTheyClose() {
		HttpClient http = HttpClient.create(ConnectionProvider.newConnection());
		try (WebSocketUpstream echo = WebSocketUpstream.start()) {
			apply(List.of(Upstream.of("echo", echo.url())), Route.of("ws", "/ws/**", Backend.of("echo", 1)));
			List<Disposable> warmUp = open(http, echo, 200); // classes, pools and caches of every party
			close(warmUp);
			await().atMost(Duration.ofSeconds(10)).until(() -> echo.open.get() == 0);
			long before = heapAfterGc();

			List<Disposable> sessions = open(http, echo, SESSIONS);
			long held = heapAfterGc();
			close(sessions);
			await().atMost(Duration.ofSeconds(30)).until(() -> echo.open.get() == 0);
			long after = heapAfterGc();

			assertThat((held - before) / SESSIONS).as("heap bytes per open session (before %d, held %d)", before, held)
				.isLessThan(MAX_BYTES_PER_SESSION);
			assertThat(after - before).as("heap bytes left after all sessions closed (before %d, after %d)", before,
					after)
				.isLessThan(MAX_LEFT_AFTER_CLOSE);
		}
	}

	/**
	 * {@code count} more sessions that wait for frames, each ended by disposing it: opened 100 at
	 * a time, each batch held by the upstream before the next starts (a loopback listener's
	 * backlog refuses bursts of thousands).
	 */
	private List<Disposable> open(HttpClient http, WebSocketUpstream echo, int count) {
		HttpClient.WebsocketSender sender = http.websocket().uri("ws://127.0.0.1:" + port + "/ws/a");
		int already = echo.open.get();
		List<Disposable> sessions = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			sessions.add(sender.handle((in, out) -> in.receive().then()).subscribe(null, error -> {
			}));
			if (sessions.size() % 100 == 0 || sessions.size() == count) {
				int expected = already + sessions.size();
				await().atMost(Duration.ofSeconds(30)).until(() -> echo.open.get() == expected);
			}
		}
		return sessions;
	}

	private static void close(List<Disposable> sessions) {
		sessions.forEach(Disposable::dispose);
	}

	private static long heapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

}
