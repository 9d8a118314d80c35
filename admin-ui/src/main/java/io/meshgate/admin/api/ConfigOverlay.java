package io.meshgate.admin.api;

import java.util.Objects;

import io.meshgate.policy.route.MeshConfig;

/**
 * Routes and upstreams that run next to the stored ones but belong to another source (the
 * built-in demo, or {@code application.yml} when seeding is off): shown read-only, never stored.
 */
public record ConfigOverlay(String source, MeshConfig config) {

	public ConfigOverlay {
		Objects.requireNonNull(source, "source");
		config = config == null ? MeshConfig.EMPTY : config;
	}

}
