package io.meshgate.gateway.observe;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.cloud.gateway.actuate.GatewayControllerEndpoint;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.factory.GatewayFilterFactory;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.handler.predicate.RoutePredicateFactory;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.cloud.gateway.route.RouteDefinitionWriter;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import io.meshgate.policy.observe.Masking;
import io.meshgate.policy.route.MeshRouteLocator;

/**
 * Spring Cloud Gateway's {@code /actuator/gateway} endpoint with secrets masked
 * ({@link Masking}): {@code /routedefinitions} serves copies of the route definitions whose
 * arguments are masked (a header modifier's {@code set[Authorization]}, a secret header's match
 * pattern). {@code /routes} and {@code /routes/{id}} print each predicate and filter by its
 * {@code toString()}: Meshgate's filters mask themselves, and every argument value the definition's
 * mask hides is masked in those texts too (Spring Cloud Gateway's {@code Header} predicate prints
 * its pattern), as in {@code /routes/{id}/combinedfilters}, which prints the whole route. The gateway registers its endpoint without a
 * condition on a missing bean, so {@link #replacing()} swaps the bean's class for this one.
 */
public class MaskedGatewayControllerEndpoint extends GatewayControllerEndpoint {

	/** The name Spring Cloud Gateway's auto-configuration gives its endpoint bean. */
	static final String BEAN_NAME = "gatewayControllerEndpoint";

	/** Meshgate's compiled routes, which the gateway's definition locators do not hold. */
	private final ObjectProvider<MeshRouteLocator> meshRoutes;

	public MaskedGatewayControllerEndpoint(List<GlobalFilter> globalFilters, List<GatewayFilterFactory> gatewayFilters,
			List<RoutePredicateFactory> routePredicates, RouteDefinitionWriter routeDefinitionWriter,
			RouteLocator routeLocator, RouteDefinitionLocator routeDefinitionLocator,
			WebEndpointProperties webEndpointProperties, ObjectProvider<MeshRouteLocator> meshRoutes) {
		super(globalFilters, gatewayFilters, routePredicates, routeDefinitionWriter, routeLocator,
				routeDefinitionLocator, webEndpointProperties);
		this.meshRoutes = meshRoutes;
	}

	@Override
	@GetMapping("/routedefinitions")
	public Flux<RouteDefinition> routesdef() {
		return super.routesdef().map(MaskedGatewayControllerEndpoint::masked);
	}

	@Override
	@GetMapping("/routes")
	public Flux<Map<String, Object>> routes() {
		return secretValues().flatMapMany(secrets -> super.routes().map(route -> masked(route, secrets)));
	}

	@Override
	@GetMapping("/routes/{id}")
	public Mono<ResponseEntity<Map<String, Object>>> route(@PathVariable String id) {
		return secretValues().flatMap(secrets -> super.route(id)
			.map(found -> found.getBody() == null ? found : ResponseEntity.ok(masked(found.getBody(), secrets))));
	}

	@Override
	@GetMapping("/routes/{id}/combinedfilters")
	public Mono<HashMap<String, Object>> combinedfilters(@PathVariable String id) {
		return secretValues().flatMap(secrets -> super.combinedfilters(id).map(filters -> {
			Set<String> values = secrets.getOrDefault(id, Set.of());
			HashMap<String, Object> masked = new HashMap<>();
			filters.forEach((text, order) -> masked.put(masked(text, values), order));
			return masked;
		}));
	}

	/** Each route's argument values that its masked definition hides, by route id. */
	private Mono<Map<String, Set<String>>> secretValues() {
		MeshRouteLocator mesh = meshRoutes.getIfAvailable();
		return Flux.concat(this.routeDefinitionLocator.getRouteDefinitions(),
				Flux.fromIterable(mesh == null ? List.of() : mesh.definitions()))
			.collect(HashMap::new, (found, definition) -> {
				Set<String> secrets = found.computeIfAbsent(definition.getId(), id -> new HashSet<>());
				definition.getPredicates().forEach(predicate -> hidden(predicate.getArgs(), secrets));
				definition.getFilters().forEach(filter -> hidden(filter.getArgs(), secrets));
			});
	}

	private static void hidden(Map<String, String> args, Set<String> secrets) {
		Map<String, String> masked = Masking.arguments(args);
		args.forEach((key, value) -> {
			if (value != null && !value.isEmpty() && !value.equals(masked.get(key))) {
				secrets.add(value);
			}
		});
	}

	/** The actuator's JSON of one route with {@code secrets} masked in its predicate and filter texts. */
	private static Map<String, Object> masked(Map<String, Object> route, Map<String, Set<String>> secrets) {
		Set<String> values = secrets.getOrDefault(String.valueOf(route.get("route_id")), Set.of());
		if (values.isEmpty()) {
			return route;
		}
		Map<String, Object> copy = new LinkedHashMap<>(route);
		copy.computeIfPresent("predicate", (key, text) -> masked(String.valueOf(text), values));
		copy.computeIfPresent("filters", (key, filters) -> ((List<?>) filters).stream()
			.map(filter -> masked(String.valueOf(filter), values))
			.toList());
		return copy;
	}

	private static String masked(String text, Set<String> values) {
		String masked = text;
		for (String value : values) {
			masked = masked.replace(value, Masking.MASK);
		}
		return masked;
	}

	/** A copy of {@code definition} with masked arguments; the running one is left as it is. */
	static RouteDefinition masked(RouteDefinition definition) {
		RouteDefinition copy = new RouteDefinition();
		copy.setId(definition.getId());
		copy.setUri(definition.getUri());
		copy.setOrder(definition.getOrder());
		copy.setEnabled(definition.isEnabled());
		copy.setMetadata(definition.getMetadata());
		copy.setPredicates(definition.getPredicates().stream().map(predicate -> {
			PredicateDefinition masked = new PredicateDefinition();
			masked.setName(predicate.getName());
			masked.setArgs(Masking.arguments(predicate.getArgs()));
			return masked;
		}).toList());
		copy.setFilters(definition.getFilters().stream().map(filter -> {
			FilterDefinition masked = new FilterDefinition();
			masked.setName(filter.getName());
			masked.setArgs(Masking.arguments(filter.getArgs()));
			return masked;
		}).toList());
		return copy;
	}

	/**
	 * Makes the gateway's endpoint bean an instance of this class, with the same constructor
	 * arguments (autowired); runs after the auto-configuration registered it, so its conditions
	 * (endpoint available, verbose) have been evaluated already.
	 */
	static BeanDefinitionRegistryPostProcessor replacing() {
		return new BeanDefinitionRegistryPostProcessor() {
			@Override
			public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
				if (!registry.containsBeanDefinition(BEAN_NAME)) {
					return;
				}
				RootBeanDefinition masked = new RootBeanDefinition(MaskedGatewayControllerEndpoint.class);
				masked.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
				registry.removeBeanDefinition(BEAN_NAME);
				registry.registerBeanDefinition(BEAN_NAME, masked);
			}

			@Override
			public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
			}
		};
	}

}
