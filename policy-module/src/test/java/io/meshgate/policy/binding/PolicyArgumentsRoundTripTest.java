package io.meshgate.policy.binding;

import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.filter.factory.GatewayFilterFactory;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.handler.predicate.RoutePredicateFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionRouteLocator;
import org.springframework.cloud.gateway.support.Configurable;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.cloud.gateway.support.NameUtils;
import org.springframework.cloud.gateway.support.ShortcutConfigurable;
import org.springframework.util.unit.DataSize;

import io.meshgate.policy.breaker.CircuitBreakerPolicy;
import io.meshgate.policy.canary.CanaryGatewayFilterFactory;
import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.canary.WeightedBackends;
import io.meshgate.policy.cors.CorsPolicy;
import io.meshgate.policy.fault.FaultPolicy;
import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.mirror.compare.ComparePolicy;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.retry.RetryOn;
import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.policy.rewrite.BackendHeaderModifierGatewayFilterFactory;
import io.meshgate.policy.rewrite.HeaderModifier;
import io.meshgate.policy.rewrite.RedirectPolicy;
import io.meshgate.policy.rewrite.RequestRedirectGatewayFilterFactory;
import io.meshgate.policy.rewrite.RewritePolicy;
import io.meshgate.policy.rewrite.UrlRewriteGatewayFilterFactory;
import io.meshgate.policy.rollout.RolloutPolicy;
import io.meshgate.policy.route.ClaimMatch;
import io.meshgate.policy.route.HeaderMatch;
import io.meshgate.policy.route.PathMatch;
import io.meshgate.policy.route.PathType;
import io.meshgate.policy.route.HostMatch;
import io.meshgate.policy.route.ListenerMatch;
import io.meshgate.policy.route.PrincipalMatch;
import io.meshgate.policy.route.QueryMatch;
import io.meshgate.policy.security.authn.ApiKeyRequirement;
import io.meshgate.policy.security.authn.AuthenticationPolicy;
import io.meshgate.policy.security.authn.JwtRequirement;
import io.meshgate.policy.security.extauthz.ExtAuthzPolicy;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.timeout.RouteTimeoutGatewayFilterFactory;
import io.meshgate.policy.timeout.StreamIdleTimeoutGatewayFilterFactory;
import io.meshgate.policy.tls.TlsPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Every policy record survives the way a compiled route takes: record, arguments
 * ({@link PolicyBinding#arguments}), Spring Cloud Gateway's own binding of those arguments for the
 * real factory, and the factory's binding into the record, which must give the record back. The
 * samples set every field to a value other than its default, so a field that the arguments lose
 * or the binding ignores fails here.
 */
class PolicyArgumentsRoundTripTest extends GatewayTest {

	/** Samples by factory name; together they set every field of the factory's record. */
	static final Map<String, List<Record>> SAMPLES = Map.ofEntries(
			Map.entry("LocalRateLimit",
					List.of(new RateLimitPolicy(5, 2, Duration.ofMillis(1500), HashKey.of("header:x-api-key"), 7))),
			Map.entry("Cors",
					List.of(new CorsPolicy(List.of("https://shop.example.com", "https://*.example.com:8443"),
							List.of("GET", "PUT"), List.of("authorization", "content-type"), List.of("x-request-id"),
							true, Duration.ofMinutes(10)))),
			Map.entry("Fault",
					List.of(new FaultPolicy(new FaultPolicy.Delay(12.5, Duration.ofMillis(40)),
							new FaultPolicy.Abort(3.0, 418)))),
			Map.entry("RequestMirror",
					List.of(new MirrorPolicy("shadow", 12.5, DataSize.ofBytes(1000), 3, Duration.ofNanos(2_500_000_001L),
							new ComparePolicy(false, List.of("etag"), ComparePolicy.BodyComparison.JSON, List.of("$.at"), 4, "twin")),
					new MirrorPolicy("shadow", 12.5, null, null, null,
							new ComparePolicy(null, null, ComparePolicy.BodyComparison.EXACT, null, null, null)))),
			Map.entry("BudgetedRetry",
					List.of(new RetryPolicy(3, Duration.ofMillis(700),
							List.of(RetryOn.of("reset"), RetryOn.of("429"), RetryOn.of("gateway-error")),
							Duration.ofMillis(10), Duration.ofMillis(90), 35.5, 4, true, DataSize.ofKilobytes(8)))),
			Map.entry("RouteTimeout", List.of(new RouteTimeoutGatewayFilterFactory.Config(Duration.ofMillis(4200)))),
			Map.entry("StreamIdleTimeout", List.of(new StreamIdleTimeoutGatewayFilterFactory.Config(Duration.ofSeconds(90)))),
			Map.entry("RequestHeaderModifier", List.of(headers())),
			Map.entry("ResponseHeaderModifier", List.of(headers())),
			Map.entry("BackendHeaderModifier", List.of(
					new BackendHeaderModifierGatewayFilterFactory.BackendHeaders("orders-v2", headers(), headers()),
					new BackendHeaderModifierGatewayFilterFactory.BackendHeaders(null, null, headers()))),
			Map.entry("RequestRedirect", List.of(
					new RequestRedirectGatewayFilterFactory.Config(
							new RedirectPolicy("https", "example.com", 8443, null, "/new", 308), "/old"),
					new RequestRedirectGatewayFilterFactory.Config(RedirectPolicy.toPath("/moved", 307), null))),
			Map.entry("UrlRewrite", List.of(
					new UrlRewriteGatewayFilterFactory.Config(new RewritePolicy("shop.internal", null, "/v2", false), "/shop"),
					new UrlRewriteGatewayFilterFactory.Config(new RewritePolicy(null, "/full", null, true), null))),
			Map.entry("Canary",
					List.of(new CanaryGatewayFilterFactory.Config(WeightedBackends.of("a:90 b:10 c:0"),
							new CanaryPolicy(HashKey.of("cookie:session"), "x-canary",
									List.of("10.0.0.0/8", "2001:db8::/32"), true,
									new RolloutPolicy(List.of(0.5, 50.0, 100.0), Duration.ofMinutes(2), 100,
											Duration.ofSeconds(5), Duration.ofMinutes(10), 2.0, 1.25, 5, 0.02, true))))),
			Map.entry("ExtAuthz", List.of(new ExtAuthzPolicy(URI.create("https://authz.internal:9443/check"),
					new TlsPolicy(TlsPolicy.Mode.MUTUAL, Path.of("/certs/ca.crt"), Path.of("/certs/gw.crt"),
							Path.of("/certs/gw.key"), List.of("spiffe://cluster.local/ns/authz/sa/authz"), "authz.internal"),
					Duration.ofMillis(350), true, 503, List.of("authorization", "cookie"), List.of("x-user-id"),
					List.of("set-cookie"), List.of("www-authenticate", "x-reason"), true, DataSize.ofKilobytes(4),
					new CircuitBreakerPolicy(40.0, Duration.ofMillis(900), 70.0, 30, 12, Duration.ofSeconds(7), 3, 64),
					new ExtAuthzPolicy.DecisionCachePolicy(500, Duration.ofSeconds(90))))),
			Map.entry("Authentication",
					List.of(new AuthenticationPolicy(new JwtRequirement(List.of("idp", "other"), true),
							new ApiKeyRequirement("x-partner-key")))),
			Map.entry("PathMatch", List.of(new PathMatch(PathType.REGEX, "/v[0-9]{1,3}/a,b"))),
			Map.entry("HeaderMatch", List.of(new HeaderMatch("X-Env", "canary|beta"))),
			Map.entry("QueryMatch", List.of(new QueryMatch("version", "v[12]"))),
			Map.entry("HostMatch", List.of(new HostMatch("*.example.com"), new HostMatch("**.Example.com"),
					new HostMatch("[::1]"))),
			Map.entry("ListenerMatch", List.of(new ListenerMatch(8080, List.of("*.shop.example.com", "api.example.com")))),
			Map.entry("ClaimMatch", List.of(new ClaimMatch("realm.roles", "admin|ops"), new ClaimMatch("tier", "beta"))),
			Map.entry("PrincipalMatch", List.of(new PrincipalMatch(List.of("spiffe://cluster.local/ns/shop/*")),
					new PrincipalMatch(List.of("spiffe://a/sa/web", "*.example.com", "a,b")))));

	@Autowired
	ConfigurationService configurationService;

	@Autowired
	List<PolicyFilterFactory<?>> filterFactories;

	/** Raw, as {@code RouteDefinitionRouteLocator} takes them. */
	@SuppressWarnings("rawtypes")
	@Autowired
	List<GatewayFilterFactory> filters;

	@SuppressWarnings("rawtypes")
	@Autowired
	List<RoutePredicateFactory> predicates;

	@Autowired
	GatewayProperties gatewayProperties;

	@Autowired
	List<PolicyPredicateFactory<?>> predicateFactories;

	@Test
	void everyFilterRecordComesBackFromItsArguments() {
		assertThat(filterFactories).isNotEmpty();
		for (PolicyFilterFactory<?> factory : filterFactories) {
			roundTrip(factory.name(), factory.policyType(), given -> factory.bind(bound(factory, given)));
		}
	}

	@Test
	void everyPredicateRecordComesBackFromItsArguments() {
		assertThat(predicateFactories).isNotEmpty();
		for (PolicyPredicateFactory<?> factory : predicateFactories) {
			roundTrip(factory.name(), factory.argumentsType(), given -> factory.bind(bound(factory, given)));
		}
	}

	private static void roundTrip(String factory, Class<?> type, Function<Map<String, String>, Record> bind) {
		assertThat(SAMPLES).as("samples of " + factory).containsKey(factory);
		for (Record sample : SAMPLES.get(factory)) {
			Map<String, String> arguments = PolicyBinding.arguments(sample);
			assertThat(bind.apply(arguments)).as(factory + arguments).isEqualTo(sample);
		}
		assertEveryFieldSet(factory, type, bind);
	}

	@Test
	void theShortcutFormBindsLikeNamedArguments() {
		PolicyFilterFactory<?> canary = filterFactories.stream()
			.filter(f -> f.name().equals("Canary"))
			.findFirst()
			.orElseThrow();
		Map<String, String> shortcut = new LinkedHashMap<>();
		shortcut.put(NameUtils.generateName(0), "a:90 b:10");
		shortcut.put(NameUtils.generateName(1), "cookie:session");

		assertThat(canary.bind(bound(canary, shortcut))).isEqualTo(new CanaryGatewayFilterFactory.Config(
				WeightedBackends.of("a:90,b:10"), CanaryPolicy.sticky(HashKey.of("cookie:session"))));
	}

	@Test
	void aRouteWithAnUnknownOrInvalidArgumentIsNotBuiltAndTheErrorNamesTheArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> build("LocalRateLimit", Map.of("maxTokens", "ten")))
			.withMessage("maxTokens: ten (expected: a whole number)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> build("LocalRateLimit", Map.of("maxTokens", "5", "fillIntervall", "1s")))
			.withMessage("fillIntervall: 1s (expected: one of the arguments [maxTokens, tokensPerFill, fillInterval, "
					+ "keyOn, maxKeys])");
		assertThat(build("LocalRateLimit", Map.of("maxTokens", "5", "fill-interval", "1s"))).hasSize(1);
	}

	/** The routes Spring Cloud Gateway builds from one definition with one filter, as for gateway YAML. */
	private List<Route> build(String filter, Map<String, String> arguments) {
		RouteDefinition definition = new RouteDefinition();
		definition.setId("built");
		definition.setUri(URI.create("http://127.0.0.1:1"));
		definition.setPredicates(List.of(new PredicateDefinition("Path=/built/**")));
		FilterDefinition definitionFilter = new FilterDefinition();
		definitionFilter.setName(filter);
		definitionFilter.setArgs(new LinkedHashMap<>(arguments));
		definition.setFilters(List.of(definitionFilter));
		return new RouteDefinitionRouteLocator(() -> Flux.just(definition), predicates, filters, gatewayProperties,
				configurationService)
			.getRoutes()
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	/** The arguments as Spring Cloud Gateway hands them to the factory of a route definition. */
	private <C extends Configurable<PolicyArguments> & ShortcutConfigurable> PolicyArguments bound(C factory,
			Map<String, String> arguments) {
		return configurationService.with(factory).name("test").properties(arguments).bind();
	}

	/**
	 * Every field of {@code type} (nested and {@code @Name("")} records walked into) appears in the
	 * arguments of a sample, and leaving that argument out changes what binds (or fails: the field
	 * is required): each sample value is not the default.
	 */
	private static void assertEveryFieldSet(String factory, Class<?> type,
			Function<Map<String, String>, Record> bind) {
		Set<String> written = new TreeSet<>();
		Map<String, Set<String>> valuesSet = new HashMap<>();
		for (Record sample : SAMPLES.get(factory)) {
			PolicyBinding.arguments(sample).forEach((name, value) -> valuesSet.computeIfAbsent(name, n -> new TreeSet<>()).add(value));
		}
		for (Record sample : SAMPLES.get(factory)) {
			Map<String, String> arguments = PolicyBinding.arguments(sample);
			arguments.keySet().forEach(name -> written.add(name.replaceAll("\\[.*", "")));
			for (String name : arguments.keySet()) {
				if ("false".equals(arguments.get(name))) {
					continue; // a flag's default written out (the compact form keeps false); another sample sets it
				}
				Map<String, String> without = new HashMap<>(arguments);
				without.remove(name);
				Record bound;
				try {
					bound = bind.apply(without);
				}
				catch (IllegalArgumentException required) {
					continue;
				}
				if (bound.equals(sample) && valuesSet.get(name).size() > 1) {
					continue; // a default another field needs (ignore needs body JSON); another sample sets it otherwise
				}
				assertThat(bound).as(factory + " without " + name + ": its sample value is the default").isNotEqualTo(sample);
			}
		}
		assertThat(written).as(factory + ": fields set by the samples").containsAll(fields(type, ""));
	}

	private static List<String> fields(Class<?> type, String prefix) {
		List<String> fields = new ArrayList<>();
		for (RecordComponent component : type.getRecordComponents()) {
			Class<?> componentType = component.getType();
			boolean nested = componentType.isRecord() && !hasStringForm(componentType);
			if (nested && inline(component)) {
				fields.addAll(fields(componentType, prefix));
			}
			else if (nested) {
				fields.addAll(fields(componentType, prefix + component.getName() + "."));
			}
			else {
				fields.add(prefix + component.getName());
			}
		}
		return fields;
	}

	private static boolean inline(RecordComponent component) {
		try {
			Name name = component.getDeclaringRecord().getDeclaredField(component.getName()).getAnnotation(Name.class);
			return name != null && name.value().isEmpty();
		}
		catch (NoSuchFieldException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean hasStringForm(Class<?> type) {
		try {
			type.getMethod("of", String.class);
			return true;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	private static HeaderModifier headers() {
		Map<String, String> set = new LinkedHashMap<>();
		set.put("X-Env", "prod, eu");
		set.put("x_odd.name", "a b");
		return new HeaderModifier(set, Map.of("X-Via", "meshgate"), List.of("X-Debug", "X-Trace"));
	}

}
