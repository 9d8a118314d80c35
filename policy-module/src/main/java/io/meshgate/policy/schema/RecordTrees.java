package io.meshgate.policy.schema;

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
 * Turns the configuration records into plain trees (maps, lists, strings, numbers, booleans): the
 * form the route store keeps, the admin API answers, export writes and the JSON Schema states
 * defaults in. The mapping is generic: every record component becomes a key of the same name, so
 * components added to a record later flow through without changes here. Values are written so
 * that binding them back gives equal records: durations as {@code 5s} or {@code 250ms}, sizes as
 * {@code 64KB}, enums by name, and records with a string form of their own (a static
 * {@code of(String)} and their own {@code toString()}, as {@code HashKey} and {@code RetryOn})
 * as that string.
 */
public final class RecordTrees {

	private RecordTrees() {
	}

	/** The tree of {@code value}; {@code null} for null, empty lists and empty maps. */
	public static Object toTree(Object value) {
		if (value == null) {
			return null;
		}
		if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long) {
			return value;
		}
		if (value instanceof Double || value instanceof Float) {
			return ((Number) value).doubleValue();
		}
		if (value instanceof Number number) {
			return number;
		}
		if (value instanceof Enum<?> e) {
			return e.name();
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
			List<Object> list = new ArrayList<>();
			for (Object item : collection) {
				Object tree = toTree(item);
				if (tree != null) {
					list.add(tree);
				}
			}
			return list.isEmpty() ? null : list;
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> tree = new TreeMap<>();
			map.forEach((key, item) -> {
				Object child = toTree(item);
				if (child != null) {
					tree.put(String.valueOf(key), child);
				}
			});
			return tree.isEmpty() ? null : new LinkedHashMap<>(tree);
		}
		if (value instanceof Record record) {
			String text = stringForm(record);
			if (text != null) {
				return text;
			}
			Map<String, Object> tree = new LinkedHashMap<>();
			for (RecordComponent component : record.getClass().getRecordComponents()) {
				try {
					Object child = toTree(component.getAccessor().invoke(record));
					if (child != null) {
						tree.put(component.getName(), child);
					}
				}
				catch (ReflectiveOperationException ex) {
					throw new IllegalStateException("cannot read " + component, ex);
				}
			}
			return tree;
		}
		return value.toString();
	}

	/** {@code toTree} of a record, as a map. */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> toMap(Record record) {
		return (Map<String, Object>) toTree(record);
	}

	/**
	 * The string a record is written as, when it has one: it parses one ({@code static
	 * of(String)}) and its {@code toString()} parses back into an equal record.
	 */
	static String stringForm(Record record) {
		try {
			Method of = record.getClass().getMethod("of", String.class);
			if (!Modifier.isStatic(of.getModifiers())) {
				return null;
			}
			String text = record.toString();
			return record.equals(of.invoke(null, text)) ? text : null;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	static String duration(Duration duration) {
		long millis = duration.toMillis();
		if (millis != 0 && millis % 1000 == 0) {
			return (millis / 1000) + "s";
		}
		return millis == 0 ? "0s" : millis + "ms";
	}

	static String dataSize(DataSize size) {
		long bytes = size.toBytes();
		if (bytes != 0 && bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
			return size.toMegabytes() + "MB";
		}
		if (bytes != 0 && bytes % 1024 == 0) {
			return size.toKilobytes() + "KB";
		}
		return bytes + "B";
	}

}
