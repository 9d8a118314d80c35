package io.meshgate.policy.binding;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.cloud.gateway.support.NameUtils;
import org.springframework.util.unit.DataSize;

/**
 * Filter and predicate arguments to policy records and back, in one place. Arguments are flat
 * names as in gateway YAML: a record component by its name ({@code maxTokens}), a nested record's
 * with a dot ({@code delay.percentage}), a map's entries in brackets, which keep the key as
 * written ({@code set[X-Env]}), a list as comma-separated text ({@code retryOn: 503,reset}) or
 * indexed ({@code retryOn[0]}). A component annotated {@code @Name("")} lends its record's
 * components to the arguments of its owner: {@code UrlRewrite}'s {@code prefix} sits next to the
 * rewrite policy's own fields.
 *
 * <p>{@link #bind} binds with Spring Boot's {@link Binder}, so each record is built through its
 * constructor and checked there; {@link #arguments} writes a record so that binding gives it
 * back. Both run when a route is built, never per request.
 */
public final class PolicyBinding {

	private static final Pattern FIELD = Pattern.compile("^([A-Za-z][\\w.\\[\\]-]*): ");

	private static final Pattern EXPECTED = Pattern.compile("\\(expected: (.*)\\)$", Pattern.DOTALL);

	private PolicyBinding() {
	}

	/**
	 * The arguments that bind into {@code policy}: its fields as flat names to text, none for
	 * {@code null} or empty values. Adding a component to a record adds its argument here.
	 */
	public static Map<String, String> arguments(Record policy) {
		Flattened flat = new Flattened();
		flat.record((Map<?, ?>) PolicyTrees.compact(policy), policy.getClass(), "", List.of());
		if (!flat.errors.isEmpty()) {
			throw new IllegalStateException(String.join("; ", flat.errors));
		}
		Map<String, String> arguments = new LinkedHashMap<>();
		flat.names.forEach((name, value) -> arguments.put(name, String.valueOf(value)));
		return arguments;
	}

	/**
	 * Binds {@code given} (arguments as {@link PolicyArguments} holds them) into a {@code type}.
	 * Throws {@link IllegalArgumentException} with every problem found, each as
	 * {@code field: value (expected: …)}: unknown arguments, values that do not convert, and the
	 * record's own checks.
	 * @param shortcut the argument names of the shortcut form, in order, for the error about a
	 * shortcut with too many values
	 */
	public static <P extends Record> P bind(Class<P> type, Map<String, ?> given, List<String> shortcut) {
		Flattened flat = new Flattened();
		flat.record(given, type, "", shortcut);
		Binder binder = new Binder(List.of(new MapConfigurationPropertySource(flat.names)), null,
				ApplicationConversionService.getSharedInstance());
		try {
			P bound = binder.bindOrCreate("", Bindable.of(type));
			if (flat.errors.isEmpty()) {
				return bound;
			}
		}
		catch (BindException ex) {
			flat.errors.add(message(ex, flat.names));
		}
		throw new IllegalArgumentException(String.join("; ", flat.errors));
	}

	/** The names the binder reads, built from a tree guided by the record's types. */
	private static final class Flattened {

		final Map<String, Object> names = new LinkedHashMap<>();

		final List<String> errors = new ArrayList<>();

		void record(Map<?, ?> tree, Class<?> type, String prefix, List<String> shortcut) {
			if (tree == null) {
				return;
			}
			Map<String, RecordComponent> fields = fields(type, new LinkedHashMap<>());
			tree.forEach((key, value) -> {
				String name = String.valueOf(key);
				RecordComponent field = fields.get(relaxed(name));
				RecordComponent inline = inline(type, name);
				Map.Entry<String, Object> flat = field == null ? nested(name, value, fields) : null;
				if (inline != null && value instanceof Map<?, ?> map) {
					// a record's tree nests what the arguments spread out
					record(map, inline.getType(), prefix, shortcut);
				}
				else if (field != null) {
					value(value, field.getGenericType(), prefix + field.getName());
				}
				else if (flat != null) {
					RecordComponent owner = fields.get(relaxed(flat.getKey()));
					value(flat.getValue(), owner.getGenericType(), prefix + owner.getName());
				}
				else if (name.startsWith(NameUtils.GENERATED_NAME_PREFIX)) {
					errors.add("arguments[" + name.substring(NameUtils.GENERATED_NAME_PREFIX.length()) + "]: " + value
							+ " (expected: at most " + shortcut.size() + " in the shortcut form: "
							+ String.join(", ", shortcut) + ")");
				}
				else {
					errors.add(prefix + name + ": " + value + " (expected: one of the arguments "
							+ fields.values().stream().map(RecordComponent::getName).toList() + ")");
				}
			});
		}

		void value(Object value, Type type, String name) {
			if (value == null) {
				return;
			}
			Class<?> raw = raw(type);
			List<?> items = items(value);
			if (Map.class.isAssignableFrom(raw)) {
				if (value instanceof Map<?, ?> map) {
					map.forEach((key, item) -> value(item, argument(type, 1), name + "[" + key + "]"));
				}
				else {
					errors.add(name + ": " + value + " (expected: names with values, as " + name + "[name]: value)");
				}
			}
			else if (Collection.class.isAssignableFrom(raw) && items != null) {
				if (items.stream().allMatch(PolicyBinding::joinable)) {
					names.put(name, String.join(",", items.stream().map(String::valueOf).toList()));
				}
				else {
					for (int i = 0; i < items.size(); i++) {
						value(items.get(i), argument(type, 0), name + "[" + i + "]");
					}
				}
			}
			else if (raw.isRecord() && items == null && value instanceof Map<?, ?> map) {
				record(map, raw, name + ".", List.of());
			}
			else if (items != null && items.stream().allMatch(PolicyBinding::joinable)) {
				// a list where one value is expected: its comma-separated text, as a shortcut writes it
				names.put(name, String.join(",", items.stream().map(String::valueOf).toList()));
			}
			else if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
				errors.add(name + ": " + value + " (expected: a single value)");
			}
			else {
				names.put(name, value);
			}
		}

	}

	/** The components of {@code type} by relaxed name, those of {@code @Name("")} components in their place. */
	private static Map<String, RecordComponent> fields(Class<?> type, Map<String, RecordComponent> fields) {
		for (RecordComponent component : PolicyTrees.components(type)) {
			if (inline(component)) {
				fields(component.getType(), fields);
			}
			else {
				fields.put(relaxed(component.getName()), component);
			}
		}
		return fields;
	}

	/**
	 * A name written flat ({@code delay.percentage}, {@code set[X-Env]}) as its first element and a
	 * tree of the rest, when the first element is a field; else null.
	 */
	private static Map.Entry<String, Object> nested(String name, Object value, Map<String, RecordComponent> fields) {
		int dot = name.indexOf('.');
		int bracket = name.indexOf('[');
		int cut = dot < 0 ? bracket : bracket < 0 ? dot : Math.min(dot, bracket);
		if (cut <= 0 || !fields.containsKey(relaxed(name.substring(0, cut)))) {
			return null;
		}
		String head = name.substring(0, cut);
		if (cut == dot) {
			return Map.entry(head, Map.of(name.substring(cut + 1), value));
		}
		int close = name.indexOf(']', cut);
		if (close < 0) {
			return null;
		}
		String key = name.substring(cut + 1, close);
		String rest = name.substring(close + 1);
		return Map.entry(head, Map.of(key, rest.isEmpty() ? value : Map.of(rest.replaceFirst("^\\.", ""), value)));
	}

	/** A record component whose own components are arguments of its owner: {@code @Name("")}. */
	private static boolean inline(RecordComponent component) {
		if (!component.getType().isRecord()) {
			return false;
		}
		try {
			// @Name targets fields and parameters: on a record component it lands on the field
			Name name = component.getDeclaringRecord().getDeclaredField(component.getName()).getAnnotation(Name.class);
			return name != null && name.value().isEmpty();
		}
		catch (NoSuchFieldException ex) {
			return false;
		}
	}

	/** The {@code @Name("")} component of {@code type} called {@code name}, if any. */
	private static RecordComponent inline(Class<?> type, String name) {
		for (RecordComponent component : PolicyTrees.components(type)) {
			if (inline(component) && relaxed(component.getName()).equals(relaxed(name))) {
				return component;
			}
		}
		return null;
	}

	/** {@code maxTokens}, {@code max-tokens} and {@code max_tokens} are one name, as Spring Boot binds them. */
	private static String relaxed(String name) {
		return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
	}

	/** The items of a list, or of a map indexed 0, 1, … (how the gateway hands over {@code x[0]}); else null. */
	private static List<?> items(Object value) {
		if (value instanceof List<?> list) {
			return list;
		}
		if (value instanceof Map<?, ?> map && !map.isEmpty()
				&& map.keySet().stream().allMatch(key -> String.valueOf(key).matches("\\d{1,9}"))) {
			Map<Integer, Object> sorted = new TreeMap<>();
			map.forEach((key, item) -> sorted.put(Integer.valueOf(String.valueOf(key)), item));
			return List.copyOf(sorted.values());
		}
		return null;
	}

	/** Whether an item survives being written into comma-separated text. */
	private static boolean joinable(Object item) {
		if (item == null || item instanceof Map<?, ?> || item instanceof Collection<?>) {
			return false;
		}
		String text = String.valueOf(item);
		return !text.isEmpty() && text.indexOf(',') < 0 && text.strip().equals(text);
	}

	private static String message(BindException ex, Map<String, Object> names) {
		IllegalArgumentException invalid = null;
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof IllegalArgumentException candidate && candidate.getMessage() != null
					&& FIELD.matcher(candidate.getMessage()).find()) {
				invalid = candidate;
				break;
			}
		}
		if (ex.getProperty() == null) {
			// the record's constructor refused the values: its message names the field
			return invalid != null ? invalid.getMessage()
					: display(ex.getName(), names) + ": (expected: " + expected(ex.getTarget()) + ")";
		}
		String field = display(ex.getName(), names);
		Object value = ex.getProperty().getValue();
		if (invalid == null) {
			return field + ": " + value + " (expected: " + expected(ex.getTarget()) + ")";
		}
		Matcher own = FIELD.matcher(invalid.getMessage());
		if (own.find() && own.group(1).equals(field)) {
			return invalid.getMessage();
		}
		Matcher expected = EXPECTED.matcher(invalid.getMessage());
		return field + ": " + value + " (expected: " + (expected.find() ? expected.group(1) : expected(ex.getTarget()))
				+ ")";
	}

	/** The argument as written ({@code fillInterval}) for the name the binder failed on ({@code fill-interval}). */
	private static String display(ConfigurationPropertyName failed, Map<String, Object> names) {
		for (String name : names.keySet()) {
			if (ConfigurationPropertyName.adapt(name, '.').equals(failed)) {
				return name;
			}
		}
		return failed.toString();
	}

	private static String expected(Bindable<?> target) {
		Class<?> type = target.getType().resolve(Object.class);
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "a whole number";
		}
		if (type == Double.class || type == double.class) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == Duration.class) {
			return "a duration, as in 5s or 250ms";
		}
		if (type == DataSize.class) {
			return "a size, as in 64KB";
		}
		if (type.isEnum()) {
			return "one of " + Arrays.toString(type.getEnumConstants());
		}
		if (Collection.class.isAssignableFrom(type)) {
			return "a comma-separated list";
		}
		return "a " + type.getSimpleName();
	}

	private static Class<?> raw(Type type) {
		if (type instanceof Class<?> raw) {
			return raw;
		}
		if (type instanceof ParameterizedType parameterized) {
			return (Class<?>) parameterized.getRawType();
		}
		return Object.class;
	}

	private static Type argument(Type type, int index) {
		return type instanceof ParameterizedType parameterized ? parameterized.getActualTypeArguments()[index]
				: Object.class;
	}

}
