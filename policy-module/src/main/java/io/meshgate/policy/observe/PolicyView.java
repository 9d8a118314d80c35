package io.meshgate.policy.observe;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.util.unit.DataSize;

/**
 * A policy record as JSON-friendly values for the actuator: durations in seconds, sizes in
 * bytes, enums and other objects by name, nested records as maps. Fields whose name suggests a
 * secret are left out, so that no key or password reaches an endpoint by accident.
 */
public final class PolicyView {

	private PolicyView() {
	}

	public static Map<String, Object> of(Record policy) {
		Map<String, Object> view = new LinkedHashMap<>();
		for (RecordComponent component : policy.getClass().getRecordComponents()) {
			String name = component.getName();
			if (name.toLowerCase().contains("password") || name.toLowerCase().contains("secret")) {
				continue;
			}
			try {
				view.put(name, value(component.getAccessor().invoke(policy)));
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return view;
	}

	private static Object value(Object value) {
		if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
			return value;
		}
		if (value instanceof Duration duration) {
			return duration.toNanos() / 1e9;
		}
		if (value instanceof DataSize size) {
			return size.toBytes();
		}
		if (value instanceof Enum<?> constant) {
			return constant.name();
		}
		if (value instanceof Record record) {
			return of(record);
		}
		if (value instanceof Collection<?> values) {
			return values.stream().map(PolicyView::value).toList();
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> copy = new LinkedHashMap<>();
			map.forEach((key, item) -> copy.put(String.valueOf(key), value(item)));
			return copy;
		}
		return value.toString();
	}

}
