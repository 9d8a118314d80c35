package io.meshgate.policy.endpoint;

import java.util.List;

/**
 * Where an upstream's endpoints come from: a static list, or a discovery mechanism that changes
 * the list while the gateway runs. {@link #endpoints()} is read on the request path and must
 * answer from memory.
 */
public interface EndpointSource extends AutoCloseable {

	/** The current endpoints, an immutable snapshot. */
	List<UpstreamEndpoint> endpoints();

	/** Stops following changes; a static source has nothing to stop. */
	@Override
	default void close() {
	}

	static EndpointSource fixed(List<UpstreamEndpoint> endpoints) {
		List<UpstreamEndpoint> copy = List.copyOf(endpoints);
		return () -> copy;
	}

}
