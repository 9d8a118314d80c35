package io.meshgate.gateway;

import java.util.Properties;

import reactor.netty.ReactorNetty;

/**
 * One Reactor Netty event loop per CPU the JVM may use, for the ingress, the admin port and the
 * upstream calls alike. Reactor Netty starts at least four; on fewer CPUs the extra loops only add
 * hand-offs between threads: a request read on one loop and sent upstream on a pooled connection
 * owned by another wakes that loop, and the answer wakes the first one again. On one CPU, one loop
 * costs 7-12 % less CPU per request than four and has a median latency about 28 µs lower at
 * 4,000 req/s (docs/design/event-loops.md). On four CPUs or more nothing changes; an explicit
 * {@code -Dreactor.netty.ioWorkerCount} always wins.
 */
final class EventLoops {

	private EventLoops() {
	}

	/** Must run before Reactor Netty's {@code LoopResources} is first used: it reads the count once. */
	static void onePerCpu(Properties systemProperties, int cpus) {
		if (systemProperties.getProperty(ReactorNetty.IO_WORKER_COUNT) == null) {
			systemProperties.setProperty(ReactorNetty.IO_WORKER_COUNT, Integer.toString(Math.max(cpus, 1)));
		}
	}

}
