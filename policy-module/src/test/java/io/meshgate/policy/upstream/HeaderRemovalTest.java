package io.meshgate.policy.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.filter.headers.GRPCRequestHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.GRPCResponseHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter.Type;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.TransferEncodingNormalizationHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.XForwardedHeadersFilter;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HeaderRemoval} against the Spring Cloud Gateway filters it stands for: the same headers
 * come out, for requests and responses, over thousands of generated header sets.
 */
class HeaderRemovalTest {

	private static final List<String> NAMES = List.of("Accept", "X-Request-Id", "Forwarded", "forwarded",
			"X-Forwarded-For", "x-forwarded-proto", "X-Forwarded-Host", "X-Forwardedness", "Connection", "Keep-Alive",
			"TE", "Trailer", "Transfer-Encoding", "Upgrade", "Proxy-Authorization", "Proxy-Authenticate",
			"X-Application-Context", "Content-Type", "Content-Length", "X-Custom", "x-other", "Cookie");

	private static final List<String> VALUES = List.of("a", "b, c", "gzip", "trailers", "keep-alive", "close",
			"X-Custom", "x-custom, X-Other", "application/grpc", "application/grpc+proto", "text/plain", "chunked", "12",
			"for=192.0.2.1", "203.0.113.7", " Keep-Alive ", ", X-Custom,,x-other , ", "");

	private final ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));

	@Test
	void removesWhatTheGatewaysFiltersRemoveOnRequestsAndResponses() {
		List<HttpHeadersFilter> gateways = sorted(new RemoveForwardedHeadersFilter(), new RemoveXForwardedHeadersFilter(),
				new TransferEncodingNormalizationHeadersFilter(), new RemoveHopByHopHeadersFilter(),
				new GRPCRequestHeadersFilter(), new GRPCResponseHeadersFilter());
		List<HttpHeadersFilter> merged = HeaderRemoval.inPlaceOf(gateways);
		assertThat(merged).hasSize(4).filteredOn(HeaderRemoval.class::isInstance).hasSize(2);

		Random random = new Random(42);
		for (int i = 0; i < 5000; i++) {
			HttpHeaders input = randomHeaders(random);
			for (Type type : Type.values()) {
				assertThat(normalized(HttpHeadersFilter.filter(merged, HttpHeaders.copyOf(input), exchange, type)))
					.as("%s %s", type, input)
					.isEqualTo(normalized(HttpHeadersFilter.filter(gateways, input, exchange, type)));
			}
		}
	}

	@Test
	void requestWithoutAnythingToRemoveIsNotCopied() {
		HttpHeaders input = HttpHeaders.readOnlyHttpHeaders(headers("Host", "shop", "Accept", "*/*"));

		HttpHeaders output = HttpHeadersFilter.filter(HeaderRemoval.inPlaceOf(defaults()), input, exchange, Type.REQUEST);

		assertThat(output).isSameAs(input);
	}

	@Test
	void connectionOptionsAndGrpcTrailers() {
		HttpHeaders input = headers("Connection", "close, X-Custom", "X-Custom", "1", "X-Kept", "2", "TE", "gzip",
				"Content-Type", "application/grpc");

		HttpHeaders output = HttpHeadersFilter.filter(HeaderRemoval.inPlaceOf(defaults()), input, exchange, Type.REQUEST);

		assertThat(output.headerNames()).containsExactlyInAnyOrder("X-Kept", "Content-Type", "te");
		assertThat(output.get("te")).containsExactly("trailers");
	}

	@Test
	void responsesKeepForwardedHeaders() {
		HttpHeaders input = headers("Forwarded", "for=192.0.2.1", "X-Forwarded-For", "192.0.2.1", "Keep-Alive", "5");

		HttpHeaders output = HttpHeadersFilter.filter(HeaderRemoval.inPlaceOf(defaults()), input, exchange,
				Type.RESPONSE);

		assertThat(output.headerNames()).containsExactlyInAnyOrder("Forwarded", "X-Forwarded-For");
	}

	@Test
	void responsesAreChangedInPlaceUnlessReadOnly() {
		HttpHeaders fresh = headers("Keep-Alive", "5", "Content-Length", "3");
		HttpHeaders readOnly = HttpHeaders.readOnlyHttpHeaders(headers("Keep-Alive", "5", "Content-Length", "3"));
		List<HttpHeadersFilter> merged = HeaderRemoval.inPlaceOf(defaults());

		assertThat(HttpHeadersFilter.filter(merged, fresh, exchange, Type.RESPONSE)).isSameAs(fresh);
		assertThat(fresh.headerNames()).containsExactly("Content-Length");
		HttpHeaders copied = HttpHeadersFilter.filter(merged, readOnly, exchange, Type.RESPONSE);
		assertThat(copied.headerNames()).containsExactly("Content-Length");
		assertThat(readOnly.headerNames()).containsExactlyInAnyOrder("Keep-Alive", "Content-Length");
	}

	@Test
	void configuredHopByHopHeadersAndOrderAreKept() {
		RemoveHopByHopHeadersFilter hopByHop = new RemoveHopByHopHeadersFilter();
		hopByHop.setHeaders(Set.of("X-Internal", "connection"));
		hopByHop.setOrder(500);
		List<HttpHeadersFilter> gateways = sorted(new RemoveForwardedHeadersFilter(), new RemoveXForwardedHeadersFilter(),
				hopByHop, new GRPCRequestHeadersFilter());
		HttpHeaders input = headers("X-Internal", "1", "Keep-Alive", "5", "Accept", "*/*");

		List<HttpHeadersFilter> merged = HeaderRemoval.inPlaceOf(gateways);

		assertThat(merged).allSatisfy(filter -> assertThat(((HeaderRemoval) filter).getOrder()).isEqualTo(500));
		assertThat(HttpHeadersFilter.filter(merged, input, exchange, Type.REQUEST).headerNames())
			.containsExactlyInAnyOrder("Keep-Alive", "Accept");
	}

	@Test
	void gatewaysFiltersStayWhenAnotherFilterCouldSeeTheDifference() {
		HttpHeadersFilter readsForwarded = (headers, exchange) -> headers;
		List<HttpHeadersFilter> withOwnFilter = new ArrayList<>(defaults());
		withOwnFilter.add(2, readsForwarded);
		// trusted proxies configured: the gateway adds X-Forwarded-* instead of removing them
		List<HttpHeadersFilter> trustedProxies = sorted(new RemoveForwardedHeadersFilter(),
				new XForwardedHeadersFilter("10\\..*"), new RemoveHopByHopHeadersFilter(), new GRPCRequestHeadersFilter());

		List<HttpHeadersFilter> ownFilterLast = new ArrayList<>(defaults());
		ownFilterLast.add(readsForwarded);

		assertThat(HeaderRemoval.inPlaceOf(withOwnFilter)).isSameAs(withOwnFilter);
		assertThat(HeaderRemoval.inPlaceOf(ownFilterLast)).isSameAs(ownFilterLast);
		assertThat(HeaderRemoval.inPlaceOf(trustedProxies)).isSameAs(trustedProxies);
	}

	private static List<HttpHeadersFilter> defaults() {
		return sorted(new RemoveForwardedHeadersFilter(), new RemoveXForwardedHeadersFilter(),
				new TransferEncodingNormalizationHeadersFilter(), new RemoveHopByHopHeadersFilter(),
				new GRPCRequestHeadersFilter());
	}

	private static List<HttpHeadersFilter> sorted(HttpHeadersFilter... filters) {
		List<HttpHeadersFilter> list = new ArrayList<>(List.of(filters));
		AnnotationAwareOrderComparator.sort(list);
		return list;
	}

	private static HttpHeaders randomHeaders(Random random) {
		HttpHeaders headers = new HttpHeaders();
		int count = random.nextInt(8);
		for (int i = 0; i < count; i++) {
			headers.add(NAMES.get(random.nextInt(NAMES.size())), VALUES.get(random.nextInt(VALUES.size())));
		}
		return headers;
	}

	private static HttpHeaders headers(String... namesAndValues) {
		HttpHeaders headers = new HttpHeaders();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			headers.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return headers;
	}

	/** Names in lower case, values in order: what a proxied call carries. */
	private static Map<String, List<String>> normalized(HttpHeaders headers) {
		Map<String, List<String>> result = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.forEach((name, values) -> result.put(name.toLowerCase(), values));
		return result;
	}

}
