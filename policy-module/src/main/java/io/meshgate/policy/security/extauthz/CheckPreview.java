package io.meshgate.policy.security.extauthz;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.server.ServerWebExchange;

/**
 * The check a request would send the auth service, built by the code that sends it
 * ({@link CheckRequest}) but never sent: for the admin API's route tester. The client's headers are
 * named, never given (they carry tokens and cookies); the ones the gateway writes are given.
 *
 * @param uri the auth service
 * @param method the request's method, as the check sends it
 * @param pathAndQuery appended to the auth service's path
 * @param clientHeaders the client's headers that go, of {@code includeRequestHeadersInCheck}
 * @param gatewayHeaders the headers the gateway writes, with their values
 */
public record CheckPreview(URI uri, String method, String pathAndQuery, List<String> clientHeaders,
		Map<String, String> gatewayHeaders) {

	/** The check {@code policy} makes of {@code exchange}. */
	public static CheckPreview of(ExtAuthzPolicy policy, ServerWebExchange exchange) {
		CheckRequest check = CheckRequest.of(exchange, policy.includeRequestHeadersInCheck());
		List<String> client = new ArrayList<>();
		Map<String, String> gateway = new LinkedHashMap<>();
		for (String name : check.headers().names()) {
			if (policy.includeRequestHeadersInCheck().stream().anyMatch(name::equalsIgnoreCase)) {
				client.add(name);
			}
			else {
				gateway.put(name, check.headers().get(name));
			}
		}
		return new CheckPreview(policy.uri(), check.method(), check.pathAndQuery(), List.copyOf(client),
				Collections.unmodifiableMap(gateway));
	}

}
