package io.meshgate.policy.config;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.netty.resolver.AddressResolverGroup;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientConfig;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpResources;
import reactor.netty.transport.NameResolverProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.gateway.config.GatewayLoadBalancerProperties;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;
import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.factory.GatewayFilterFactory;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.handler.predicate.RoutePredicateFactory;
import org.springframework.cloud.gateway.route.CachingRouteLocator;
import org.springframework.cloud.gateway.route.CompositeRouteLocator;
import org.springframework.cloud.gateway.route.RouteDefinitionRouteLocator;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.WebFilter;

import io.meshgate.policy.canary.CanaryGatewayFilterFactory;
import io.meshgate.policy.discovery.EndpointSourceFactory;
import io.meshgate.policy.discovery.KubernetesEndpointSources;
import io.meshgate.policy.edge.ClientRequestFilter;
import io.meshgate.policy.edge.EdgeFilter;
import io.meshgate.policy.edge.EdgeWebFilter;
import io.meshgate.policy.edge.IngressFailures;
import io.meshgate.policy.edge.IngressProperties;
import io.meshgate.policy.edge.PathNormalization;
import io.meshgate.policy.edge.PathNormalizationFilter;
import io.meshgate.policy.edge.PathNormalizer;
import io.meshgate.policy.error.GatewayErrorHandler;
import io.meshgate.policy.fault.FaultGatewayFilterFactory;
import io.meshgate.policy.grpc.GrpcCallFilter;
import io.meshgate.policy.grpc.GrpcMediaTypes;
import io.meshgate.policy.grpc.GrpcTrailers;
import io.meshgate.policy.l4.proxy.L4Properties;
import io.meshgate.policy.l4.proxy.L4Drain;
import io.meshgate.policy.l4.proxy.L4Proxy;
import io.meshgate.policy.match.ClaimMatchRoutePredicateFactory;
import io.meshgate.policy.match.HeaderMatchRoutePredicateFactory;
import io.meshgate.policy.match.HostMatchRoutePredicateFactory;
import io.meshgate.policy.match.ListenerMatchRoutePredicateFactory;
import io.meshgate.policy.match.PathMatchRoutePredicateFactory;
import io.meshgate.policy.match.PrincipalMatchRoutePredicateFactory;
import io.meshgate.policy.match.QueryMatchRoutePredicateFactory;
import io.meshgate.policy.mirror.MirrorComparisons;
import io.meshgate.policy.mirror.MirrorResponseCaptureGatewayFilterFactory;
import io.meshgate.policy.mirror.MirrorSender;
import io.meshgate.policy.mirror.RequestMirrorGatewayFilterFactory;
import io.meshgate.policy.observe.MirrorRecording;
import io.meshgate.policy.ratelimit.LocalRateLimitGatewayFilterFactory;
import io.meshgate.policy.retry.BudgetedRetryGatewayFilterFactory;
import io.meshgate.policy.rewrite.BackendHeaderModifierGatewayFilterFactory;
import io.meshgate.policy.rewrite.RequestHeaderModifierGatewayFilterFactory;
import io.meshgate.policy.rewrite.RequestRedirectGatewayFilterFactory;
import io.meshgate.policy.rewrite.ResponseHeaderModifierGatewayFilterFactory;
import io.meshgate.policy.rewrite.UrlRewriteGatewayFilterFactory;
import io.meshgate.policy.rollout.Rollouts;
import io.meshgate.policy.rollout.routes.RunningRollouts;
import io.meshgate.policy.route.ListenerPorts;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouteLocator;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.RouteProbe;
import io.meshgate.policy.route.lookup.IndexedRoutePredicateHandlerMapping;
import io.meshgate.policy.security.apikey.ApiKeys;
import io.meshgate.policy.security.authn.AuthenticationGatewayFilterFactory;
import io.meshgate.policy.security.authz.AuthorizationFilter;
import io.meshgate.policy.security.extauthz.ExtAuthzGatewayFilterFactory;
import io.meshgate.policy.security.jwt.JwksFetcher;
import io.meshgate.policy.security.jwt.JwtProperties;
import io.meshgate.policy.security.jwt.JwtProviders;
import io.meshgate.policy.security.jwt.TokenEdgeFilter;
import io.meshgate.policy.timeout.RouteTimeoutGatewayFilterFactory;
import io.meshgate.policy.timeout.StreamIdleTimeoutGatewayFilterFactory;
import io.meshgate.policy.tls.UpstreamTlsFactory;
import io.meshgate.policy.upstream.GatewayPorts;
import io.meshgate.policy.upstream.GuardedAddressResolverGroup;
import io.meshgate.policy.upstream.Http2ClientFactory;
import io.meshgate.policy.upstream.SmallResponseFilter;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;
import io.meshgate.policy.upstream.UpstreamServices;
import io.meshgate.policy.upstream.call.MeshLoadBalancerConfiguration;
import io.meshgate.policy.upstream.call.UpstreamCallFilter;
import io.meshgate.policy.upstream.call.UpstreamRoutingFilter;
import io.meshgate.policy.upstream.call.WebSocketProxyFilter;
import io.meshgate.policy.upstream.state.BreakerStateContributor;
import io.meshgate.policy.upstream.state.HealthStateContributor;
import io.meshgate.policy.upstream.state.OutlierStateContributor;
import io.meshgate.policy.upstream.state.TlsStateContributor;

/**
 * Adds Meshgate's policies to a Spring Cloud Gateway (WebFlux) application: upstreams with their
 * load-balancing policies behind {@code lb://name}, the filter factories, and JSON errors.
 * Upstreams and routes come from {@code meshgate.*} unless the application supplies its own
 * {@link MeshConfig} bean.
 */
@AutoConfiguration(afterName = "org.springframework.cloud.kubernetes.fabric8.Fabric8AutoConfiguration")
@EnableConfigurationProperties({ MeshProperties.class, IngressProperties.class, PathNormalization.class,
		JwtProperties.class, L4Properties.class })
@LoadBalancerClients(defaultConfiguration = MeshLoadBalancerConfiguration.class)
public class MeshPolicyAutoConfiguration {

	/**
	 * The one source of randomness on the request path (canary draws, mirror and fault sampling,
	 * least-request picks, retry jitter), so that tests can put a seeded generator in its place.
	 * Thread-safe: each call uses the calling thread's generator.
	 */
	@Bean
	@ConditionalOnMissingBean
	RandomGenerator meshRandom() {
		return () -> ThreadLocalRandom.current().nextLong();
	}

	/** The edge's steps ({@link EdgeFilter} beans) as one web filter, before route lookup. */
	@Bean
	EdgeWebFilter edgeWebFilter(ObjectProvider<EdgeFilter> steps) {
		return new EdgeWebFilter(steps.orderedStream().toList());
	}

	/** Every request's path, normalized once before route lookup ({@code meshgate.edge.path}). */
	@Bean
	PathNormalizationFilter pathNormalizationFilter(PathNormalization config) {
		return new PathNormalizationFilter(new PathNormalizer(config));
	}

	@Bean
	UpstreamTlsFactory upstreamTlsFactory(ObjectProvider<HttpClient> gatewayHttpClient,
			ObjectProvider<MeterRegistry> meters, Environment environment) {
		Duration checkInterval = environment.getProperty("meshgate.tls.reload-check-interval", Duration.class,
				Duration.ofSeconds(5));
		return new UpstreamTlsFactory(gatewayHttpClient::getObject, meters(meters), Clock.systemUTC(), checkInterval);
	}

	/**
	 * The configured ingress and admin ports ({@code server.port}, default 8080, and
	 * {@code management.server.port}); the application adds the ports its servers bind.
	 */
	@Bean
	@ConditionalOnMissingBean
	GatewayPorts gatewayPorts(Environment environment) {
		return new GatewayPorts(environment.getProperty("server.port", Integer.class, 8080),
				environment.getProperty("management.server.port", Integer.class));
	}

	/**
	 * Upstream host names are resolved within the same bounds as endpoints written as addresses
	 * ({@link GuardedAddressResolverGroup}): on the gateway's client, so plain and TLS upstreams
	 * and health checks alike.
	 */
	@Bean
	HttpClientCustomizer guardedUpstreamAddresses(GatewayPorts gatewayPorts, ObjectProvider<UpstreamRegistry> registry) {
		return client -> client.resolver(new GuardedAddressResolverGroup(resolverOf(client), gatewayPorts, () -> {
			UpstreamRegistry upstreams = registry.getIfAvailable();
			return upstreams == null ? List.of() : upstreams.all().stream().map(UpstreamRuntime::spec).toList();
		}));
	}

	/**
	 * The resolver {@code client} uses: the one it was given, else Reactor Netty's default, its
	 * non-blocking DNS resolver on the client's event loops.
	 */
	private static AddressResolverGroup<?> resolverOf(HttpClient client) {
		HttpClientConfig config = client.configuration();
		if (config.resolver() != null) {
			return config.resolver();
		}
		NameResolverProvider provider = config.getNameResolverProvider() != null ? config.getNameResolverProvider()
				: NameResolverProvider.builder().build();
		LoopResources loops = config.loopResources() != null ? config.loopResources() : HttpResources.get();
		return provider.newNameResolverGroup(loops, config.isPreferNative());
	}

	/** The ports the ingress and admin servers bound (port 0 in tests binds a free one). */
	@Bean
	ApplicationListener<WebServerInitializedEvent> gatewayPortsBound(GatewayPorts gatewayPorts) {
		return event -> gatewayPorts.reserve(event.getWebServer().getPort());
	}

	@Bean(destroyMethod = "close")
	UpstreamRegistry upstreamRegistry(ObjectProvider<EndpointSourceFactory> discovery, RandomGenerator random,
			ObjectProvider<MeterRegistry> meters,
			ObjectProvider<HttpClient> gatewayHttpClient, Http2ClientFactory http2Clients, UpstreamTlsFactory tls,
			GatewayPorts gatewayPorts) {
		return new UpstreamRegistry(new UpstreamServices(discovery.getIfAvailable(), random, System::nanoTime,
				meters(meters),
				gatewayHttpClient::getObject, http2Clients::client, tls, gatewayPorts));
	}

	/** The client HTTP/2 upstreams start from: the gateway's, on a pool that multiplexes (built on first use). */
	@Bean(destroyMethod = "close")
	Http2ClientFactory http2ClientFactory(HttpClientProperties properties, ServerProperties serverProperties,
			HttpClientSslConfigurer sslConfigurer, ObjectProvider<HttpClientCustomizer> customizers) {
		return new Http2ClientFactory(properties, serverProperties, sslConfigurer, customizers.stream().toList());
	}

	/**
	 * The gateway's routing filter, but calls to upstreams with TLS go through their own clients.
	 * {@link MeshgateDefaults} switches off the gateway's own with its documented switch, which
	 * also switches off the filter that writes proxied responses: both are registered here.
	 */
	@Bean
	UpstreamRoutingFilter meshgateRoutingFilter(HttpClient gatewayHttpClient,
			ObjectProvider<List<HttpHeadersFilter>> headersFilters, HttpClientProperties properties) {
		return new UpstreamRoutingFilter(gatewayHttpClient, headersFilters, properties);
	}

	/** WebSocket upgrades through the upstream call, in the place of the gateway's own ({@link MeshgateDefaults}). */
	@Bean
	WebSocketProxyFilter webSocketProxyFilter(HttpClient gatewayHttpClient, UpstreamRoutingFilter routing) {
		return new WebSocketProxyFilter(gatewayHttpClient, routing);
	}

	@Bean
	@ConditionalOnMissingBean
	NettyWriteResponseFilter nettyWriteResponseFilter(GatewayProperties properties,
			ObjectProvider<List<HttpHeadersFilter>> headersFilters) {
		return new NettyWriteResponseFilter(GrpcMediaTypes.streamed(properties.getStreamingMediaTypes()),
				headersFilters);
	}

	/** A gRPC call: its deadline and its {@code grpc-status} as its outcome. */
	@Bean
	GrpcCallFilter grpcCallFilter() {
		return new GrpcCallFilter();
	}

	/** Reads the {@code grpc-status} of upstream trailers as the response writer passes them on. */
	@Bean
	GrpcTrailers grpcTrailers() {
		return new GrpcTrailers();
	}

	@Bean
	BreakerStateContributor breakerStateContributor() {
		return new BreakerStateContributor();
	}

	@Bean
	OutlierStateContributor outlierStateContributor() {
		return new OutlierStateContributor();
	}

	@Bean
	HealthStateContributor healthStateContributor() {
		return new HealthStateContributor();
	}

	@Bean
	TlsStateContributor tlsStateContributor() {
		return new TlsStateContributor();
	}

	@Bean
	SmallResponseFilter smallResponseFilter(Environment environment) {
		DataSize limit = environment.getProperty(SmallResponseFilter.LIMIT_PROPERTY, DataSize.class,
				SmallResponseFilter.DEFAULT_LIMIT);
		return new SmallResponseFilter(limit);
	}

	/** One call per attempt to a Meshgate upstream: guard, endpoint pick, accounting. */
	@Bean
	UpstreamCallFilter upstreamCallFilter(UpstreamRegistry registry,
			ObjectProvider<GatewayLoadBalancerProperties> properties) {
		return new UpstreamCallFilter(registry, properties.getIfAvailable(GatewayLoadBalancerProperties::new));
	}

	/**
	 * Converts with the gateway's own locator and factories (looked up when the first routes are
	 * built), failing on a definition it cannot convert whatever
	 * {@code fail-on-route-definition-error} says, with the gateway's default filters.
	 */
	@Bean
	MeshRouteLocator meshRouteLocator(ObjectProvider<GatewayProperties> properties,
			ObjectProvider<RoutePredicateFactory<?>> predicates, ObjectProvider<GatewayFilterFactory<?>> filters,
			ObjectProvider<ConfigurationService> configurationService) {
		return new MeshRouteLocator(definitions -> new RouteDefinitionRouteLocator(definitions,
				List.copyOf(predicates.orderedStream().toList()), List.copyOf(filters.orderedStream().toList()),
				new StrictGatewayProperties(properties.getObject()), configurationService.getObject()));
	}

	/** The gateway's properties as route conversion reads them, but failing on every bad definition. */
	private static final class StrictGatewayProperties extends GatewayProperties {

		private final GatewayProperties gateway;

		StrictGatewayProperties(GatewayProperties gateway) {
			this.gateway = gateway;
		}

		@Override
		public boolean isFailOnRouteDefinitionError() {
			return true;
		}

		@Override
		public List<FilterDefinition> getDefaultFilters() {
			return gateway.getDefaultFilters();
		}

	}

	/**
	 * Route lookup for requests that are never sent (the admin API's route tester): the gateway's
	 * own edge filters and handler mapping, or one of the same kind over a dry run's table.
	 */
	@Bean
	RouteProbe routeProbe(ObjectProvider<RoutePredicateHandlerMapping> mapping,
			ObjectProvider<FilteringWebHandler> webHandler, ObjectProvider<GlobalCorsProperties> cors,
			Environment environment, ObjectProvider<RouteLocator> locators, MeshRouteLocator mesh,
			ObjectProvider<EdgeWebFilter> edgeFilter) {
		Function<RouteLocator, RoutePredicateHandlerMapping> lookupOver = table -> {
			if (mapping.getObject() instanceof IndexedRoutePredicateHandlerMapping) {
				IndexedRoutePredicateHandlerMapping indexed = new IndexedRoutePredicateHandlerMapping(
						webHandler.getObject(), table, cors.getObject(), environment);
				indexed.onApplicationEvent(new RefreshRoutesResultEvent(table));
				return indexed;
			}
			return new RoutePredicateHandlerMapping(webHandler.getObject(), table, cors.getObject(), environment);
		};
		// what the gateway's cached composite reads, in the order its List<RouteLocator> receives them
		Supplier<List<RouteLocator>> gatewayLocators = () -> locators.orderedStream()
			.filter(locator -> !(locator instanceof CachingRouteLocator) && !(locator instanceof CompositeRouteLocator))
			.toList();
		Supplier<List<WebFilter>> edge = () -> Stream.<WebFilter>ofNullable(edgeFilter.getIfAvailable()).toList();
		return new RouteProbe(mapping::getObject, lookupOver, gatewayLocators, mesh, edge);
	}

	@Bean
	@ConditionalOnMissingBean
	MeshConfig meshConfig(MeshProperties properties) {
		return properties.toConfig();
	}

	/** The authorization policies in force: DENY, then ALLOW, on the routes they may apply to. */
	@Bean
	AuthorizationFilter authorizationFilter(ObjectProvider<MeterRegistry> meters) {
		return new AuthorizationFilter(meters(meters));
	}

	/**
	 * TCP routes and TLS passthrough routes: endpoint names resolved by Reactor Netty's DNS resolver
	 * within the bounds of {@link GuardedAddressResolverGroup}, as HTTP upstreams' are. Their
	 * connections drain at shutdown for the ingress server's grace period
	 * ({@code spring.lifecycle.timeout-per-shutdown-phase} with {@code server.shutdown=graceful},
	 * Spring Boot's default; none with {@code immediate}).
	 */
	@Bean(destroyMethod = "close")
	L4Proxy l4Proxy(UpstreamRegistry registry, ObjectProvider<MeterRegistry> meters, GatewayPorts gatewayPorts,
			L4Properties properties, Environment environment) {
		AddressResolverGroup<?> dns = NameResolverProvider.builder().build().newNameResolverGroup(TcpResources.get(),
				true);
		boolean graceful = !"immediate".equalsIgnoreCase(environment.getProperty("server.shutdown", "graceful"));
		Duration grace = graceful ? environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase",
				Duration.class, Duration.ofSeconds(30)) : Duration.ZERO;
		return new L4Proxy(registry, meters(meters), new GuardedAddressResolverGroup(dns, gatewayPorts,
				() -> registry.all().stream().map(UpstreamRuntime::spec).toList()), properties, grace);
	}

	@Bean
	L4Drain l4Drain(L4Proxy l4) {
		return new L4Drain(l4);
	}

	@Bean
	MeshRouting meshRouting(UpstreamRegistry registry, MeshRouteLocator locator,
			ApplicationEventPublisher events, MeshConfig initial, JwtProviders jwtProviders, ApiKeys apiKeys,
			AuthorizationFilter authorization, Rollouts rollouts, L4Proxy l4) {
		// the providers, keys and policies of a new configuration are in force before its routes are served
		MeshRouting routing = new MeshRouting(registry, locator, events,
				List.of(config -> jwtProviders.apply(config.jwtProviders()), config -> apiKeys.apply(config.consumers()),
						config -> authorization.install(config.authorizationPolicies()),
						config -> rollouts.apply(RunningRollouts.of(config.routes()))), l4);
		routing.apply(initial);
		return routing;
	}

	/** The JWT providers in force, their keys and the tokens they verified. */
	@Bean(destroyMethod = "close")
	JwtProviders jwtProviders(ObjectProvider<MeterRegistry> meters, JwtProperties properties) {
		return new JwtProviders(new JwksFetcher(), meters(meters), Clock.systemUTC(), System::nanoTime,
				properties.verifiedTokenCacheSize());
	}

	/** The consumers' API keys in force, by hash. */
	@Bean
	ApiKeys apiKeys() {
		return new ApiKeys();
	}

	/** Tokens of configured providers verified before route lookup ({@code PolicyOrder.EDGE_TOKENS}). */
	@Bean
	TokenEdgeFilter tokenEdgeFilter(JwtProviders jwtProviders) {
		return new TokenEdgeFilter(jwtProviders);
	}

	@Bean
	AuthenticationGatewayFilterFactory authenticationGatewayFilterFactory(JwtProviders jwtProviders, ApiKeys apiKeys,
			ObjectProvider<MeterRegistry> meters) {
		return new AuthenticationGatewayFilterFactory(jwtProviders, apiKeys, meters(meters));
	}

	@Bean
	CanaryGatewayFilterFactory canaryGatewayFilterFactory(RandomGenerator random, Rollouts rollouts) {
		return new CanaryGatewayFilterFactory(random, rollouts);
	}

	/** The running rollouts' counters on this replica, by route. */
	@Bean
	Rollouts rollouts() {
		return new Rollouts();
	}

	@Bean(destroyMethod = "close")
	MirrorSender mirrorSender(UpstreamRegistry registry, ObjectProvider<MirrorRecording> recording) {
		return new MirrorSender(registry, recording.getIfUnique(() -> MirrorRecording.OFF));
	}

	@Bean
	MirrorComparisons mirrorComparisons() {
		return new MirrorComparisons();
	}

	@Bean
	MirrorResponseCaptureGatewayFilterFactory mirrorResponseCaptureGatewayFilterFactory() {
		return new MirrorResponseCaptureGatewayFilterFactory();
	}

	@Bean
	RequestMirrorGatewayFilterFactory requestMirrorGatewayFilterFactory(MirrorSender sender,
			ObjectProvider<MeterRegistry> meters, RandomGenerator random, MirrorComparisons comparisons) {
		return new RequestMirrorGatewayFilterFactory(sender, meters(meters), random, comparisons);
	}

	@Bean
	BudgetedRetryGatewayFilterFactory budgetedRetryGatewayFilterFactory(ObjectProvider<MeterRegistry> meters,
			RandomGenerator random) {
		return new BudgetedRetryGatewayFilterFactory(meters(meters), random);
	}

	@Bean
	RouteTimeoutGatewayFilterFactory routeTimeoutGatewayFilterFactory() {
		return new RouteTimeoutGatewayFilterFactory();
	}

	@Bean
	StreamIdleTimeoutGatewayFilterFactory streamIdleTimeoutGatewayFilterFactory() {
		return new StreamIdleTimeoutGatewayFilterFactory();
	}

	@Bean
	FaultGatewayFilterFactory faultGatewayFilterFactory(RandomGenerator random) {
		return new FaultGatewayFilterFactory(random);
	}

	@Bean
	LocalRateLimitGatewayFilterFactory localRateLimitGatewayFilterFactory(ObjectProvider<MeterRegistry> meters) {
		return new LocalRateLimitGatewayFilterFactory(meters(meters), System::nanoTime);
	}

	/** External authorization: its own connection pool, closed with the context. */
	@Bean(destroyMethod = "close")
	ExtAuthzGatewayFilterFactory extAuthzGatewayFilterFactory(ObjectProvider<MeterRegistry> meters,
			UpstreamTlsFactory tls) {
		return new ExtAuthzGatewayFilterFactory(meters(meters), System::nanoTime, tls);
	}

	@Bean
	PathMatchRoutePredicateFactory pathMatchRoutePredicateFactory() {
		return new PathMatchRoutePredicateFactory();
	}

	@Bean
	HeaderMatchRoutePredicateFactory headerMatchRoutePredicateFactory() {
		return new HeaderMatchRoutePredicateFactory();
	}

	@Bean
	HostMatchRoutePredicateFactory hostMatchRoutePredicateFactory() {
		return new HostMatchRoutePredicateFactory();
	}

	/** Which listener port each server stands for; the servers register themselves as they bind. */
	@Bean
	@ConditionalOnMissingBean
	ListenerPorts listenerPorts() {
		return new ListenerPorts();
	}

	@Bean
	ListenerMatchRoutePredicateFactory listenerMatchRoutePredicateFactory(ListenerPorts ports) {
		return new ListenerMatchRoutePredicateFactory(ports);
	}

	@Bean
	QueryMatchRoutePredicateFactory queryMatchRoutePredicateFactory() {
		return new QueryMatchRoutePredicateFactory();
	}

	@Bean
	ClaimMatchRoutePredicateFactory claimMatchRoutePredicateFactory() {
		return new ClaimMatchRoutePredicateFactory();
	}

	@Bean
	PrincipalMatchRoutePredicateFactory principalMatchRoutePredicateFactory() {
		return new PrincipalMatchRoutePredicateFactory();
	}

	@Bean
	RequestHeaderModifierGatewayFilterFactory requestHeaderModifierGatewayFilterFactory() {
		return new RequestHeaderModifierGatewayFilterFactory();
	}

	@Bean
	ResponseHeaderModifierGatewayFilterFactory responseHeaderModifierGatewayFilterFactory() {
		return new ResponseHeaderModifierGatewayFilterFactory();
	}

	@Bean
	BackendHeaderModifierGatewayFilterFactory backendHeaderModifierGatewayFilterFactory() {
		return new BackendHeaderModifierGatewayFilterFactory();
	}

	@Bean
	UrlRewriteGatewayFilterFactory urlRewriteGatewayFilterFactory() {
		return new UrlRewriteGatewayFilterFactory();
	}

	@Bean
	RequestRedirectGatewayFilterFactory requestRedirectGatewayFilterFactory() {
		return new RequestRedirectGatewayFilterFactory();
	}

	/** The application's registry; without one, Micrometer's global registry. */
	private static MeterRegistry meters(ObjectProvider<MeterRegistry> meters) {
		return meters.getIfUnique(() -> Metrics.globalRegistry);
	}

	/** The edge: the client's address (trusted proxies only) and headers, before route lookup. */
	@Bean
	ClientRequestFilter clientRequestFilter(IngressProperties ingress) {
		return new ClientRequestFilter(ingress.clientAddressResolver());
	}

	@Bean
	@ConditionalOnMissingBean(GatewayErrorHandler.class)
	GatewayErrorHandler gatewayErrorHandler(IngressFailures failures) {
		return new GatewayErrorHandler(failures::bodyTimeoutObserved);
	}

	/** Kubernetes discovery, when the application has a fabric8 client (Spring Cloud Kubernetes makes one). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(KubernetesClient.class)
	@ConditionalOnBean(KubernetesClient.class)
	static class KubernetesDiscoveryConfiguration {

		@Bean
		EndpointSourceFactory kubernetesEndpointSources(KubernetesClient client) {
			return new KubernetesEndpointSources(client);
		}

	}

}
