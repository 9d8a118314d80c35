package io.meshgate.policy.health;

import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/** {@code GET path} on the endpoint with the upstream's own client; passes on any 2xx answer. */
final class HttpProbe implements HealthProbe {

	private final Supplier<HttpClient> client;

	private final HealthCheckPolicy policy;

	/** @param client the upstream's own HTTP client (its TLS), asked anew for every round */
	HttpProbe(Supplier<HttpClient> client, HealthCheckPolicy policy) {
		this.client = client;
		this.policy = policy;
	}

	@Override
	public Round round() {
		HttpClient http = client.get().responseTimeout(policy.timeout());
		return endpoint -> http.get()
			.uri(endpoint.getUri() + policy.path())
			.responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
			.map(status -> status >= 200 && status < 300);
	}

	@Override
	public String toString() {
		return "GET " + policy.path();
	}

}
