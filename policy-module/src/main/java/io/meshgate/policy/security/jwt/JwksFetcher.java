package io.meshgate.policy.security.jwt;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Fetches a JWK Set over HTTP(S), bounded: at most {@link #TIMEOUT} from connecting to the last
 * byte, at most {@link #MAX_BYTES} of body, no redirects, status 200 only. Non-blocking (Reactor
 * Netty); the text is handed on as it came, for parsing off the event loop.
 */
public final class JwksFetcher {

	/** Key sets are a few kilobytes; an IdP's answer beyond this is not a key set. */
	public static final int MAX_BYTES = 512 * 1024;

	public static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final HttpClient client;

	public JwksFetcher() {
		this.client = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TIMEOUT.toMillis())
			.responseTimeout(TIMEOUT)
			.followRedirect(false)
			.headers(headers -> headers.set("Accept", "application/json, application/jwk-set+json"));
	}

	/** The body of {@code uri}'s answer; fails with {@link JwksFetchException} (a fixed text). */
	public Mono<String> fetch(URI uri) {
		return client.get().uri(uri).response((response, body) -> {
			if (response.status().code() != 200) {
				return Mono.error(new JwksFetchException("status " + response.status().code() + " (expected: 200)"));
			}
			String length = response.responseHeaders().get("Content-Length");
			if (length != null && length.length() < 12 && Long.parseLong(length.trim()) > MAX_BYTES) {
				return Mono.error(new JwksFetchException("larger than " + MAX_BYTES + " bytes"));
			}
			return body.asByteArray().reduce(new ByteArrayOutputStream(), (out, chunk) -> {
				if (out.size() + chunk.length > MAX_BYTES) {
					throw new JwksFetchException("larger than " + MAX_BYTES + " bytes");
				}
				out.write(chunk, 0, chunk.length);
				return out;
			}).map(out -> out.toString(StandardCharsets.UTF_8));
		}).next().timeout(TIMEOUT).onErrorMap(ex -> !(ex instanceof JwksFetchException),
				ex -> new JwksFetchException(ex.getClass().getSimpleName()));
	}

	/** Why a fetch failed, in a text of the gateway's own (never the answer's body). */
	public static final class JwksFetchException extends RuntimeException {

		JwksFetchException(String message) {
			super(message, null, false, false);
		}

	}

}
