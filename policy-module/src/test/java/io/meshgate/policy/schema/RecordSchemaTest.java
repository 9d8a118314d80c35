package io.meshgate.policy.schema;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.binding.PolicyTrees;
import io.meshgate.policy.fault.FaultPolicy;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RecordSchemaTest {

	static final Map<String, Object> SCHEMA = RecordSchema.of(MeshConfig.class);

	@Test
	void describesEveryComponentOfEveryRecordOfTheConfiguration() {
		assertThat(SCHEMA).containsEntry("$schema", "https://json-schema.org/draft/2020-12/schema")
			.containsEntry("$ref", "#/$defs/MeshConfig");
		Set<Class<?>> records = records(MeshConfig.class);
		assertThat(records).contains(Route.class, Upstream.class, RetryPolicy.class, FaultPolicy.Delay.class);
		for (Class<?> record : records) {
			Map<String, Object> definition = definition(RecordSchema.name(record));
			assertThat(definition).as(record.getName()).containsEntry("additionalProperties", false);
			Map<String, Object> properties = map(definition.get("properties"));
			for (RecordComponent component : record.getRecordComponents()) {
				assertThat(properties).as(record.getSimpleName()).containsKey(component.getName());
				assertThat(map(properties.get(component.getName())).keySet())
					.as(record.getSimpleName() + "." + component.getName())
					.containsAnyOf("type", "$ref", "anyOf");
			}
			assertThat(properties).hasSameSizeAs(record.getRecordComponents());
		}
	}

	@Test
	void statesTheDefaultsTheConstructorsFillIn() {
		RetryPolicy retries = new RetryPolicy(null, null, null, null, null, null, null, null, null);
		Map<String, Object> retry = properties("RetryPolicy");
		assertThat(map(retry.get("attempts"))).containsEntry("type", "integer").containsEntry("default", retries.attempts());
		assertThat(map(retry.get("budgetPercent"))).containsEntry("type", "number")
			.containsEntry("default", retries.budgetPercent());
		assertThat(map(retry.get("retryOn"))).containsEntry("default", PolicyTrees.compact(retries.retryOn()))
			.containsEntry("type", "array");
		assertThat(map(retry.get("baseInterval"))).containsEntry("default", PolicyTrees.compact(retries.baseInterval()))
			.containsEntry("pattern", RecordSchema.DURATION_PATTERN);
		assertThat(map(retry.get("maxBodySize"))).containsEntry("default", PolicyTrees.compact(retries.maxBodySize()))
			.containsEntry("pattern", RecordSchema.DATA_SIZE_PATTERN);
		assertThat(map(retry.get("perTryTimeout"))).doesNotContainKey("default").containsEntry("examples", List.of("1s"));
		assertThat(map(retry.get("retryNonIdempotent"))).containsEntry("default", false);

		MirrorPolicy mirror = new MirrorPolicy("any", null, null, null, null, null);
		assertThat(map(properties("MirrorPolicy").get("percentage"))).containsEntry("default", mirror.percentage());
		assertThat(map(properties("MirrorPolicy").get("maxBodySize"))).containsEntry("default", "64KB");
		assertThat(map(properties("RouteMatch").get("pathType"))).containsEntry("default", "PATTERN")
			.containsEntry("enum", List.of("PATTERN", "EXACT", "PREFIX", "REGEX"));
		assertThat(map(properties("RedirectPolicy").get("statusCode"))).containsEntry("default", 302);
		assertThat(map(properties("Route").get("fault"))).containsEntry("$ref", "#/$defs/FaultPolicy")
			.containsEntry("default", PolicyTrees.compact(FaultPolicy.NONE));
		assertThat(map(properties("Route").get("retries"))).doesNotContainKey("default");
		assertThat(map(properties("CanaryPolicy").get("stickyOn"))).containsEntry("type", "string")
			.containsEntry("examples", List.of("cookie:session", "header:x-user"));
		assertThat(map(properties("RouteMatch").get("methods"))).containsEntry("examples", List.of(List.of("GET", "POST")));
		assertThat(map(properties("RateLimitPolicy").get("keyOn"))).containsEntry("default", "client-address");
	}

	@Test
	void aDefaultThatFollowsAnotherComponentNamesItInsteadOfAValue() {
		assertThat(map(properties("RateLimitPolicy").get("tokensPerFill"))).doesNotContainKey("default")
			.containsEntry("x-defaultFrom", List.of("maxTokens"));
		assertThat(map(properties("RetryPolicy").get("maxInterval"))).doesNotContainKey("default")
			.containsEntry("x-defaultFrom", List.of("baseInterval"));
		// the same at the default window, at most the window otherwise: the value at the defaults
		assertThat(map(properties("CircuitBreakerPolicy").get("minimumNumberOfCalls"))).containsEntry("default", 20);
	}

	@Test
	void requiresWhatTheConstructorsRefuseToLeaveEmpty() {
		assertThat(definition("Route")).containsEntry("required", List.of("id", "match"))
			.containsEntry("anyOf", List.of(Map.of("required", List.of("backends")), Map.of("required", List.of("redirect"))));
		assertThat(definition("Upstream")).containsEntry("required", List.of("name"))
			.containsEntry("anyOf", List.of(Map.of("required", List.of("endpoints")), Map.of("required", List.of("discovery"))));
		assertThat(definition("RateLimitPolicy")).containsEntry("required", List.of("maxTokens"));
		assertThat(definition("MirrorPolicy")).containsEntry("required", List.of("upstream"));
		// a TCP upstream's check has no path; an HTTP upstream's is refused without one (Upstream)
		assertThat(definition("HealthCheckPolicy")).doesNotContainKey("required");
		assertThat(definition("RetryPolicy")).doesNotContainKey("required");
		assertThat(definition("MeshConfig")).doesNotContainKey("required");
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitPolicy(null, null, null, null, null));
	}

	@Test
	void writesEveryDurationAndSizeAsConfigurationBindingReadsThem() {
		Pattern duration = Pattern.compile(RecordSchema.DURATION_PATTERN);
		Pattern size = Pattern.compile(RecordSchema.DATA_SIZE_PATTERN);
		int checked = 0;
		for (Object definition : map(SCHEMA.get("$defs")).values()) {
			for (Object property : map(map(definition).get("properties")).values()) {
				Map<String, Object> p = map(property);
				Pattern pattern = RecordSchema.DURATION_PATTERN.equals(p.get("pattern")) ? duration
						: RecordSchema.DATA_SIZE_PATTERN.equals(p.get("pattern")) ? size : null;
				if (pattern != null && p.containsKey("default")) {
					assertThat((String) p.get("default")).matches(pattern);
					checked++;
				}
			}
		}
		assertThat(checked).isGreaterThan(10);
	}

	/** A component of a type the schema cannot express. */
	record Unexpressible(String name, Object anything) {
	}

	/** A required component without an example: the schema cannot learn the other defaults. */
	record Unsampled(String name, Integer size) {

		Unsampled {
			if (name == null) {
				throw new IllegalArgumentException("name: null (expected: a name)");
			}
		}

	}

	record Holder(List<Unexpressible> items) {
	}

	@Test
	void aComponentTheSchemaCannotExpressStopsTheBuildNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> RecordSchema.of(Holder.class))
			.withMessageStartingWith("RecordSchemaTest.Unexpressible.anything: java.lang.Object (expected: a type");
		assertThatIllegalArgumentException().isThrownBy(() -> RecordSchema.of(Unsampled.class))
			.withMessageContaining("Unsampled: refuses its components left empty (name: null (expected: a name))");
	}

	private static Map<String, Object> definition(String name) {
		return map(map(SCHEMA.get("$defs")).get(name));
	}

	private static Map<String, Object> properties(String name) {
		return map(definition(name).get("properties"));
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	/** A record the schema describes as a string only ({@code HashKey}, {@code RetryOn}): it has no definition. */
	private static boolean writtenAsString(Class<?> type) {
		return RecordSchema.parses(type, String.class) && !map(SCHEMA.get("$defs")).containsKey(RecordSchema.name(type));
	}

	/** Every record reachable from {@code root} through components, lists and maps, except those written as strings. */
	static Set<Class<?>> records(Class<?> root) {
		Set<Class<?>> found = new LinkedHashSet<>();
		Deque<Type> todo = new ArrayDeque<>(List.of(root));
		while (!todo.isEmpty()) {
			Type type = todo.pop();
			if (type instanceof ParameterizedType p) {
				todo.addAll(List.of(p.getActualTypeArguments()));
			}
			else if (type instanceof Class<?> c && c.isRecord() && !writtenAsString(c) && found.add(c)) {
				for (RecordComponent component : c.getRecordComponents()) {
					todo.add(component.getGenericType());
				}
			}
		}
		return found;
	}

}
