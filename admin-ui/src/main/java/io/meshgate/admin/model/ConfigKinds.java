package io.meshgate.admin.model;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.meshgate.policy.route.MeshConfig;

/**
 * The kinds of object a configuration holds, read once from {@link MeshConfig}'s components:
 * each a list of records named by {@code id} (routes) or {@code name} (the rest). Binding,
 * storing, reusing bound items, masking and the admin API's whole-configuration reads and writes
 * go through this list, so that a kind added to {@code MeshConfig} is bound, checked, stored and
 * shown without an edit here.
 */
public final class ConfigKinds {

	/**
	 * One kind: its name in the tree ({@code jwtProviders}), its identifying field, its record
	 * type, and whether every document has it: upstreams and routes are always written; the other
	 * kinds only when they hold something, so that a document without them reads as it always did.
	 */
	public record Kind(String name, String key, Class<?> type, RecordComponent component, boolean alwaysWritten) {

		/** One of this kind, in words: {@code route}, {@code jwtProvider}. */
		public String singular() {
			return name.endsWith("ies") ? name.substring(0, name.length() - 3) + "y"
					: name.substring(0, name.length() - 1);
		}

		/** The {@code id} or {@code name} of a record of this kind. */
		public String nameOf(Object record) {
			for (RecordComponent field : type.getRecordComponents()) {
				if (field.getName().equals(key)) {
					try {
						return String.valueOf(field.getAccessor().invoke(record));
					}
					catch (ReflectiveOperationException ex) {
						throw new IllegalStateException(type.getSimpleName() + "." + key + "() is a public accessor", ex);
					}
				}
			}
			throw new IllegalStateException(type.getSimpleName() + " has no " + key);
		}

		/** This kind's records in {@code config}. */
		public List<?> of(MeshConfig config) {
			try {
				return (List<?>) component.getAccessor().invoke(config);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException("MeshConfig." + name + "() is a public accessor", ex);
			}
		}

	}

	/** In {@link MeshConfig}'s order, which is the order of a stored document. */
	public static final List<Kind> ALL = kinds();

	private ConfigKinds() {
	}

	private static List<Kind> kinds() {
		List<Kind> kinds = new ArrayList<>();
		for (RecordComponent component : MeshConfig.class.getRecordComponents()) {
			Class<?> type = (Class<?>) ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
			boolean byId = Arrays.stream(type.getRecordComponents()).anyMatch(c -> c.getName().equals("id"));
			kinds.add(new Kind(component.getName(), byId ? "id" : "name", type, component,
					List.of("upstreams", "routes").contains(component.getName())));
		}
		return List.copyOf(kinds);
	}

	public static List<String> names() {
		return ALL.stream().map(Kind::name).toList();
	}

	public static Kind named(String name) {
		for (Kind kind : ALL) {
			if (kind.name().equals(name)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("kind: " + name + " (expected: one of " + names() + ")");
	}

	/** The configuration of these records, by kind; a kind left out is empty. */
	public static MeshConfig config(Map<String, List<?>> records) {
		Object[] arguments = new Object[ALL.size()];
		Class<?>[] types = new Class<?>[ALL.size()];
		for (int i = 0; i < ALL.size(); i++) {
			List<?> items = records.get(ALL.get(i).name());
			arguments[i] = items == null ? List.of() : items;
			types[i] = List.class;
		}
		try {
			Constructor<MeshConfig> canonical = MeshConfig.class.getDeclaredConstructor(types);
			return canonical.newInstance(arguments);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("MeshConfig's canonical constructor takes one list per component", ex);
		}
	}

	/** Whether {@code config} holds nothing of any kind. */
	public static boolean isEmpty(MeshConfig config) {
		return ALL.stream().allMatch(kind -> kind.of(config).isEmpty());
	}

}
