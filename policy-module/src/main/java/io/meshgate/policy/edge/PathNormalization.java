package io.meshgate.policy.edge;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the ingress normalizes request paths before anything reads them ({@code meshgate.edge.path}),
 * as Envoy's {@code normalize_path}, {@code merge_slashes} and
 * {@code path_with_escaped_slashes_action}. Route matching of every kind, rate limits, rewrites
 * and the upstream all see the one normalized path, so a path cannot mean one thing to a route
 * and another to the upstream.
 *
 * @param mergeSlashes whether {@code //} becomes {@code /}; default {@code true}: most upstreams
 * (nginx, Tomcat, Spring) merge them, so {@code //secret} would reach a route's {@code /secret}
 * while passing a route that denies {@code /secret}
 * @param escapedSlashes what to do with {@code %2F} and {@code %5C} (any case); default
 * {@code REJECT}: an upstream that decodes them sees other path segments than the gateway matched
 * @param parameters what to do with path parameters ({@code /a;x/b}); default {@code REJECT}:
 * servlet containers drop them, so {@code /internal;x/a} is {@code /internal/a} upstream
 */
@ConfigurationProperties("meshgate.edge.path")
public record PathNormalization(Boolean mergeSlashes, EscapedSlashes escapedSlashes, PathParameters parameters) {

	public static final boolean DEFAULT_MERGE_SLASHES = true;

	public static final EscapedSlashes DEFAULT_ESCAPED_SLASHES = EscapedSlashes.REJECT;

	public static final PathParameters DEFAULT_PARAMETERS = PathParameters.REJECT;

	/** Envoy's {@code path_with_escaped_slashes_action}, for {@code %2F}, {@code %2f}, {@code %5C}, {@code %5c}. */
	public enum EscapedSlashes {

		/** The request is answered 400 (Envoy's {@code REJECT_REQUEST}). */
		REJECT,
		/** Kept encoded (upper-case hex): one path segment to the gateway (Envoy's {@code KEEP_UNCHANGED}). */
		KEEP,
		/** Decoded to {@code /} before dot segments are removed (Envoy's {@code UNESCAPE_AND_FORWARD}). */
		DECODE

	}

	/** What {@code ;} in a path segment does: everything from it to the segment's end is a parameter. */
	public enum PathParameters {

		/** The request is answered 400. */
		REJECT,
		/** Parameters are removed ({@code /a;x/b} becomes {@code /a/b}) before dot segments are removed. */
		STRIP

	}

	public PathNormalization {
		mergeSlashes = mergeSlashes == null ? DEFAULT_MERGE_SLASHES : mergeSlashes;
		escapedSlashes = escapedSlashes == null ? DEFAULT_ESCAPED_SLASHES : escapedSlashes;
		parameters = parameters == null ? DEFAULT_PARAMETERS : parameters;
	}

	/** The documented defaults. */
	public static PathNormalization defaults() {
		return new PathNormalization(null, null, null);
	}

}
