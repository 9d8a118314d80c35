package io.meshgate.policy.schema;

import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.core.ResolvableType;
import org.springframework.util.unit.DataSize;

import io.meshgate.policy.binding.PolicyTrees;

/**
 * The JSON Schema (draft 2020-12) of a configuration record and every record it holds, read from
 * the records themselves: one {@code $defs} entry per record, a property per component with its
 * type, its default as the compact constructor fills it in ({@link RecordDefaults}), its
 * {@link Example}s, and the components the constructor requires. Unknown properties are refused,
 * as configuration binding refuses them. A default that follows another component is not stated
 * as a value: {@code x-defaultFrom} names the components it follows.
 *
 * <p>The schema describes shapes, defaults and required fields; the records' constructors remain
 * the one validation (ranges, fields that go together), with errors naming field and value.
 *
 * <p>Building fails with an {@link IllegalArgumentException} naming the component when a record
 * holds a type the schema cannot express, so a component added later is either described or
 * stops the build.
 */
public final class RecordSchema {

	public static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

	/** How configuration binding reads a duration in its simple form: a whole number and a unit. */
	public static final String DURATION_PATTERN = "^[0-9]+(ns|us|ms|s|m|h|d)$";

	/** How configuration binding reads a size: a whole number and a unit. */
	public static final String DATA_SIZE_PATTERN = "^[0-9]+(B|KB|MB|GB|TB)$";

	private final Map<String, Object> definitions = new LinkedHashMap<>();

	private final Map<String, Class<?>> named = new LinkedHashMap<>();

	private RecordSchema() {
	}

	/** The schema of {@code root}: {@code $ref} to its definition, and {@code $defs} with every record reachable from it. */
	public static Map<String, Object> of(Class<? extends Record> root) {
		RecordSchema schema = new RecordSchema();
		String name = schema.define(root);
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("$schema", DRAFT);
		document.put("title", name);
		document.put("$ref", ref(name));
		document.put("$defs", schema.definitions);
		return document;
	}

	/** The name of {@code type} in {@code $defs}: its name without the package ({@code FaultPolicy.Delay}). */
	public static String name(Class<?> type) {
		return type.getName().substring(type.getPackageName().length() + 1).replace('$', '.');
	}

	private static String ref(String name) {
		return "#/$defs/" + name;
	}

	private String define(Class<?> type) {
		String name = name(type);
		Class<?> known = named.putIfAbsent(name, type);
		if (known != null) {
			if (known != type) {
				throw new IllegalArgumentException(name + ": " + type.getName() + " (expected: one record of that name, not also "
						+ known.getName() + ")");
			}
			return name;
		}
		definitions.put(name, null); // holds the place: records are listed in the order they are met
		RecordDefaults defaults = RecordDefaults.of(type);
		Map<String, Object> properties = new LinkedHashMap<>();
		List<String> required = new ArrayList<>();
		List<Object> oneRequired = new ArrayList<>();
		for (RecordDefaults.Component component : defaults.components.values()) {
			RecordComponent part = component.component();
			properties.put(part.getName(), property(part, component));
			if (component.required()) {
				required.add(part.getName());
			}
			else if (!component.alternatives().isEmpty()) {
				oneRequired.add(Map.of("required", List.of(part.getName())));
				component.alternatives().forEach(other -> oneRequired.add(Map.of("required", List.of(other))));
			}
		}
		Map<String, Object> definition = new LinkedHashMap<>();
		definition.put("type", "object");
		definition.put("properties", properties);
		if (!required.isEmpty()) {
			definition.put("required", required);
		}
		if (!oneRequired.isEmpty()) {
			definition.put("anyOf", oneRequired.stream().distinct().toList());
		}
		definition.put("additionalProperties", false);
		definitions.put(name, definition);
		return name;
	}

	private Map<String, Object> property(RecordComponent part, RecordDefaults.Component component) {
		List<Object> samples = new ArrayList<>(RecordDefaults.examples(part));
		if (component.defaultValue() != null) {
			samples.add(component.defaultValue());
		}
		Map<String, Object> property = new LinkedHashMap<>(type(part.getGenericType(), part, samples));
		Object defaultValue = PolicyTrees.compact(component.defaultValue());
		if (defaultValue != null) {
			property.put("default", defaultValue);
		}
		if (!component.derivedFrom().isEmpty()) {
			property.put("x-defaultFrom", List.copyOf(component.derivedFrom()));
		}
		List<Object> examples = RecordDefaults.examples(part).stream().map(PolicyTrees::compact).toList();
		if (!examples.isEmpty()) {
			property.put("examples", examples);
		}
		return property;
	}

	/** The schema of {@code type}; {@code samples} are values of it, which tell a record written as a string. */
	private Map<String, Object> type(Type type, RecordComponent part, List<Object> samples) {
		Class<?> raw = ResolvableType.forType(type).toClass();
		if (raw == String.class || raw == Path.class) {
			return ordered("type", "string");
		}
		if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
			return ordered("type", "integer");
		}
		if (raw == Double.class || raw == double.class) {
			return ordered("type", "number");
		}
		if (raw == Boolean.class || raw == boolean.class) {
			return ordered("type", "boolean");
		}
		if (raw == Duration.class) {
			return ordered("type", "string", "pattern", DURATION_PATTERN);
		}
		if (raw == DataSize.class) {
			return ordered("type", "string", "pattern", DATA_SIZE_PATTERN);
		}
		if (raw == URI.class) {
			return ordered("type", "string", "format", "uri");
		}
		if (raw == Instant.class) {
			return ordered("type", "string", "format", "date-time");
		}
		if (raw.isEnum()) {
			return ordered("type", "string", "enum", Arrays.stream(raw.getEnumConstants()).map(c -> ((Enum<?>) c).name())
				.toList());
		}
		if (raw == List.class && type instanceof ParameterizedType list) {
			List<Object> items = samples.stream().flatMap(s -> ((List<?>) s).stream()).map(i -> (Object) i).toList();
			return ordered("type", "array", "items", type(list.getActualTypeArguments()[0], part, items));
		}
		if (raw == Map.class && type instanceof ParameterizedType map && map.getActualTypeArguments()[0] == String.class) {
			List<Object> values = samples.stream().flatMap(s -> ((Map<?, ?>) s).values().stream()).map(v -> (Object) v)
				.toList();
			return ordered("type", "object", "additionalProperties", type(map.getActualTypeArguments()[1], part, values));
		}
		if (raw.isRecord() && writtenAsString(samples)) {
			return ordered("type", parses(raw, Integer.class) ? List.of("string", "integer") : "string");
		}
		if (raw.isRecord()) {
			String name = define(raw);
			return parses(raw, String.class)
					? ordered("anyOf", List.of(ordered("type", "string"), ordered("$ref", ref(name))))
					: ordered("$ref", ref(name));
		}
		throw new IllegalArgumentException(name(part.getDeclaringRecord()) + "." + part.getName() + ": " + type.getTypeName()
				+ " (expected: a type the configuration schema can express: text, numbers, booleans, durations, sizes, "
				+ "URIs, instants, enums, records, and lists and maps of them)");
	}

	/**
	 * A record with a string form of its own ({@code HashKey}, {@code RetryOn}): its values here
	 * are written as strings that parse back ({@link PolicyTrees}). Without a value to ask, it is
	 * described both ways, as configuration binding reads both.
	 */
	private static boolean writtenAsString(List<Object> samples) {
		return !samples.isEmpty()
				&& samples.stream().allMatch(s -> s instanceof Record && PolicyTrees.compact(s) instanceof String);
	}

	/** Does {@code type} have a {@code static of(argument)}, by which configuration binding converts one? */
	static boolean parses(Class<?> type, Class<?> argument) {
		try {
			return Modifier.isStatic(type.getMethod("of", argument).getModifiers());
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	/** A map of {@code key, value} pairs in the order given: the schema reads the same on every start. */
	private static Map<String, Object> ordered(Object... pairs) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			map.put((String) pairs[i], pairs[i + 1]);
		}
		return map;
	}

}
