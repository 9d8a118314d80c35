package io.meshgate.policy.route;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.adapter.DefaultServerWebExchange;
import org.springframework.web.server.i18n.AcceptHeaderLocaleContextResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;

/**
 * A request that was never received, as the gateway's filters and route lookup see a real one:
 * method, URL (from the {@code Host} header and the raw path and query), headers, cookies and
 * the client's address; no body. What is written to its response is dropped.
 */
final class SyntheticExchange {

	private static final ServerCodecConfigurer CODECS = ServerCodecConfigurer.create();

	private SyntheticExchange() {
	}

	static ServerWebExchange of(HttpMethod method, URI uri, HttpHeaders headers, Map<String, String> cookies,
			InetSocketAddress client) {
		return new DefaultServerWebExchange(new Request(method, uri, headers, cookies, client), new Response(),
				new DefaultWebSessionManager(), CODECS, new AcceptHeaderLocaleContextResolver());
	}

	private static final class Request extends AbstractServerHttpRequest {

		private final Map<String, String> cookies;

		private final InetSocketAddress client;

		Request(HttpMethod method, URI uri, HttpHeaders headers, Map<String, String> cookies,
				InetSocketAddress client) {
			super(method, uri, null, headers);
			this.cookies = Map.copyOf(cookies);
			this.client = client;
		}

		@Override
		protected MultiValueMap<String, HttpCookie> initCookies() {
			MultiValueMap<String, HttpCookie> map = new LinkedMultiValueMap<>();
			cookies.forEach((name, value) -> map.add(name, new HttpCookie(name, value)));
			return map;
		}

		@Override
		public InetSocketAddress getRemoteAddress() {
			return client;
		}

		@Override
		protected SslInfo initSslInfo() {
			return null;
		}

		@Override
		public Flux<DataBuffer> getBody() {
			return Flux.empty();
		}

		@Override
		public <T> T getNativeRequest() {
			throw new IllegalStateException("a synthetic request has no server request");
		}

	}

	private static final class Response extends AbstractServerHttpResponse {

		Response() {
			super(DefaultDataBufferFactory.sharedInstance);
		}

		@Override
		public <T> T getNativeResponse() {
			throw new IllegalStateException("a synthetic request has no server response");
		}

		@Override
		protected Mono<Void> writeWithInternal(Publisher<? extends DataBuffer> body) {
			return Flux.from(body).doOnNext(DataBufferUtils::release).then();
		}

		@Override
		protected Mono<Void> writeAndFlushWithInternal(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			return Flux.from(body).concatMap(Flux::from).doOnNext(DataBufferUtils::release).then();
		}

		@Override
		protected void applyStatusCode() {
		}

		@Override
		protected void applyHeaders() {
		}

		@Override
		protected void applyCookies() {
		}

	}

}
