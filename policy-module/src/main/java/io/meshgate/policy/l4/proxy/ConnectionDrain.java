package io.meshgate.policy.l4.proxy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.group.ChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Waits for groups of connections to close, for a grace period at most; then closes those left
 * and runs a callback, once. Nothing is polled: each group's close future counts down, and one
 * timer bounds the wait.
 */
final class ConnectionDrain {

	private static final Log log = LogFactory.getLog(ConnectionDrain.class);

	private final List<ChannelGroup> groups;

	private final Runnable done;

	private final AtomicBoolean finished = new AtomicBoolean();

	private volatile ScheduledFuture<?> deadline;

	private ConnectionDrain(List<ChannelGroup> groups, Runnable done) {
		this.groups = groups;
		this.done = done;
	}

	static void start(List<ChannelGroup> groups, Duration grace, Runnable done) {
		ConnectionDrain drain = new ConnectionDrain(List.copyOf(groups), done);
		int open = groups.stream().mapToInt(ChannelGroup::size).sum();
		if (open > 0) {
			log.info("Draining " + open + " L4 connections for up to " + grace.toMillis() + " ms");
		}
		drain.deadline = GlobalEventExecutor.INSTANCE.schedule(drain::finish, grace.toNanos(), TimeUnit.NANOSECONDS);
		AtomicInteger pending = new AtomicInteger(groups.size());
		for (ChannelGroup group : groups) {
			// notified when every connection open now has closed (at once for an empty group)
			group.newCloseFuture().addListener(closed -> {
				if (pending.decrementAndGet() == 0) {
					drain.finish();
				}
			});
		}
	}

	private void finish() {
		if (!finished.compareAndSet(false, true)) {
			return;
		}
		ScheduledFuture<?> timer = deadline;
		if (timer != null) {
			timer.cancel(false);
		}
		int left = groups.stream().mapToInt(ChannelGroup::size).sum();
		if (left > 0) {
			log.info("Closing " + left + " L4 connections still open at the end of the shutdown grace period");
			groups.forEach(ChannelGroup::close);
		}
		done.run();
	}

}
