package io.meshgate.policy.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

import io.meshgate.policy.schema.Example;

/**
 * One statically configured endpoint of an upstream: {@code http://10.0.0.7:8080} with a
 * load-balancing weight. Written in YAML either as the bare URI (weight 1) or as
 * {@code {uri: http://10.0.0.7:8080, weight: 3}}. Endpoints of a {@code TCP} upstream are
 * {@code tcp://host:port}, always with a port: TCP has no default one.
 */
public record EndpointSpec(@Example("http://10.0.0.7:8080") URI uri, Integer weight) {

	public static final int DEFAULT_WEIGHT = 1;

	public static final int MAX_WEIGHT = 1000;

	/** The scheme of a TCP upstream's endpoints. */
	public static final String TCP = "tcp";

	public EndpointSpec {
		Objects.requireNonNull(uri, "uri");
		String scheme = uri.getScheme();
		if (!"http".equals(scheme) && !"https".equals(scheme) && !TCP.equals(scheme)) {
			throw new IllegalArgumentException(
					"uri: " + uri + " (expected: http://host:port, https://host:port or tcp://host:port)");
		}
		if (TCP.equals(scheme) && uri.getPort() == -1) {
			throw new IllegalArgumentException("uri: " + uri + " (expected: a port, as in tcp://host:5432)");
		}
		if (uri.getHost() == null) {
			throw new IllegalArgumentException("uri: " + uri + " (expected: a host, as in http://host:port)");
		}
		if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
				|| uri.getRawQuery() != null) {
			throw new IllegalArgumentException("uri: " + uri + " (expected: scheme, host and port only, no path)");
		}
		if (weight == null) {
			weight = DEFAULT_WEIGHT;
		}
		if (weight < 1 || weight > MAX_WEIGHT) {
			throw new IllegalArgumentException("weight: " + weight + " (expected: 1-" + MAX_WEIGHT + ")");
		}
		uri = URI.create(scheme + "://" + uri.getRawAuthority());
	}

	/** Parses the bare-URI form; also how configuration binding converts a string (by convention). */
	public static EndpointSpec of(String text) {
		try {
			return new EndpointSpec(new URI(text.trim()), DEFAULT_WEIGHT);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("uri: " + text + " (expected: http://host:port)");
		}
	}

	/** The port to connect to, the scheme's default when the URI has none. */
	public int port() {
		return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
	}

	/** Whether this is a {@code tcp://} endpoint of a TCP upstream. */
	public boolean tcp() {
		return TCP.equals(uri.getScheme());
	}

	public boolean secure() {
		return "https".equals(uri.getScheme());
	}

}
