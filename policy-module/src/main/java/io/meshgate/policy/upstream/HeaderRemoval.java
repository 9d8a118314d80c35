package io.meshgate.policy.upstream;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.cloud.gateway.filter.headers.GRPCRequestHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.TransferEncodingNormalizationHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.observe.UpstreamTraceHeaders;

/**
 * What Spring Cloud Gateway's default header filters do to a proxied call, with at most one copy
 * of the headers, made only when something goes. On a request: remove {@code Forwarded}
 * ({@link RemoveForwardedHeadersFilter}), {@code X-Forwarded-*} ({@link RemoveXForwardedHeadersFilter}),
 * the hop-by-hop headers and those the {@code Connection} header names ({@link RemoveHopByHopHeadersFilter},
 * with its configured list), and add {@code te: trailers} to gRPC calls ({@link GRPCRequestHeadersFilter}).
 * A client's {@code Connection} header reaches this point naming nothing but {@code close},
 * {@code keep-alive} and {@code upgrade}: the edge ({@code edge.ClientHeaders}) removed the headers it
 * named before the route's header changes, so a client can never name a header a route set.
 * On a response: remove the hop-by-hop headers, in place (the routing filter hands the filters a
 * fresh copy of the upstream's response headers; a read-only one is copied).
 * <p>
 * Each of those filters copied every header of every call into a new case-insensitive map (the
 * hop-by-hop one also lowercased every name and copied its set of names), four copies per request
 * and one per response: about a tenth of the gateway's CPU samples under load. A request as the
 * client sent it is checked on Reactor Netty's own headers (Spring's header views build a set of
 * names each time they are iterated), and most requests need no change at all.
 * <p>
 * {@link #inPlaceOf} replaces them only where nothing else could tell the difference: all four
 * present, and from the first of them on only filters that neither read nor write these headers.
 * Otherwise the gateway's own filters stay, unchanged.
 */
public final class HeaderRemoval implements HttpHeadersFilter, Ordered {

	private static final String TE = "te";

	private final Type type;

	/** Lowercase, as {@link RemoveHopByHopHeadersFilter#getHeaders()} keeps them. */
	private final Set<String> hopByHop;

	private final int order;

	private HeaderRemoval(Type type, RemoveHopByHopHeadersFilter hopByHop) {
		this.type = type;
		this.hopByHop = Set.copyOf(hopByHop.getHeaders());
		this.order = hopByHop.getOrder();
	}

	/**
	 * {@code filters} (sorted, as the gateway applies them) with the gateway's removing filters
	 * replaced by one for requests and one for responses, where that changes nothing else.
	 */
	public static List<HttpHeadersFilter> inPlaceOf(List<HttpHeadersFilter> filters) {
		int first = -1;
		int last = -1;
		int found = 0;
		RemoveHopByHopHeadersFilter hopByHop = null;
		for (int i = 0; i < filters.size(); i++) {
			HttpHeadersFilter filter = filters.get(i);
			if (replaced(filter)) {
				first = first < 0 ? i : first;
				last = i;
				found++;
				if (filter.getClass() == RemoveHopByHopHeadersFilter.class) {
					hopByHop = (RemoveHopByHopHeadersFilter) filter;
				}
			}
		}
		// after the first of them, only filters known not to care: with the four replaced, the ones
		// after the last get the request's own read-only headers, not the gRPC filter's fresh copy
		if (found != 4 || !(filters.get(last) instanceof GRPCRequestHeadersFilter)
				|| filters.subList(first, filters.size()).stream().anyMatch(f -> !replaced(f) && !indifferent(f))) {
			return filters;
		}
		List<HttpHeadersFilter> result = new ArrayList<>(filters.size() - 2);
		for (HttpHeadersFilter filter : filters) {
			if (filter == hopByHop) {
				result.add(new HeaderRemoval(Type.REQUEST, hopByHop));
				result.add(new HeaderRemoval(Type.RESPONSE, hopByHop));
			}
			else if (!replaced(filter)) {
				result.add(filter);
			}
		}
		return result;
	}

	private static boolean replaced(HttpHeadersFilter filter) {
		Class<?> type = filter.getClass();
		return type == RemoveForwardedHeadersFilter.class || type == RemoveXForwardedHeadersFilter.class
				|| type == RemoveHopByHopHeadersFilter.class || type == GRPCRequestHeadersFilter.class;
	}

	/** Filters that may run before or after this one: they touch none of its headers. */
	private static boolean indifferent(HttpHeadersFilter filter) {
		Class<?> type = filter.getClass();
		return type == TransferEncodingNormalizationHeadersFilter.class || type == UpstreamTraceHeaders.class
				|| !filter.supports(Type.REQUEST);
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		io.netty.handler.codec.http.HttpHeaders received = type == Type.REQUEST ? asReceived(input, exchange) : null;
		if (received != null && !changesAny(received)) {
			return input;
		}
		List<String> connection = input.get(HttpHeaders.CONNECTION);
		boolean grpc = type == Type.REQUEST
				&& StringUtils.startsWithIgnoreCase(input.getFirst(HttpHeaders.CONTENT_TYPE), "application/grpc");
		List<String> removed = present(input, received, connection == null ? List.of() : connection);
		if (removed.isEmpty() && !grpc) {
			return input;
		}
		if (type == Type.RESPONSE && input.getClass() == HttpHeaders.class) {
			// the routing filter's own copy of the upstream's headers, made for the filters to change
			removed.forEach(input::remove);
			return input;
		}
		// copyOf copies the map as it is; iterating Spring's header views would build a set of names first
		HttpHeaders kept = HttpHeaders.copyOf(input);
		removed.forEach(kept::remove);
		if (grpc) {
			kept.add(TE, "trailers");
		}
		return kept;
	}

	/**
	 * The names in {@code input} that go. The hop-by-hop ones and the connection options are looked
	 * up (a response, with its {@code Connection} header, always has one); only a request's names
	 * are iterated, for {@code Forwarded} and the {@code X-Forwarded-} prefix: as Reactor Netty
	 * holds them ({@code received}) when the request's headers are as the client sent them (every
	 * gRPC call and HTTP/2 request comes here: they get {@code te} and lose {@code transfer-encoding}).
	 */
	private List<String> present(HttpHeaders input, io.netty.handler.codec.http.HttpHeaders received,
			List<String> connection) {
		List<String> present = new ArrayList<>(2);
		for (String name : hopByHop) {
			if (input.containsHeader(name)) {
				present.add(name);
			}
		}
		for (String value : connection) {
			addOptionsPresent(input, value, present);
		}
		if (received != null) {
			Iterator<Map.Entry<CharSequence, CharSequence>> headers = received.iteratorCharSequence();
			while (headers.hasNext()) {
				CharSequence name = headers.next().getKey();
				if (forwarded(name)) {
					present.add(name.toString());
				}
			}
		}
		else if (type == Type.REQUEST) {
			for (String name : input.headerNames()) {
				if (forwarded(name)) {
					present.add(name);
				}
			}
		}
		return present;
	}

	/**
	 * The request's headers as Reactor Netty holds them, when {@code input} is exactly what the
	 * client sent: Spring's views of them build a set of names on every iteration, Netty's do not.
	 */
	private static io.netty.handler.codec.http.HttpHeaders asReceived(HttpHeaders input, ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		if (input != request.getHeaders()) {
			return null;
		}
		try {
			Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			return nativeRequest instanceof HttpServerRequest netty ? netty.requestHeaders() : null;
		}
		catch (IllegalArgumentException | IllegalStateException notNetty) {
			return null; // another server, or a mock
		}
	}

	/** Whether a request with these headers needs anything removed or added. */
	private boolean changesAny(io.netty.handler.codec.http.HttpHeaders received) {
		if (received.contains(HttpHeaderNames.CONNECTION)) {
			return true; // a hop-by-hop header itself
		}
		String contentType = received.get(HttpHeaderNames.CONTENT_TYPE);
		if (StringUtils.startsWithIgnoreCase(contentType, "application/grpc")) {
			return true;
		}
		Iterator<Map.Entry<CharSequence, CharSequence>> headers = received.iteratorCharSequence();
		while (headers.hasNext()) {
			if (requestRemoves(headers.next().getKey())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Adds to {@code present} the header names a {@code Connection} value lists (comma-separated
	 * tokens, trimmed, empty ones skipped) that {@code input} has. Scanned in place: an upstream's
	 * answer nearly always carries one, mostly the single token {@code keep-alive}, which is then
	 * looked up as the value it is, with no tokenizer, array or list per response.
	 */
	private static void addOptionsPresent(HttpHeaders input, String connection, List<String> present) {
		int start = 0;
		while (start <= connection.length()) {
			int comma = connection.indexOf(',', start);
			int end = comma < 0 ? connection.length() : comma;
			String option = start == 0 && end == connection.length() ? connection.trim()
					: connection.substring(start, end).trim();
			if (!option.isEmpty() && input.containsHeader(option)) {
				present.add(option);
			}
			start = end + 1;
		}
	}

	/** Whether a request header of this name goes; takes Netty's names as they are (no String made). */
	private boolean requestRemoves(CharSequence name) {
		return forwarded(name) || containsIgnoreCase(hopByHop, name);
	}

	/**
	 * Whether a request header of this name carries forwarding information ({@code Forwarded},
	 * {@code X-Forwarded-*}): never sent on to an upstream or a mirror, whoever wrote it. Except
	 * {@code x-forwarded-client-cert}: the edge removes a client's
	 * ({@code security.peer.PeerIdentityFilter}), so the one left is the gateway's own.
	 */
	public static boolean forwarded(CharSequence name) {
		return AsciiString.contentEqualsIgnoreCase(name, "forwarded")
				|| AsciiString.regionMatches(name, true, 0, "x-forwarded-", 0, "x-forwarded-".length())
						&& !AsciiString.contentEqualsIgnoreCase(name, "x-forwarded-client-cert");
	}

	/** Without lowercasing {@code name}: most names are not in the (short) list. */
	private static boolean containsIgnoreCase(Iterable<String> names, CharSequence name) {
		for (String candidate : names) {
			if (AsciiString.contentEqualsIgnoreCase(candidate, name)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public boolean supports(Type type) {
		return this.type == type;
	}

	@Override
	public int getOrder() {
		return order;
	}

}
