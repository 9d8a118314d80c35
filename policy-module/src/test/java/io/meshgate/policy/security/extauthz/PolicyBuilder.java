package io.meshgate.policy.security.extauthz;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.util.unit.DataSize;

import io.meshgate.policy.breaker.CircuitBreakerPolicy;
import io.meshgate.policy.security.extauthz.ExtAuthzPolicy.DecisionCachePolicy;
import io.meshgate.policy.tls.TlsPolicy;

/** Builds an {@link ExtAuthzPolicy} in tests, field by field; unset fields take the record's defaults. */
final class PolicyBuilder {

	private final URI uri;

	private TlsPolicy tls;

	private Duration timeout;

	private Boolean failOpen;

	private Integer statusOnError;

	private List<String> includeRequestHeadersInCheck;

	private List<String> headersToUpstreamOnAllow;

	private List<String> headersToDownstreamOnAllow;

	private List<String> headersToDownstreamOnDeny;

	private Boolean includeBodyOnDeny;

	private DataSize maxResponseSize;

	private CircuitBreakerPolicy circuitBreaker;

	private DecisionCachePolicy cache;

	PolicyBuilder(URI uri) {
		this.uri = uri;
	}

	PolicyBuilder tls(TlsPolicy tls) {
		this.tls = tls;
		return this;
	}

	PolicyBuilder timeout(Duration timeout) {
		this.timeout = timeout;
		return this;
	}

	PolicyBuilder failOpen(boolean failOpen) {
		this.failOpen = failOpen;
		return this;
	}

	PolicyBuilder statusOnError(int statusOnError) {
		this.statusOnError = statusOnError;
		return this;
	}

	PolicyBuilder includeRequestHeadersInCheck(String... names) {
		this.includeRequestHeadersInCheck = List.of(names);
		return this;
	}

	PolicyBuilder headersToUpstreamOnAllow(String... names) {
		this.headersToUpstreamOnAllow = List.of(names);
		return this;
	}

	PolicyBuilder headersToDownstreamOnAllow(String... names) {
		this.headersToDownstreamOnAllow = List.of(names);
		return this;
	}

	PolicyBuilder headersToDownstreamOnDeny(String... names) {
		this.headersToDownstreamOnDeny = List.of(names);
		return this;
	}

	PolicyBuilder includeBodyOnDeny(boolean includeBodyOnDeny) {
		this.includeBodyOnDeny = includeBodyOnDeny;
		return this;
	}

	PolicyBuilder maxResponseSize(DataSize maxResponseSize) {
		this.maxResponseSize = maxResponseSize;
		return this;
	}

	PolicyBuilder circuitBreaker(CircuitBreakerPolicy circuitBreaker) {
		this.circuitBreaker = circuitBreaker;
		return this;
	}

	PolicyBuilder cache(DecisionCachePolicy cache) {
		this.cache = cache;
		return this;
	}

	ExtAuthzPolicy build() {
		return new ExtAuthzPolicy(uri, tls, timeout, failOpen, statusOnError, includeRequestHeadersInCheck,
				headersToUpstreamOnAllow, headersToDownstreamOnAllow, headersToDownstreamOnDeny, includeBodyOnDeny,
				maxResponseSize, circuitBreaker, cache);
	}

}
