package io.meshgate.policy.error;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ORIGINAL_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * Turns every failure on the ingress into a JSON answer, never an HTML page or a stack trace:
 * no route 404, no healthy endpoint 503, upstream unreachable or reset 502, upstream too slow
 * 504, a request body that breaks its framing 400, anything unexpected 500 (logged with its stack
 * trace, not sent).
 *
 * <p>Every message is Meshgate's own ({@link ErrorTexts}), naming at most the route and upstream
 * from the configuration: an exception's text or a framework's reason can hold request headers,
 * cookies or certificate details, so it goes to the log (as its class only where it may quote the
 * request), never to the client.
 */
public final class GatewayErrorHandler implements ErrorWebExceptionHandler, Ordered {

	private static final Log log = LogFactory.getLog(GatewayErrorHandler.class);

	private final Consumer<Throwable> bodyTimeouts;

	/**
	 * @param bodyTimeouts counts a request body that missed its deadline as it reaches this
	 * handler (the edge's ingress failure counters)
	 */
	public GatewayErrorHandler(Consumer<Throwable> bodyTimeouts) {
		this.bodyTimeouts = bodyTimeouts;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
		if (RequestBodyTimeoutException.isCauseOf(error)) {
			// the connection (or HTTP/2 stream) is closed: nothing can be answered
			bodyTimeouts.accept(error);
			log.debug("Request body not received in time; connection closed");
			return Mono.empty();
		}
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(error);
		}
		return answer(exchange, error).onErrorResume(RequestBodyTimeoutException::isCauseOf, timedOut -> {
			bodyTimeouts.accept(timedOut);
			return Mono.empty();
		});
	}

	private Mono<Void> answer(ServerWebExchange exchange, Throwable error) {
		Route route = exchange.getAttribute(GATEWAY_ROUTE_ATTR);
		String upstream = upstream(exchange);
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("route", route == null ? null : route.getId());
		details.put("upstream", upstream);

		if (error instanceof UpstreamUnavailableException unavailable) {
			details.put("upstream", unavailable.upstream());
			details.put("state", unavailable.state());
			exchange.getResponse().getHeaders().set("Retry-After", String.valueOf(unavailable.retryAfterSeconds()));
			return ErrorResponses.write(exchange, HttpStatus.SERVICE_UNAVAILABLE,
					"upstream " + unavailable.upstream() + " " + unavailable.getMessage(), details);
		}
		if (error instanceof NotFoundException) {
			return ErrorResponses.write(exchange, HttpStatus.SERVICE_UNAVAILABLE,
					"no healthy endpoint in upstream " + upstream, details);
		}
		if (error instanceof MalformedRequestException) {
			return malformed(exchange, error, details);
		}
		if (find(error, Set.of(ClientBodyFailedException.class)) != null) {
			// the client closed or reset while its body went upstream: nobody is left to answer
			log.debug("Client gone while its request body was sent upstream");
			return Mono.empty();
		}
		if (error instanceof ResponseStatusException status) {
			HttpStatusCode code = status.getStatusCode();
			if (code.value() == HttpStatus.GATEWAY_TIMEOUT.value()) {
				return ErrorResponses.write(exchange, code, "upstream " + upstream + " did not answer in time", details);
			}
			if (log.isDebugEnabled()) {
				// the class only: a reason can quote request headers
				log.debug("Answered " + code.value() + " for " + status.getClass().getSimpleName());
			}
			return ErrorResponses.write(exchange, code, ErrorTexts.of(code), details);
		}
		Throwable timeout = find(error, Set.of(TimeoutException.class, ConnectTimeoutException.class,
				io.netty.handler.timeout.TimeoutException.class));
		if (timeout != null) {
			return ErrorResponses.write(exchange, HttpStatus.GATEWAY_TIMEOUT,
					"upstream " + upstream + " did not answer in time", details);
		}
		String request = exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value();
		Throwable unreachable = find(error, Set.of(ConnectException.class, UnknownHostException.class,
				SSLException.class, IOException.class));
		if (unreachable != null) {
			log.warn("Upstream " + upstream + " failed " + request + ": " + unreachable
					+ (unreachable instanceof SSLException ? " (" + rootMessage(unreachable) + ")" : ""));
			String why = unreachable instanceof ConnectException || unreachable instanceof UnknownHostException
					? "refused the connection"
					: unreachable instanceof SSLException ? "failed the TLS handshake" : "closed the connection";
			return ErrorResponses.write(exchange, HttpStatus.BAD_GATEWAY, "upstream " + upstream + " " + why,
					details);
		}
		if (find(error, Set.of(AbortedException.class)) != null) {
			// the client's connection or stream is gone (closed, reset, or closed by the gateway)
			log.debug("Client gone before the answer to " + request);
			return Mono.empty();
		}
		log.error("Unexpected error on " + request, error);
		return ErrorResponses.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "internal error", details);
	}

	/** An HTTP/1.1 request body whose chunk does not parse (counted where it was found): one line, no trace. */
	private static Mono<Void> malformed(ServerWebExchange exchange, Throwable error, Map<String, Object> details) {
		log.info("Malformed request body answered 400: " + rootMessage(error));
		exchange.getResponse().getHeaders().setConnection("close");
		return ErrorResponses.write(exchange, HttpStatus.BAD_REQUEST, ErrorTexts.MALFORMED, details);
	}

	/** The upstream of the request: the one chosen, or else the host of its {@code lb://} URL. */
	private static String upstream(ServerWebExchange exchange) {
		Response<ServiceInstance> chosen = exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		if (chosen != null && chosen.hasServer()) {
			return chosen.getServer().getServiceId();
		}
		Set<URI> originals = exchange.getAttribute(GATEWAY_ORIGINAL_REQUEST_URL_ATTR);
		if (originals != null) {
			for (URI original : originals) {
				if ("lb".equals(original.getScheme())) {
					return original.getHost();
				}
			}
		}
		return null;
	}

	/** The innermost message of a failure (the certificate problem, not Netty's wrapper), for logs only. */
	private static String rootMessage(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
	}

	private static Throwable find(Throwable error, Set<Class<? extends Throwable>> types) {
		for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
			for (Class<? extends Throwable> type : types) {
				if (type.isInstance(t)) {
					return t;
				}
			}
		}
		return null;
	}

	@Override
	public int getOrder() {
		return PolicyOrder.ERROR_HANDLER;
	}

}
