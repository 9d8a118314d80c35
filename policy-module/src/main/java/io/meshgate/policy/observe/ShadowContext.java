package io.meshgate.policy.observe;

import io.micrometer.observation.transport.RequestReplySenderContext;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The observation context of one shadow copy: its carrier is the copy's headers, so that the
 * tracing handler writes the shadow span's {@code traceparent} into them.
 */
public final class ShadowContext extends RequestReplySenderContext<HttpHeaders, Integer> {

	private final String route;

	private final String mirror;

	private final ServerTrace primary;

	/** @param primary the primary request's server span, the shadow span's parent */
	public ShadowContext(HttpHeaders headers, String route, String mirror, ServerTrace primary) {
		super((carrier, key, value) -> carrier.set(key, value));
		setCarrier(headers);
		this.route = route;
		this.mirror = mirror;
		this.primary = primary;
	}

	public String route() {
		return route;
	}

	public String mirror() {
		return mirror;
	}

	public ServerTrace primary() {
		return primary;
	}

}
