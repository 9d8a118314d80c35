package io.meshgate.policy.l4.proxy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;

import io.meshgate.policy.l4.L4Backend;
import io.meshgate.policy.l4.L4ConnectionPolicy;
import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;

/**
 * An L4 route while it serves connections: its backends with their meters, the count of its open
 * connections against {@code maxConnections}, and the choice of backend and endpoint for a new
 * connection. Built once per configuration; a connection keeps the route it started with.
 */
final class L4Route {

	private final String name;

	private final L4ConnectionPolicy policy;

	private final UpstreamRegistry upstreams;

	private final List<Target> targets;

	/** Cumulative weights of {@link #targets}: connection n goes to the first target above n mod total. */
	private final long[] cumulative;

	private final AtomicLong next = new AtomicLong();

	private final AtomicInteger active;

	private final Counter rejectedByLimit;

	private final Counter rejectedNoEndpoint;

	/**
	 * @param active the open connections of the route under this name, shared by the routes that
	 * replace one another, so that a limit counts the connections of the previous version too
	 */
	L4Route(String name, List<L4Backend> backends, L4ConnectionPolicy policy, UpstreamRegistry upstreams,
			MeterRegistry meters, AtomicInteger active) {
		this.name = name;
		this.policy = policy;
		this.upstreams = upstreams;
		this.active = active;
		List<Target> chosen = new ArrayList<>();
		for (L4Backend backend : backends) {
			if (backend.weight() > 0) {
				chosen.add(new Target(backend.upstream(), backend.weight(), new L4Meters(meters, name, backend.upstream())));
			}
		}
		this.targets = List.copyOf(chosen);
		this.cumulative = new long[targets.size()];
		long sum = 0;
		for (int i = 0; i < targets.size(); i++) {
			sum += targets.get(i).weight;
			cumulative[i] = sum;
		}
		this.rejectedByLimit = L4Meters.rejected(meters, name, "max_connections");
		this.rejectedNoEndpoint = L4Meters.rejected(meters, name, "no_endpoint");
	}

	String name() {
		return name;
	}

	L4ConnectionPolicy policy() {
		return policy;
	}

	int active() {
		return active.get();
	}

	/** Takes one of the route's connection slots; false (and counted) when all are taken. */
	boolean admit() {
		if (active.incrementAndGet() > policy.maxConnections()) {
			active.decrementAndGet();
			rejectedByLimit.increment();
			return false;
		}
		return true;
	}

	/** Gives back the slot {@link #admit} took. */
	void release() {
		active.decrementAndGet();
	}

	/**
	 * The backend and endpoint for a new connection from {@code client}, by weight and then by the
	 * upstream's load-balancing policy over its available endpoints; {@code null} (and counted)
	 * when the chosen upstream has none.
	 */
	Choice choose(InetSocketAddress client) {
		long total = cumulative[cumulative.length - 1];
		long ticket = Math.floorMod(next.getAndIncrement(), total);
		int index = 0;
		while (cumulative[index] <= ticket) {
			index++;
		}
		Target target = targets.get(index);
		UpstreamRuntime upstream = upstreams.get(target.upstream);
		List<UpstreamEndpoint> endpoints = upstream == null ? List.of() : upstream.endpoints();
		if (endpoints.isEmpty()) {
			rejectedNoEndpoint.increment();
			return null;
		}
		RequestData request = upstream.picker().readsRequest() ? request(client) : null;
		return new Choice(upstream, upstream.choose(endpoints, request, null), target.meters);
	}

	/** What ring hash on {@code client-address} reads: the client's address, nothing else. */
	private static RequestData request(InetSocketAddress client) {
		return new RequestData(HttpMethod.GET, URI.create("tcp://l4"), HttpHeaders.EMPTY, new LinkedMultiValueMap<>(),
				client == null ? Map.of() : Map.of(ExchangeAttributes.CLIENT_ADDRESS, client));
	}

	record Choice(UpstreamRuntime upstream, UpstreamEndpoint endpoint, L4Meters meters) {

	}

	private record Target(String upstream, int weight, L4Meters meters) {

	}

}
