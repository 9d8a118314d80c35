package io.meshgate.policy.endpoint;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.cloud.client.ServiceInstance;

/**
 * A live endpoint of an upstream, as Spring Cloud LoadBalancer sees it. It also carries the
 * per-endpoint state that policies read on the request path (in-flight requests) and the counts
 * the admin UI reads (calls, failed calls), so that the
 * state survives endpoint-list refreshes: the registry hands out the same object for the same
 * address for as long as the address stays in the upstream.
 * <p>
 * This package is what the upstream policies share: load balancing, health checks, outlier
 * detection and discovery read and update endpoints here, and never depend on {@code upstream},
 * which composes them.
 */
public final class UpstreamEndpoint implements ServiceInstance {

	private final String upstream;

	private final URI uri;

	private final String address;

	private final int weight;

	private final Map<String, String> metadata;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final LongAdder calls = new LongAdder();

	private final LongAdder failedCalls = new LongAdder();

	private final EndpointHealth health = new EndpointHealth();

	public UpstreamEndpoint(String upstream, URI uri, int weight, Map<String, String> metadata) {
		this.upstream = upstream;
		this.uri = uri;
		this.address = uri.getHost() + ":" + port(uri);
		this.weight = weight;
		this.metadata = Map.copyOf(metadata);
	}

	private static int port(URI uri) {
		return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
	}

	/** {@code host:port}, the endpoint's identity on every replica (ring hash points use it). */
	public String address() {
		return address;
	}

	public int weight() {
		return weight;
	}

	public EndpointHealth health() {
		return health;
	}

	public int inFlight() {
		return inFlight.get();
	}

	/** Calls started since the endpoint joined its upstream; only ever grows. */
	public long calls() {
		return calls.sum();
	}

	/** Calls that ended without an answer or with a 5xx answer; only ever grows. */
	public long failedCalls() {
		return failedCalls.sum();
	}

	public void requestStarted() {
		inFlight.incrementAndGet();
		calls.increment();
	}

	/**
	 * An open WebSocket session: in flight until {@link #sessionClosed()}, for least-request
	 * balancing, but no call of its own (its handshake was the call).
	 */
	public void sessionOpened() {
		inFlight.incrementAndGet();
	}

	public void sessionClosed() {
		inFlight.decrementAndGet();
	}

	/** @param failed whether the call ended without an answer or with a 5xx answer */
	public void requestFinished(boolean failed) {
		inFlight.decrementAndGet();
		if (failed) {
			failedCalls.increment();
		}
	}

	@Override
	public String getServiceId() {
		return upstream;
	}

	@Override
	public String getInstanceId() {
		return address;
	}

	@Override
	public String getHost() {
		return uri.getHost();
	}

	@Override
	public int getPort() {
		return port(uri);
	}

	@Override
	public boolean isSecure() {
		return "https".equals(uri.getScheme());
	}


	@Override
	public URI getUri() {
		return uri;
	}

	@Override
	public String getScheme() {
		return uri.getScheme();
	}

	@Override
	public Map<String, String> getMetadata() {
		return metadata;
	}

	@Override
	public String toString() {
		return upstream + "/" + address + (weight != 1 ? " weight " + weight : "");
	}

}
