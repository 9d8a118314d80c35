package io.meshgate.policy.route;

/**
 * The arguments of the {@code PathMatch} predicate: {@code PathMatch=PREFIX, /shop}.
 *
 * @param type how {@code path} is read; default {@code PATTERN}
 * @param path the path, pattern or regular expression; required
 */
public record PathMatch(PathType type, String path) {

	public PathMatch {
		type = type == null ? PathType.PATTERN : type;
		type.matcher(path);
	}

}
