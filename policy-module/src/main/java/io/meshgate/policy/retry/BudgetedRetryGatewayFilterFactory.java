package io.meshgate.policy.retry;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;
import io.meshgate.policy.grpc.GrpcCall;
import io.meshgate.policy.grpc.GrpcStatus;
import io.meshgate.policy.retry.RetryOn.PerTryTimeoutException;
import io.meshgate.policy.timeout.Timeouts;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

/**
 * Retries failed attempts within a budget:
 *
 * <pre>
 * filters:
 *   - name: BudgetedRetry
 *     args: {attempts: 2, perTryTimeout: 1s, retryOn: "connect-failure,reset,503", budgetPercent: 20}
 * </pre>
 *
 * Each retry goes through the load balancer again and avoids the endpoints already tried when
 * the upstream has others; the backend chosen by a canary split stays. Backoff is exponential
 * with jitter. Only idempotent methods are retried unless {@code retryNonIdempotent}; bodies up
 * to {@code maxBodySize} are kept and replayed. When the last attempt ends in a retryable
 * status, that response is the client's. Spring Cloud Gateway's own {@code Retry} filter has
 * no budget, so an outage multiplies the load on the failing upstream by the attempts. The
 * arguments are the fields of {@link RetryPolicy}.
 */
public class BudgetedRetryGatewayFilterFactory extends PolicyFilterFactory<RetryPolicy> {

	private static final Set<HttpMethod> NON_IDEMPOTENT = Set.of(HttpMethod.POST, HttpMethod.PATCH);

	private final MeterRegistry meters;

	/** Draws the backoff jitter: the application's {@code RandomGenerator}, seeded in tests. */
	private final RandomGenerator random;

	public BudgetedRetryGatewayFilterFactory(MeterRegistry meters, RandomGenerator random) {
		super(RetryPolicy.class);
		this.meters = meters;
		this.random = random;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("attempts", "retryOn");
	}

	@Override
	public GatewayFilter filter(RetryPolicy policy, String route) {
		return new OrderedGatewayFilter(new RetryFilter(policy, new RetryBudget(policy.budgetPercent(),
				policy.minRetryConcurrency()), random, counter(route, "retried"), counter(route, "budget_exhausted")),
				PolicyOrder.RETRY);
	}

	private Counter counter(String route, String outcome) {
		return Counter.builder("meshgate.retries")
			.description("Retries of failed attempts, and retries refused by the retry budget")
			.tags("route", route, "outcome", outcome)
			.register(meters);
	}

	private record RetryFilter(RetryPolicy policy, RetryBudget budget, RandomGenerator random, Counter retried,
			Counter budgetExhausted) implements GatewayFilter {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			HttpHeaders headers = exchange.getRequest().getHeaders();
			long length = headers.getContentLength();
			boolean grpc = GrpcCall.of(exchange) != null;
			// a gRPC body of unknown length (chunked, as an HTTP/2 body without content-length
			// reads) is read up to maxBodySize below
			boolean replayable = (grpc || !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING))
					&& length <= policy.maxBodySize().toBytes();
			// gRPC calls are all POSTs; retrying them on retryOn is gRPC's own retry semantics
			boolean idempotent = grpc || !NON_IDEMPOTENT.contains(exchange.getRequest().getMethod());
			if (!replayable || !(idempotent || policy.retryNonIdempotent())) {
				return tries(exchange, chain, 0);
			}
			if (grpc && length < 0) {
				return cacheGrpcBody(exchange, chain);
			}
			if (length > 0) {
				return ServerWebExchangeUtils.cacheRequestBody(exchange,
						cached -> tries(exchange.mutate().request(cached).build(), chain, policy.attempts()));
			}
			return tries(exchange, chain, policy.attempts());
		}

		/**
		 * A gRPC body has no declared length over HTTP/2: it is read whole first, up to
		 * {@code maxBodySize} (a larger one is refused with 413, a gRPC {@code RESOURCE_EXHAUSTED}),
		 * so that a retry can send it again. A client stream is read until the client ends it:
		 * streaming calls belong on routes without retries.
		 */
		private Mono<Void> cacheGrpcBody(ServerWebExchange exchange, GatewayFilterChain chain) {
			ServerHttpRequest request = exchange.getRequest();
			return DataBufferUtils.join(request.getBody(), (int) policy.maxBodySize().toBytes())
				.onErrorMap(DataBufferLimitException.class,
						tooLarge -> new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE))
				.map(Flux::just)
				.defaultIfEmpty(Flux.empty())
				.flatMap(body -> {
					ServerWebExchange bounded = exchange.mutate().request(new ServerHttpRequestDecorator(request) {
						@Override
						public Flux<DataBuffer> getBody() {
							return body;
						}
					}).build();
					return ServerWebExchangeUtils.cacheRequestBody(bounded,
							cached -> tries(bounded.mutate().request(cached).build(), chain, policy.attempts()));
				});
		}

		private Mono<Void> tries(ServerWebExchange exchange, GatewayFilterChain chain, int attempts) {
			Tries tries = new Tries(exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR), attempts);
			budget.requestStarted();
			return attempt(exchange, chain, tries).doFinally(signal -> {
				tries.releaseUnusedSlot();
				budget.requestFinished();
			});
		}

		/**
		 * One try, and on a retryable failure the backoff and the next try. A recursion over
		 * {@code onErrorResume} rather than Reactor's {@code retryWhen}, whose companion flux and
		 * signal sink were built for every request although few requests ever retry.
		 */
		private Mono<Void> attempt(ServerWebExchange exchange, GatewayFilterChain chain, Tries tries) {
			return Mono.defer(() -> oneTry(exchange, chain, tries)).onErrorResume(error -> {
				if (tries.retried >= tries.attempts || !retryable(error) || !tries.startRetry()) {
					// a retryable status on the last try: that response is the client's
					return error instanceof RetryableStatus ? Mono.empty() : Mono.error(error);
				}
				tries.avoidLastEndpoint(exchange);
				exchange.getAttributes().put(ExchangeAttributes.RETRIES, tries.retried);
				ServerWebExchangeUtils.reset(exchange);
				Duration backoff = policy.backoff(tries.retried, random);
				return Timeouts.expiry(backoff, exchange).then(attempt(exchange, chain, tries));
			});
		}

		private Mono<Void> oneTry(ServerWebExchange exchange, GatewayFilterChain chain, Tries tries) {
			boolean holdsRetry = tries.takeRetrySlot();
			exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, tries.url);
			exchange.getAttributes().remove(ExchangeAttributes.TIMED_OUT);
			Mono<Void> call = chain.filter(exchange);
			if (policy.perTryTimeout() != null) {
				Duration timeout = policy.perTryTimeout();
				call = Timeouts.within(call, timeout, exchange, () -> new PerTryTimeoutException(timeout));
			}
			call = call.then(Mono.defer(() -> checkStatus(exchange)));
			if (!holdsRetry) {
				return call;
			}
			// released before the outcome travels on, so that the decision on the next retry
			// does not count this one
			AtomicBoolean held = new AtomicBoolean(true);
			Runnable release = () -> {
				if (held.compareAndSet(true, false)) {
					budget.retryFinished();
				}
			};
			return call.doOnTerminate(release).doOnCancel(release);
		}

		private Mono<Void> checkStatus(ServerWebExchange exchange) {
			HttpStatusCode status = exchange.getResponse().getStatusCode();
			if (status != null && policy.retriesStatus(status.value())) {
				return Mono.error(new RetryableStatus());
			}
			return GrpcCall.of(exchange) != null && policy.retriesGrpc(GrpcStatus.in(exchange.getResponse().getHeaders()))
					? Mono.error(new RetryableStatus()) : Mono.empty();
		}

		private boolean retryable(Throwable error) {
			return error instanceof RetryableStatus || policy.retriesFailure(error)
					|| error.getCause() != null && policy.retriesFailure(error.getCause());
		}

		@Override
		public String toString() {
			return "[BudgetedRetry " + policy + "]";
		}

		/** One request's tries: its URL before the load balancer, the retries taken, the endpoints tried. */
		private final class Tries {

			final URI url;

			final int attempts;

			int retried;

			boolean slotPending;

			Tries(URI url, int attempts) {
				this.url = url;
				this.attempts = attempts;
			}

			/** Asks the budget for a retry; the next try owns the slot. */
			synchronized boolean startRetry() {
				if (!budget.tryStartRetry()) {
					budgetExhausted.increment();
					return false;
				}
				retried++;
				RetryFilter.this.retried.increment();
				slotPending = true;
				return true;
			}

			synchronized boolean takeRetrySlot() {
				boolean pending = slotPending;
				slotPending = false;
				return pending;
			}

			/** A retry scheduled but never started (the client went away during the backoff). */
			synchronized void releaseUnusedSlot() {
				if (slotPending) {
					slotPending = false;
					budget.retryFinished();
				}
			}

			/** Tells the load balancer which endpoint failed, so that the retry goes elsewhere. */
			void avoidLastEndpoint(ServerWebExchange exchange) {
				Response<ServiceInstance> last = exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
				if (last != null && last.hasServer()) {
					Set<String> tried = exchange.getAttribute(ExchangeAttributes.TRIED_ENDPOINTS);
					if (tried == null) {
						tried = new HashSet<>();
						exchange.getAttributes().put(ExchangeAttributes.TRIED_ENDPOINTS, tried);
					}
					tried.add(last.getServer().getInstanceId());
				}
			}

		}

	}

	/** The attempt ended in a status listed in {@code retryOn}. */
	private static final class RetryableStatus extends RuntimeException {

		RetryableStatus() {
			super(null, null, false, false);
		}

	}

}
