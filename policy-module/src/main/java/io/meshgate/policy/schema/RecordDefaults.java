package io.meshgate.policy.schema;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.unit.DataSize;

/**
 * What a record's compact constructor does with components left out, learnt by calling it: the
 * defaults it fills in, the components it refuses to leave empty, and the defaults it derives
 * from other components. Nothing here knows a default: the constructor is asked.
 *
 * <ul>
 * <li>The <em>baseline</em> is the record built with every component empty ({@code null}, or
 * {@code 0}/{@code false} for a primitive) except those the constructor refuses empty: each
 * refusal names its field ({@code field: value (expected: …)}), which then gets a sample (its
 * first {@link Example}, or for a record-typed component that record's own baseline) until the
 * constructor accepts.</li>
 * <li>A component is <em>required</em> when the baseline without it is refused; it has
 * <em>alternatives</em> when giving one other component instead is accepted (an upstream's
 * {@code endpoints} or {@code discovery}).</li>
 * <li>A component left empty in the baseline has a <em>default</em>: its value there. The
 * default is <em>derived</em> from another component when it follows that component's value
 * (a rate limit's {@code tokensPerFill} is its {@code maxTokens}): each other component is
 * doubled and halved in turn to see.</li>
 * </ul>
 */
final class RecordDefaults {

	/** The conversions configuration binding uses: examples are read as a user's YAML would be. */
	private static final ConversionService CONVERSION = ApplicationConversionService.getSharedInstance();

	private static final int MAX_REFUSALS = 16;

	/** Each record's answers, learnt once: the schema asks for nested records' baselines again and again. */
	private static final Map<Class<?>, RecordDefaults> KNOWN = new ConcurrentHashMap<>();

	final Class<?> type;

	final Record baseline;

	/** Components in order, each with what the constructor does without it. */
	final Map<String, Component> components = new LinkedHashMap<>();

	/** What the constructor does with one component left out. */
	record Component(RecordComponent component, boolean required, List<String> alternatives, Object defaultValue,
			Set<String> derivedFrom) {
	}

	private RecordDefaults(Class<?> type) {
		this.type = type;
		RecordComponent[] parts = type.getRecordComponents();
		Object[] inputs = baselineInputs(type);
		this.baseline = construct(type, inputs);
		for (int i = 0; i < parts.length; i++) {
			RecordComponent part = parts[i];
			boolean given = inputs[i] != null && !isEmptyPrimitive(part, inputs[i]);
			List<String> alternatives = new ArrayList<>();
			boolean required = given && requiredIn(parts, inputs, i, alternatives);
			Object value = given ? null : read(baseline, part);
			Set<String> derived = given ? Set.of() : derivedFrom(parts, inputs, i);
			components.put(part.getName(), new Component(part, required && alternatives.isEmpty(), alternatives,
					derived.isEmpty() ? value : null, derived));
		}
	}

	static RecordDefaults of(Class<?> type) {
		RecordDefaults known = KNOWN.get(type);
		if (known == null) {
			// not computeIfAbsent: learning a record learns the records it holds, which updates the map
			known = new RecordDefaults(type);
			KNOWN.put(type, known);
		}
		return known;
	}

	/** The record built from empty components and samples where the constructor demands them. */
	private static Object[] baselineInputs(Class<?> type) {
		RecordComponent[] parts = type.getRecordComponents();
		Object[] inputs = new Object[parts.length];
		for (int i = 0; i < parts.length; i++) {
			inputs[i] = empty(parts[i]);
		}
		for (int refusals = 0; refusals < MAX_REFUSALS; refusals++) {
			RuntimeException refused = refusal(type, inputs);
			if (refused == null) {
				return inputs;
			}
			int named = named(parts, refused);
			Object sample = named < 0 || inputs[named] != empty(parts[named]) ? null : sample(parts[named]);
			if (sample == null) {
				throw new IllegalArgumentException(type.getSimpleName()
						+ ": refuses its components left empty (" + refused.getMessage() + ") (expected: an @Example on "
						+ "each component the constructor requires)");
			}
			inputs[named] = sample;
		}
		throw new IllegalArgumentException(type.getSimpleName() + ": refused " + MAX_REFUSALS + " samples in a row");
	}

	/** The component a refusal names: {@code healthCheck.path: null (expected: …)} names {@code path}. */
	private static int named(RecordComponent[] parts, RuntimeException refused) {
		String message = String.valueOf(refused.getMessage());
		int colon = message.indexOf(':');
		String field = (colon < 0 ? message : message.substring(0, colon)).trim();
		field = field.substring(field.lastIndexOf('.') + 1).replaceAll("\\[.*", "");
		for (int i = 0; i < parts.length; i++) {
			if (parts[i].getName().equals(field)) {
				return i;
			}
		}
		return -1;
	}

	/** Required: refused without it; alternatives: other empty components that, given instead, are accepted. */
	private static boolean requiredIn(RecordComponent[] parts, Object[] inputs, int index, List<String> alternatives) {
		Object[] without = inputs.clone();
		without[index] = empty(parts[index]);
		if (refusal(parts[index].getDeclaringRecord(), without) == null) {
			return false;
		}
		for (int other = 0; other < parts.length; other++) {
			if (other == index || without[other] != empty(parts[other])) {
				continue;
			}
			Object sample = sample(parts[other]);
			if (sample == null) {
				continue;
			}
			Object[] instead = without.clone();
			instead[other] = sample;
			if (refusal(parts[index].getDeclaringRecord(), instead) == null) {
				alternatives.add(parts[other].getName());
			}
		}
		return true;
	}

	/** The components whose value, doubled or halved, changes what component {@code index} defaults to. */
	private Set<String> derivedFrom(RecordComponent[] parts, Object[] inputs, int index) {
		Object value = read(baseline, parts[index]);
		Set<String> sources = new LinkedHashSet<>();
		for (int other = 0; other < parts.length; other++) {
			if (other == index) {
				continue;
			}
			for (Object changed : changes(read(baseline, parts[other]))) {
				Object[] probe = inputs.clone();
				probe[other] = changed;
				if (refusal(type, probe) == null
						&& !Objects.equals(value, read(construct(type, probe), parts[index]))) {
					sources.add(parts[other].getName());
				}
			}
		}
		return sources;
	}

	/** Other values of the same kind: doubled and halved, the other boolean, the other constants. */
	private static List<Object> changes(Object value) {
		if (value instanceof Integer n) {
			return List.of(n * 2, n / 2);
		}
		if (value instanceof Double n) {
			return List.of(n * 2, n / 2);
		}
		if (value instanceof Duration d) {
			return List.of(d.multipliedBy(2), d.dividedBy(2));
		}
		if (value instanceof DataSize s) {
			return List.of(DataSize.ofBytes(s.toBytes() * 2), DataSize.ofBytes(s.toBytes() / 2));
		}
		if (value instanceof Boolean b) {
			return List.of(!b);
		}
		if (value instanceof Enum<?> e) {
			return Arrays.stream(e.getDeclaringClass().getEnumConstants()).filter(c -> c != e).map(c -> (Object) c)
				.toList();
		}
		return List.of();
	}

	/** A value for {@code part}: its first example, or for a record (or a list of records) a baseline. */
	static Object sample(RecordComponent part) {
		List<Object> examples = examples(part);
		if (!examples.isEmpty()) {
			return examples.get(0);
		}
		Type type = part.getGenericType();
		if (part.getType().isRecord()) {
			return baselineOrNull(part.getType());
		}
		if (List.class.equals(part.getType()) && type instanceof ParameterizedType list
				&& list.getActualTypeArguments()[0] instanceof Class<?> item && item.isRecord()) {
			Object baseline = baselineOrNull(item);
			return baseline == null ? null : List.of(baseline);
		}
		return null;
	}

	/** The baseline of {@code type}, or none when it has no sample for a component it requires. */
	private static Object baselineOrNull(Class<?> type) {
		try {
			return of(type).baseline;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** The {@link Example}s of {@code part} converted to its type, as configuration binding converts them. */
	static List<Object> examples(RecordComponent part) {
		Example example = part.getAnnotation(Example.class);
		if (example == null) {
			return List.of();
		}
		TypeDescriptor target = new TypeDescriptor(new MethodParameter(part.getAccessor(), -1));
		if (List.class.isAssignableFrom(part.getType())) {
			return List.of(CONVERSION.convert(example.value(), TypeDescriptor.forObject(example.value()), target));
		}
		List<Object> values = new ArrayList<>();
		for (String value : example.value()) {
			values.add(CONVERSION.convert(value, TypeDescriptor.valueOf(String.class), target));
		}
		return values;
	}

	private static Object empty(RecordComponent part) {
		Class<?> type = part.getType();
		if (!type.isPrimitive()) {
			return null;
		}
		if (type == boolean.class) {
			return false;
		}
		if (type == long.class) {
			return 0L;
		}
		if (type == double.class) {
			return 0.0;
		}
		if (type == int.class) {
			return 0;
		}
		throw new IllegalArgumentException(part.getDeclaringRecord().getSimpleName() + "." + part.getName() + ": "
				+ type + " (expected: a type the schema can express)");
	}

	private static boolean isEmptyPrimitive(RecordComponent part, Object input) {
		return part.getType().isPrimitive() && input.equals(empty(part));
	}

	/** The exception the constructor throws for {@code inputs}, or {@code null} when it accepts them. */
	private static RuntimeException refusal(Class<?> type, Object[] inputs) {
		try {
			construct(type, inputs);
			return null;
		}
		catch (IllegalArgumentException | NullPointerException | IllegalStateException ex) {
			return ex;
		}
	}

	static Object read(Record record, RecordComponent component) {
		try {
			return component.getAccessor().invoke(record);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot read " + component, ex);
		}
	}

	private static Record construct(Class<?> type, Object[] inputs) {
		Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
			.toArray(Class<?>[]::new);
		try {
			Constructor<?> constructor = type.getDeclaredConstructor(types);
			constructor.setAccessible(true);
			return (Record) constructor.newInstance(inputs);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof RuntimeException refused) {
				throw refused;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot construct " + type.getName(), ex);
		}
	}

}
