package io.meshgate.policy.upstream;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.meshgate.policy.breaker.CircuitBreakerPolicy;
import io.meshgate.policy.discovery.KubernetesDiscovery;
import io.meshgate.policy.endpoint.EndpointAddresses;
import io.meshgate.policy.health.HealthCheckPolicy;
import io.meshgate.policy.health.HealthCheckType;
import io.meshgate.policy.lb.LoadBalancerPolicy;
import io.meshgate.policy.outlier.OutlierDetectionPolicy;
import io.meshgate.policy.schema.Example;
import io.meshgate.policy.stream.WebSocketPolicy;
import io.meshgate.policy.tls.TlsPolicy;

/**
 * How traffic reaches one service (Envoy cluster, Istio DestinationRule): its endpoints, given
 * statically or discovered from Kubernetes, and how requests are spread over them.
 *
 * <pre>
 * upstreams:
 *   - name: orders-v2
 *     endpoints: [http://127.0.0.1:9002, {uri: http://127.0.0.1:9003, weight: 3}]
 *     loadBalancer: {policy: LEAST_REQUEST}
 *     healthCheck: {path: /healthz, interval: 5s}
 *     outlierDetection: {consecutive5xx: 5, baseEjectionTime: 30s}
 *     circuitBreaker: {failureRateThreshold: 50, maxConcurrentRequests: 256}
 *     tls: {mode: SIMPLE, caCertificates: /certs/ca.crt}
 * </pre>
 *
 * @param healthCheck active health checks; default none
 * @param outlierDetection passive health: eject endpoints that keep failing; default none
 * @param circuitBreaker breaker and concurrency cap; default none
 * @param tls TLS to the endpoints; default {@code DISABLE}, plain HTTP
 * @param allowLinkLocal allow endpoints on link-local addresses ({@code 169.254.0.0/16},
 * {@code fe80::/10}) and cloud metadata services ({@link EndpointAddresses}); default false: a
 * public route to them would hand internet clients the instance's credentials
 * @param allowGatewayPorts allow endpoints on the gateway's own ports (ingress, admin, HTTPS) of
 * its own host; default false: a route to the admin port would put the admin API on the internet
 * @param webSocket how WebSocket sessions are held; default an idle timeout of 5m
 * ({@link WebSocketPolicy})
 * @param protocol the HTTP version spoken to the endpoints ({@link UpstreamProtocol}); default
 * {@code HTTP1}. gRPC servers need {@code H2C} (cleartext) or {@code H2}/{@code AUTO} (with {@code tls}).
 * {@code TCP} makes an L4 upstream: {@code tcp://host:port} endpoints, no {@code tls},
 * {@code circuitBreaker} or {@code webSocket}; its {@code healthCheck} connects without a
 * {@code path}; {@code LEAST_REQUEST} balances on open connections and {@code RING_HASH} hashes
 * on {@code client-address} only (docs/design/l4.md)
 */
public record Upstream(@Example("orders-v1") String name, List<EndpointSpec> endpoints, KubernetesDiscovery discovery,
		LoadBalancerPolicy loadBalancer, HealthCheckPolicy healthCheck, OutlierDetectionPolicy outlierDetection,
		CircuitBreakerPolicy circuitBreaker, TlsPolicy tls, Boolean allowLinkLocal, Boolean allowGatewayPorts,
		WebSocketPolicy webSocket, UpstreamProtocol protocol) {

	/**
	 * The name is the host of {@code lb://name} URIs, so it must be a valid DNS label: lower
	 * case letters, digits and dashes.
	 */
	private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

	public Upstream {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"name: " + name + " (expected: a DNS label, lower case letters, digits and '-', at most 63)");
		}
		endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
		loadBalancer = loadBalancer == null ? LoadBalancerPolicy.DEFAULT : loadBalancer;
		tls = tls == null ? TlsPolicy.DISABLED : tls;
		if (endpoints.isEmpty() == (discovery == null)) {
			throw new IllegalArgumentException("endpoints: " + endpoints.size()
					+ " (expected: a non-empty endpoints list or a discovery block, exactly one of them)");
		}
		protocol = protocol == null ? UpstreamProtocol.HTTP1 : protocol;
		if (protocol == UpstreamProtocol.H2 && !tls.enabled()) {
			throw new IllegalArgumentException(
					"protocol: H2 (expected: H2 with tls mode SIMPLE or MUTUAL; H2C for cleartext HTTP/2)");
		}
		if (protocol == UpstreamProtocol.H2C && tls.enabled()) {
			throw new IllegalArgumentException(
					"protocol: H2C (expected: H2C without tls; H2 or AUTO for HTTP/2 over TLS)");
		}
		if (healthCheck != null && healthCheck.type() == HealthCheckType.GRPC
				&& !protocol.http2(tls.enabled())) {
			throw new IllegalArgumentException("healthCheck.type: GRPC (expected: an upstream speaking HTTP/2: "
					+ "protocol H2C, H2, or AUTO with tls)");
		}
		if (protocol == UpstreamProtocol.TCP) {
			TcpUpstreamChecks.check(endpoints, tls, circuitBreaker, webSocket, healthCheck, loadBalancer);
		}
		else {
			TcpUpstreamChecks.checkHttp(endpoints, healthCheck);
		}
		allowLinkLocal = allowLinkLocal != null && allowLinkLocal;
		allowGatewayPorts = allowGatewayPorts != null && allowGatewayPorts;
		Set<Object> seen = new HashSet<>();
		for (int i = 0; i < endpoints.size(); i++) {
			EndpointSpec endpoint = endpoints.get(i);
			if (!seen.add(endpoint.uri())) {
				throw new IllegalArgumentException("endpoints: " + endpoint.uri() + " (expected: each endpoint once)");
			}
			if (!allowLinkLocal && EndpointAddresses.linkLocalOrMetadata(endpoint.uri().getHost())) {
				throw new IllegalArgumentException("endpoints[" + i + "]: " + endpoint.uri()
						+ " (expected: not a link-local or metadata address; set allowLinkLocal: true to allow)");
			}
		}
	}

	public static Upstream of(String name, String... endpoints) {
		List<EndpointSpec> specs = new ArrayList<>();
		for (String endpoint : endpoints) {
			specs.add(EndpointSpec.of(endpoint));
		}
		return new Upstream(name, specs, null, null, null, null, null, null, null, null, null, null);
	}

	/** An L4 upstream ({@code protocol: TCP}) over {@code tcp://host:port} endpoints. */
	public static Upstream tcp(String name, String... endpoints) {
		List<EndpointSpec> specs = new ArrayList<>();
		for (String endpoint : endpoints) {
			specs.add(EndpointSpec.of(endpoint));
		}
		return new Upstream(name, specs, null, null, null, null, null, null, null, null, null, UpstreamProtocol.TCP);
	}

	public static Upstream of(String name, List<EndpointSpec> endpoints) {
		return new Upstream(name, endpoints, null, null, null, null, null, null, null, null, null, null);
	}

	public Upstream withLoadBalancer(LoadBalancerPolicy policy) {
		return new Upstream(name, endpoints, discovery, Objects.requireNonNull(policy, "policy"), healthCheck,
				outlierDetection, circuitBreaker,
				tls, allowLinkLocal, allowGatewayPorts, webSocket, protocol);
	}

	public Upstream withHealthCheck(HealthCheckPolicy healthCheck) {
		return new Upstream(name, endpoints, discovery, loadBalancer, healthCheck, outlierDetection, circuitBreaker,
				tls, allowLinkLocal, allowGatewayPorts, webSocket, protocol);
	}

	public Upstream withOutlierDetection(OutlierDetectionPolicy outlierDetection) {
		return new Upstream(name, endpoints, discovery, loadBalancer, healthCheck, outlierDetection, circuitBreaker,
				tls, allowLinkLocal, allowGatewayPorts, webSocket, protocol);
	}

	public Upstream withCircuitBreaker(CircuitBreakerPolicy circuitBreaker) {
		return new Upstream(name, endpoints, discovery, loadBalancer, healthCheck, outlierDetection, circuitBreaker,
				tls, allowLinkLocal, allowGatewayPorts, webSocket, protocol);
	}

	public Upstream withTls(TlsPolicy tls) {
		return new Upstream(name, endpoints, discovery, loadBalancer, healthCheck, outlierDetection, circuitBreaker,
				tls, allowLinkLocal, allowGatewayPorts, webSocket, protocol);
	}

	public Upstream withWebSocket(WebSocketPolicy webSocket) {
		return new Upstream(name, endpoints, discovery, loadBalancer, healthCheck, outlierDetection, circuitBreaker,
				tls, allowLinkLocal, allowGatewayPorts, webSocket, protocol);
	}

	/** The {@code webSocket} block, or the defaults without one. */
	public WebSocketPolicy webSocketOrDefault() {
		return webSocket == null ? WebSocketPolicy.DEFAULT : webSocket;
	}

	public Upstream withProtocol(UpstreamProtocol protocol) {
		return new Upstream(name, endpoints, discovery, loadBalancer, healthCheck, outlierDetection, circuitBreaker,
				tls, allowLinkLocal, allowGatewayPorts, webSocket, Objects.requireNonNull(protocol, "protocol"));
	}

	/** Whether this is an L4 upstream ({@code protocol: TCP}). */
	public boolean tcp() {
		return protocol == UpstreamProtocol.TCP;
	}

	public boolean discovered() {
		return discovery != null;
	}

}
