package io.meshgate.gateway.transport;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.NonBlocking;
import reactor.netty.FutureMono;
import reactor.netty.resources.LoopResources;

/**
 * Event loops on epoll where Reactor Netty would take io_uring: Reactor Netty's own loop resources
 * prefer io_uring whenever it is available and have no switch to keep them on epoll. These do what
 * they do on epoll. One group of loops serves servers and clients; a client's group is colocated
 * with it, so a connection opened from an event loop (an upstream call made while serving a
 * request) stays on that loop instead of waking another. Threads are named as Reactor Netty names
 * its own ({@code reactor-http-epoll-1}) and are {@link NonBlocking}, so blocking calls on them fail
 * as they do on Reactor Netty's. A caller that asks for non-native loops gets Reactor Netty's NIO
 * loops.
 */
final class EpollLoops implements LoopResources {

	private final EventLoopGroup loops;

	private final EventLoopGroup colocated;

	private final LoopResources nio;

	EpollLoops(String prefix, int workers) {
		this.loops = new MultiThreadIoEventLoopGroup(workers, new LoopThreads(prefix + "-epoll-"),
				EpollIoHandler.newFactory());
		this.colocated = LoopResources.colocate(loops);
		this.nio = LoopResources.create(prefix, workers, true); // starts no thread until asked
	}

	@Override
	public EventLoopGroup onServer(boolean useNative) {
		return useNative ? loops : nio.onServer(false);
	}

	@Override
	public EventLoopGroup onClient(boolean useNative) {
		return useNative ? colocated : nio.onClient(false);
	}

	@Override
	public boolean daemon() {
		return true;
	}

	@Override
	public boolean isDisposed() {
		return loops.isShuttingDown();
	}

	@Override
	public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
		return Mono.defer(() -> Mono.when(shutDown(quietPeriod, timeout), nio.disposeLater(quietPeriod, timeout)));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private Mono<Void> shutDown(Duration quietPeriod, Duration timeout) {
		Future shutdown = loops.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS);
		return FutureMono.from((Future<Void>) shutdown);
	}

	private static final class LoopThreads implements ThreadFactory {

		private final String prefix;

		private final AtomicInteger count = new AtomicInteger();

		LoopThreads(String prefix) {
			this.prefix = prefix;
		}

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new LoopThread(task, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

	private static final class LoopThread extends FastThreadLocalThread implements NonBlocking {

		LoopThread(Runnable task, String name) {
			super(task, name);
		}

	}

}
