package io.meshgate.policy.binding;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.util.unit.DataSize;

/**
 * Policy records as plain trees (maps, lists, strings, numbers, booleans): what the route store
 * keeps, the admin API answers, filter arguments are written from ({@link PolicyBinding}) and
 * {@code /actuator/mesh} shows. The mapping is generic: every record component becomes a key of
 * the same name, so a component added to a record flows through without an edit here. Values
 * are written so that binding them back gives equal records: durations as {@code 5s} or
 * {@code 250ms}, sizes as {@code 64KB}, enums by name, and records with a string form of their
 * own (a static {@code of(String)} and a {@code toString()} it parses, as {@code HashKey} and
 * {@code RetryOn}) as that string.
 */
public final class PolicyTrees {

	private static final ClassValue<RecordComponent[]> COMPONENTS = new ClassValue<>() {
		@Override
		protected RecordComponent[] computeValue(Class<?> type) {
			return type.getRecordComponents();
		}
	};

	private static final ClassValue<Method> STRING_FORM = new ClassValue<>() {
		@Override
		protected Method computeValue(Class<?> type) {
			try {
				Method of = type.getMethod("of", String.class);
				return Modifier.isStatic(of.getModifiers()) && of.getReturnType() == type ? of : null;
			}
			catch (NoSuchMethodException ex) {
				return null;
			}
		}
	};

	private PolicyTrees() {
	}

	/**
	 * The tree of {@code value} with nothing that says nothing: {@code null}, empty lists and
	 * empty maps are left out, and map keys are sorted. The form that is stored and bound back.
	 */
	public static Object compact(Object value) {
		return tree(value, false);
	}

	/**
	 * The tree of a record with every component present, {@code null} and empty ones included, so
	 * that a reader sees one shape whatever is configured; map keys in the record's order.
	 */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> full(Record record) {
		return (Map<String, Object>) tree(record, true);
	}

	/** The record components of {@code type}, in declaration order (cached: reflection copies them). */
	public static RecordComponent[] components(Class<?> type) {
		return COMPONENTS.get(type);
	}

	/** {@code 5s}, {@code 250ms}, {@code 10us}, {@code 7ns}: the largest unit that keeps the value exact. */
	public static String duration(Duration duration) {
		long seconds = duration.getSeconds();
		int nanos = duration.getNano();
		if (nanos == 0) {
			return seconds + "s";
		}
		try {
			long totalNanos = duration.toNanos();
			if (totalNanos % 1_000_000 == 0) {
				return totalNanos / 1_000_000 + "ms";
			}
			return totalNanos % 1_000 == 0 ? totalNanos / 1_000 + "us" : totalNanos + "ns";
		}
		catch (ArithmeticException ex) {
			return duration.toString(); // beyond 292 years: ISO-8601, which binds as well
		}
	}

	/** {@code 1MB}, {@code 64KB}, {@code 100B}: the largest unit that keeps the value exact. */
	public static String dataSize(DataSize size) {
		long bytes = size.toBytes();
		if (bytes != 0 && bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
			return size.toMegabytes() + "MB";
		}
		if (bytes != 0 && bytes % 1024 == 0) {
			return size.toKilobytes() + "KB";
		}
		return bytes + "B";
	}

	private static Object tree(Object value, boolean full) {
		if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
				|| value instanceof Long) {
			return value;
		}
		if (value instanceof Double || value instanceof Float) {
			return ((Number) value).doubleValue();
		}
		if (value instanceof Number number) {
			return number;
		}
		if (value instanceof Enum<?> constant) {
			return constant.name();
		}
		if (value instanceof Duration duration) {
			return duration(duration);
		}
		if (value instanceof DataSize size) {
			return dataSize(size);
		}
		if (value instanceof URI uri) {
			return uri.toString();
		}
		if (value instanceof Collection<?> collection) {
			List<Object> list = new ArrayList<>(collection.size());
			for (Object item : collection) {
				Object tree = tree(item, full);
				if (tree != null || full) {
					list.add(tree);
				}
			}
			return list.isEmpty() && !full ? null : list;
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> tree = full ? new LinkedHashMap<>() : new TreeMap<>();
			map.forEach((key, item) -> {
				Object child = tree(item, full);
				if (child != null || full) {
					tree.put(String.valueOf(key), child);
				}
			});
			return tree.isEmpty() && !full ? null : new LinkedHashMap<>(tree);
		}
		if (value instanceof Record record) {
			String text = stringForm(record);
			if (text != null) {
				return text;
			}
			Map<String, Object> tree = new LinkedHashMap<>();
			for (RecordComponent component : components(record.getClass())) {
				Object child = tree(read(component, record), full);
				if (child != null || full) {
					tree.put(component.getName(), child);
				}
			}
			return tree;
		}
		return value.toString();
	}

	static Object read(RecordComponent component, Record record) {
		try {
			return component.getAccessor().invoke(record);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot read " + component, ex);
		}
	}

	/**
	 * The string a record is written as, when it has one: its {@code toString()}, when its static
	 * {@code of(String)} parses that back into an equal record.
	 */
	private static String stringForm(Record record) {
		Method of = STRING_FORM.get(record.getClass());
		if (of == null) {
			return null;
		}
		String text = record.toString();
		try {
			return record.equals(of.invoke(null, text)) ? text : null;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
