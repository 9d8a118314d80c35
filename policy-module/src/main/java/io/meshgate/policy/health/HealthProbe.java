package io.meshgate.policy.health;

import reactor.core.publisher.Mono;

import io.meshgate.policy.endpoint.UpstreamEndpoint;

/**
 * How {@link HealthChecker} checks one endpoint: {@code GET path} for an HTTP upstream
 * ({@link HttpProbe}), gRPC's {@code Health/Check} ({@link GrpcProbe}), a TCP connect for an L4 one. Its {@code toString()} names the check in the
 * log line of a verdict change.
 */
public interface HealthProbe {

	/** The checks of one round: what they share (a client) is set up once per round. */
	Round round();

	interface Round {

		/** Whether {@code endpoint} passes; the checker bounds it by the policy's timeout. */
		Mono<Boolean> check(UpstreamEndpoint endpoint);

	}

}
