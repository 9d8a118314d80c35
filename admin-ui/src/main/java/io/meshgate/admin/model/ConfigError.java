package io.meshgate.admin.model;

/**
 * One problem in a submitted configuration: where ({@code routes[orders].backends[1].weight}) and
 * what ({@code weight: -5 (expected: >= 0)}).
 */
public record ConfigError(String path, String message) {

}
