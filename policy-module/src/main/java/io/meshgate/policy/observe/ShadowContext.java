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

	public ShadowContext(HttpHeaders headers, String route, String mirror) {
		super((carrier, key, value) -> carrier.set(key, value));
		setCarrier(headers);
		this.route = route;
		this.mirror = mirror;
	}

	public String route() {
		return route;
	}

	public String mirror() {
		return mirror;
	}

}
