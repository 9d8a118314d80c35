package io.meshgate.policy.hash;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.security.ClaimPath;
import io.meshgate.policy.security.Identity;

/**
 * What part of a request identifies a client for hashing: {@code header:x-user},
 * {@code cookie:session}, {@code client-address}, or a part of the caller's verified identity
 * ({@link Identity}, never a header the client sends): {@code claim:sub} (a claim of the verified
 * token, {@code claim:realm.tenant} for a nested one, read as {@link ClaimPath} says; an array
 * claim is its elements joined by commas), {@code consumer} (the API key's consumer),
 * {@code principal} (the verified client certificate's peer principal) or
 * {@code request-principal} (the verified token's {@code iss/sub}). A request without the part
 * has no key: the policy using it says what then happens.
 */
public record HashKey(Source source, String name) {

	public enum Source {
		HEADER, COOKIE, CLIENT_ADDRESS, CLAIM, CONSUMER, PRINCIPAL, REQUEST_PRINCIPAL
	}

	/** The forms a key takes, as error messages name them. */
	public static final String EXPECTED = "header:<name>, cookie:<name>, client-address, claim:<name>, consumer, "
			+ "principal or request-principal";

	public HashKey {
		Objects.requireNonNull(source, "source");
		if (!named(source)) {
			name = null;
		}
		else if (name == null || name.isBlank()) {
			throw new IllegalArgumentException(
					"hashOn: " + source.name().toLowerCase(Locale.ROOT) + ": (expected: " + EXPECTED + ")");
		}
		else if (source == Source.CLAIM) {
			ClaimPath.of("hashOn", name);
		}
	}

	/** Parses {@code header:x-user}; also how configuration binding converts a string (by convention). */
	public static HashKey of(String text) {
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException("hashOn: " + text + " (expected: " + EXPECTED + ")");
		}
		String trimmed = text.trim();
		for (Source source : Source.values()) {
			if (!named(source) && trimmed.equalsIgnoreCase(text(source))) {
				return new HashKey(source, null);
			}
		}
		int colon = trimmed.indexOf(':');
		if (colon > 0) {
			String kind = trimmed.substring(0, colon).toLowerCase(Locale.ROOT);
			String name = trimmed.substring(colon + 1).trim();
			for (Source source : Source.values()) {
				if (named(source) && kind.equals(text(source)) && !name.isEmpty()) {
					return new HashKey(source, name);
				}
			}
		}
		throw new IllegalArgumentException("hashOn: " + text + " (expected: " + EXPECTED + ")");
	}

	/** The key's value in the request of {@code exchange}, or {@code null} when the request does not carry it. */
	public String valueIn(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		return valueIn(request.getHeaders(), request.getCookies(), ExchangeAttributes.clientAddress(exchange),
				Identity.of(exchange));
	}

	/**
	 * The key's value in a request, or {@code null} when the request does not carry it.
	 * @param identity the request's verified identity ({@link Identity#ANONYMOUS} when none)
	 */
	public String valueIn(HttpHeaders headers, MultiValueMap<String, ?> cookies, InetSocketAddress client,
			Identity identity) {
		return switch (source) {
			case HEADER -> headers.getFirst(name);
			case COOKIE -> cookieValue(cookies.get(name));
			case CLIENT_ADDRESS -> address(client);
			default -> valueIn(identity);
		};
	}

	private String valueIn(Identity identity) {
		return switch (source) {
			case CLAIM -> identity.claims().isEmpty() ? null : ClaimPath.of("hashOn", name).key(identity.claims());
			case CONSUMER -> identity.consumer();
			case PRINCIPAL -> identity.peer() == null ? null : identity.peer().principal();
			case REQUEST_PRINCIPAL -> identity.requestPrincipal();
			default -> throw new IllegalStateException("not a part of the identity: " + source);
		};
	}

	private static String address(InetSocketAddress client) {
		return client == null ? null
				: client.getAddress() != null ? client.getAddress().getHostAddress() : client.getHostString();
	}

	private static String cookieValue(List<?> values) {
		if (values == null || values.isEmpty()) {
			return null;
		}
		Object first = values.get(0);
		return first instanceof HttpCookie cookie ? cookie.getValue() : String.valueOf(first);
	}

	/** Whether keys of {@code source} name a part ({@code header:x-user}) rather than being one ({@code consumer}). */
	private static boolean named(Source source) {
		return source == Source.HEADER || source == Source.COOKIE || source == Source.CLAIM;
	}

	/** {@code header}, {@code client-address}, {@code request-principal}: the source as written. */
	private static String text(Source source) {
		return source.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	@Override
	public String toString() {
		return named(source) ? text(source) + ":" + name : text(source);
	}

}
