package io.meshgate.admin.model;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.core.ResolvableType;

import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteCompiler;
import io.meshgate.policy.schema.InvalidFieldsException;
import io.meshgate.policy.schema.NeverEmpty;
import io.meshgate.policy.security.authz.AuthorizationPolicy;

/**
 * Binds a configuration tree ({@code {upstreams: [...], routes: [...]}} as parsed from JSON or
 * YAML) into the same records {@code application.yml} binds into, through Spring Boot's
 * {@link Binder}: one validation path for both. Unlike start-up binding it does not stop at the
 * first error: it reports every one it can find, each with its path
 * ({@code routes[orders].backends[1].weight}), including unknown fields, and only a configuration
 * without errors is returned. The new route table is then compiled as a dry run. Given the
 * configuration bound before ({@link BoundConfig}), items whose tree has not changed keep their
 * records; the checks across items and the dry run still cover everything.
 */
public final class ConfigBinder {

	private static final Pattern FIELD = Pattern.compile("^([A-Za-z][\\w.\\[\\]-]*): ");

	private ConfigBinder() {
	}

	/**
	 * Binds {@code tree} and checks it together with {@code others} (read-only configuration from
	 * other sources that runs next to it); throws {@link InvalidConfigException} with every error.
	 * Returns the stored part alone.
	 */
	public static MeshConfig bind(Map<String, Object> tree, MeshConfig others) {
		return bind(tree, others, BoundConfig.EMPTY).config();
	}

	/**
	 * Binds {@code tree} like {@link #bind(Map, MeshConfig)}, but takes the record of every item
	 * whose tree is equal to one in {@code previous} from there instead of binding it again, so an
	 * edit's cost grows with what it changes, not with the table (binding 10,000 routes takes
	 * seconds). The checks across items and the dry-run compile still cover the whole
	 * configuration. Returns it with the tree the store keeps.
	 */
	public static BoundConfig bind(Map<String, Object> tree, MeshConfig others, BoundConfig previous) {
		Map<String, Items> items = new LinkedHashMap<>();
		ConfigKinds.ALL.forEach(kind -> items.put(kind.name(), new Items(kind)));
		MeshConfig stored = bind(tree, others, previous, items);
		Map<String, List<Object>> trees = new LinkedHashMap<>();
		items.forEach((kind, bound) -> trees.put(kind, bound.storedTrees()));
		return new BoundConfig(stored, trees);
	}

	private static MeshConfig bind(Map<String, Object> tree, MeshConfig others, BoundConfig previous,
			Map<String, Items> items) {
		List<ConfigError> errors = new ArrayList<>();
		Map<String, Object> root = tree == null ? Map.of() : tree;
		for (String key : root.keySet()) {
			if (!items.containsKey(key)) {
				errors.add(new ConfigError(key, key + ": unknown field (expected: "
						+ String.join(", ", ConfigKinds.names()) + ")"));
			}
		}
		Map<String, List<?>> sources = new LinkedHashMap<>();
		items.keySet().forEach(kind -> sources.put(kind, list(root.get(kind), kind, errors)));
		// the errors in the shape of the tree come before those of binding it, as users read a document
		List<ConfigError> bindErrors = new ArrayList<>();
		items.forEach((kind, bound) -> bound.bind(sources.get(kind), previous, errors, bindErrors));
		errors.addAll(bindErrors);
		Map<String, List<?>> records = new LinkedHashMap<>();
		items.forEach((kind, bound) -> records.put(kind, bound.records));
		if (errors.isEmpty()) {
			crossCheck(records, others, errors);
		}
		if (!errors.isEmpty()) {
			throw new InvalidConfigException(errors);
		}
		MeshConfig stored;
		try {
			stored = ConfigKinds.config(records);
			List<RouteDefinition> dryRun = RouteCompiler.compile(stored.plus(others));
			if (dryRun.size() != stored.routes().size() + others.routes().size()) {
				throw new IllegalStateException("compiled " + dryRun.size() + " routes");
			}
		}
		catch (RuntimeException ex) {
			throw new InvalidConfigException(List.of(errorOf(ex.getMessage())));
		}
		return stored;
	}

	/**
	 * The items of one kind ({@code routes}) as they are bound, in order: each record with the tree
	 * it was bound from or, when reused, the tree it was stored with. Each item is bound from a
	 * property source of its own: Spring Boot's binder rescans a map source's names on every
	 * lookup, so one source for 10,000 routes made a whole-configuration edit take minutes.
	 */
	private static final class Items {

		final String kind;

		final String key;

		final Class<?> type;

		final List<Object> records = new ArrayList<>();

		final List<Object> trees = new ArrayList<>();

		final BitSet reused = new BitSet();

		Items(ConfigKinds.Kind kind) {
			this.kind = kind.name();
			this.key = kind.key();
			this.type = kind.type();
		}

		void bind(List<?> sources, BoundConfig previous, List<ConfigError> shapeErrors, List<ConfigError> bindErrors) {
			for (int i = 0; i < sources.size(); i++) {
				Object source = sources.get(i);
				int position = previous.position(kind, key, source);
				if (position >= 0) {
					reused.set(records.size());
					records.add(previous.record(kind, position));
					trees.add(previous.tree(kind, position));
					continue;
				}
				// a property name: dashed, as Spring Boot spells it ({@code jwt-providers[0]})
				String name = dashed(kind) + "[" + i + "]";
				Walk walk = new Walk();
				walk.node(source, type, name, kind + "[" + label(source, key, i) + "]");
				shapeErrors.addAll(walk.errors);
				walk.errors.clear();
				Object record = walk.bind(binder(walk.flat), name, type);
				bindErrors.addAll(walk.errors);
				if (record != null) {
					records.add(record);
					trees.add(source);
				}
			}
		}

		/**
		 * The tree of each record as the store keeps it ({@link ConfigTrees#toTree}): reused ones
		 * as they were; a new one is the tree it was bound from when that is already the same.
		 */
		List<Object> storedTrees() {
			List<Object> stored = new ArrayList<>(records.size());
			for (int i = 0; i < records.size(); i++) {
				Object written = reused.get(i) ? trees.get(i) : ConfigTrees.toTree(records.get(i));
				stored.add(written.equals(trees.get(i)) ? trees.get(i) : written);
			}
			return stored;
		}

	}

	private static Binder binder(Map<String, Object> properties) {
		return new Binder(List.of(new MapConfigurationPropertySource(properties == null ? Map.of() : properties)), null,
				ApplicationConversionService.getSharedInstance());
	}

	private static List<?> list(Object value, String name, List<ConfigError> errors) {
		if (value == null) {
			return List.of();
		}
		if (value instanceof List<?> list) {
			return list;
		}
		errors.add(new ConfigError(name, name + ": " + value + " (expected: a list)"));
		return List.of();
	}

	private static String label(Object tree, String key, int index) {
		if (tree instanceof Map<?, ?> map && map.get(key) instanceof String text && !text.isBlank()
				&& text.matches("[-A-Za-z0-9_.]+")) {
			return text;
		}
		return String.valueOf(index);
	}

	/**
	 * Unique names and ids in every kind, references to existing upstreams, JWT providers and routes:
	 * every error, not only the first.
	 */
	private static void crossCheck(Map<String, List<?>> records, MeshConfig others, List<ConfigError> errors) {
		for (ConfigKinds.Kind kind : ConfigKinds.ALL) {
			unique(kind, records.get(kind.name()), kind.of(others), errors);
		}
		// Stored routes reach stored upstreams only: a read-only source (the demo, Kubernetes) may
		// drop its upstreams at any time, and the stored configuration must stay valid without it.
		ConfigKinds.Kind upstreams = ConfigKinds.named("upstreams");
		ConfigKinds.Kind jwtProviders = ConfigKinds.named("jwtProviders");
		Set<String> stored = names(upstreams, records.get("upstreams"));
		Set<String> otherNames = names(upstreams, others.upstreams());
		Set<String> providers = names(jwtProviders, records.get("jwtProviders"));
		Set<String> otherProviders = names(jwtProviders, others.jwtProviders());
		for (Object item : records.get("routes")) {
			Route route = (Route) item;
			String prefix = "routes[" + route.id() + "]";
			for (int i = 0; i < route.backends().size(); i++) {
				Backend backend = route.backends().get(i);
				if (backend.upstream() != null) {
					reference(stored, otherNames, "upstream", backend.upstream(),
							prefix + ".backends[" + i + "].upstream", errors);
				}
			}
			for (int i = 0; i < route.mirrors().size(); i++) {
				MirrorPolicy mirror = route.mirrors().get(i);
				reference(stored, otherNames, "upstream", mirror.upstream(), prefix + ".mirrors[" + i + "].upstream",
						errors);
				if (mirror.compare() != null && mirror.compare().secondary() != null) {
					reference(stored, otherNames, "upstream", mirror.compare().secondary(),
							prefix + ".mirrors[" + i + "].compare.secondary", errors);
				}
			}
			if (route.authentication() != null && route.authentication().jwt() != null) {
				List<String> named = route.authentication().jwt().providers();
				for (int i = 0; i < named.size(); i++) {
					reference(providers, otherProviders, "JWT provider", named.get(i),
							prefix + ".authentication.jwt.providers[" + i + "]", errors);
				}
			}
		}
		// stored policies target stored routes only, for the same reason
		ConfigKinds.Kind routes = ConfigKinds.named("routes");
		Set<String> storedRoutes = names(routes, records.get("routes"));
		Set<String> otherRoutes = names(routes, others.routes());
		for (Object item : records.get("authorizationPolicies")) {
			AuthorizationPolicy policy = (AuthorizationPolicy) item;
			List<String> targets = policy.targets().routes();
			for (int i = 0; i < targets.size(); i++) {
				reference(storedRoutes, otherRoutes, "route", targets.get(i),
						"authorizationPolicies[" + policy.name() + "].targets.routes[" + i + "]", errors);
			}
		}
	}

	/** Each item's id or name once, among the stored items and those of other sources. */
	private static void unique(ConfigKinds.Kind kind, List<?> items, List<?> others, List<ConfigError> errors) {
		Set<String> otherNames = names(kind, others);
		Set<String> seen = new HashSet<>(otherNames);
		for (Object item : items) {
			String name = kind.nameOf(item);
			if (!seen.add(name)) {
				errors.add(error(kind.name() + "[" + name + "]." + kind.key(), kind.key() + ": " + name
						+ (otherNames.contains(name) ? " (expected: unique; " + withArticle(kind.singular()) + " of that "
								+ kind.key() + " comes from another source and is read-only)" : " (expected: unique)")));
			}
		}
	}

	private static Set<String> names(ConfigKinds.Kind kind, List<?> items) {
		Set<String> names = new HashSet<>();
		items.forEach(item -> names.add(kind.nameOf(item)));
		return names;
	}

	private static void reference(Set<String> stored, Set<String> readOnly, String what, String name, String path,
			List<ConfigError> errors) {
		if (!stored.contains(name)) {
			String field = path.substring(path.lastIndexOf('.') + 1);
			errors.add(error(path, field + ": " + name + " (expected: one of the " + what + "s "
					+ stored.stream().sorted().toList() + (readOnly.contains(name)
							? "; " + name + " comes from another source and is read-only: store " + withArticle(what)
									+ " of your own)"
							: ")")));
		}
	}

	private static String withArticle(String noun) {
		return ("aeiou".indexOf(Character.toLowerCase(noun.charAt(0))) >= 0 ? "an " : "a ") + noun;
	}

	/** An error whose message starts with its path ({@code upstreams[orders].discovery: …}). */
	public static ConfigError errorOf(String message) {
		Matcher field = FIELD.matcher(message == null ? "" : message);
		return new ConfigError(field.find() ? field.group(1) : "", message == null ? "invalid" : message);
	}

	static ConfigError error(String path, String message) {
		return new ConfigError(path, message == null ? "invalid" : message);
	}

	/** Flattens the tree into property names, guided by the record types, and remembers each node's path. */
	private static final class Walk {

		final Map<String, Object> flat = new LinkedHashMap<>();

		/** Bind name ({@code routes[0].backends[1]}) to the path users see ({@code routes[orders].backends[1]}). */
		final Map<String, String> paths = new HashMap<>();

		final List<ConfigError> errors = new ArrayList<>();

		void node(Object value, Type type, String name, String path) {
			if (value == null) {
				return;
			}
			paths.put(name, path);
			Class<?> raw = raw(type);
			if (raw.isAnnotationPresent(NeverEmpty.class) && value instanceof Map<?, ?> map && map.isEmpty()) {
				errors.add(new ConfigError(path, last(path) + ": {} (expected: at least one field written out, "
						+ "defaults included; an empty object binds to nothing)"));
				return;
			}
			if (raw.isRecord() && value instanceof Map<?, ?> map) {
				map.forEach((key, child) -> {
					RecordComponent component = component(raw, String.valueOf(key));
					if (component == null) {
						errors.add(new ConfigError(path + "." + key, key + ": unknown field (expected: one of "
								+ java.util.Arrays.stream(raw.getRecordComponents()).map(RecordComponent::getName).toList()
								+ ")"));
					}
					else {
						node(child, component.getGenericType(), name + "." + dashed(component.getName()),
								path + "." + component.getName());
					}
				});
			}
			else if (Map.class.isAssignableFrom(raw) && value instanceof Map<?, ?> map) {
				Type valueType = argument(type, 1);
				map.forEach((key, child) -> {
					if (String.valueOf(key).isBlank()) {
						// a property name cannot carry a blank key: the binder would read the map as one value
						errors.add(new ConfigError(path, last(path) + ": " + key + " (expected: names that are not empty)"));
					}
					else {
						node(child, valueType, name + "[" + key + "]", path + "." + key);
					}
				});
			}
			else if (List.class.isAssignableFrom(raw) && value instanceof List<?> list) {
				Type itemType = argument(type, 0);
				for (int i = 0; i < list.size(); i++) {
					node(list.get(i), itemType, name + "[" + i + "]", path + "[" + i + "]");
				}
			}
			else if (value instanceof Map<?, ?> || value instanceof List<?>) {
				errors.add(new ConfigError(path, last(path) + ": " + value + " (expected: "
						+ (List.class.isAssignableFrom(raw) ? "a list" : raw.isRecord() || Map.class.isAssignableFrom(raw)
								? "an object" : "a single value")
						+ ")"));
			}
			else if (List.class.isAssignableFrom(raw)) {
				node(List.of(value), type, name, path);
			}
			else {
				// as text, the way a property file gives it: the binder converts it to the component's type
				flat.put(name, String.valueOf(value));
			}
		}

		<T> T bind(Binder binder, String name, Class<T> type) {
			return bind(binder, name, (Type) type);
		}

		@SuppressWarnings("unchecked")
		<T> T bind(Binder binder, String name, Type generic) {
			Class<?> type = raw(generic);
			try {
				return (T) binder.bind(name, Bindable.of(ResolvableType.forType(generic))).orElse(null);
			}
			catch (BindException ex) {
				List<ConfigError> found = new ArrayList<>();
				List<String> failed = new ArrayList<>();
				if (type.isRecord()) {
					for (RecordComponent component : type.getRecordComponents()) {
						String child = name + "." + dashed(component.getName());
						Class<?> raw = component.getType();
						if (!paths.containsKey(child) && !flat.containsKey(child)) {
							continue;
						}
						int before = found.size();
						if (raw.isRecord() && !flat.containsKey(child)) {
							found.addAll(errorsOf(binder, child, raw));
						}
						else if (List.class.isAssignableFrom(raw) && raw(argument(component.getGenericType(), 0)).isRecord()) {
							Class<?> item = raw(argument(component.getGenericType(), 0));
							for (int i = 0; paths.containsKey(child + "[" + i + "]"); i++) {
								found.addAll(errorsOf(binder, child + "[" + i + "]", item));
							}
						}
						else {
							found.addAll(errorsOf(binder, child, component.getGenericType()));
						}
						if (found.size() > before) {
							failed.add(child);
						}
					}
				}
				if (found.isEmpty()) {
					found.addAll(toErrors(ex));
				}
				else {
					found.addAll(ownErrors(name, generic, failed));
				}
				errors.addAll(found);
				return null;
			}
		}

		/**
		 * The errors of the record's own checks ({@code Route}'s id) when some of its fields failed:
		 * it is bound once more without those. Only errors about fields the input holds are kept:
		 * what it says about absent fields ({@code match: null} for the removed one, or
		 * {@code backends: []} because a removed {@code redirect} no longer stands in for them) is
		 * an effect of the removal, and the removed fields' own errors are already reported.
		 */
		private List<ConfigError> ownErrors(String name, Type generic, List<String> failed) {
			Map<String, Object> rest = new LinkedHashMap<>(flat);
			rest.keySet().removeIf(key -> failed.stream().anyMatch(child -> within(key, child)));
			try {
				binder(rest).bind(name, Bindable.of(ResolvableType.forType(generic)));
				return List.of();
			}
			catch (BindException ex) {
				List<String> given = rest.keySet().stream().map(this::path).toList();
				return toErrors(ex).stream()
					.filter(error -> given.stream().anyMatch(key -> within(key, error.path())))
					.toList();
			}
		}

		private String path(String name) {
			return path(ConfigurationPropertyName.of(name));
		}

		private static boolean within(String name, String prefix) {
			return name.equals(prefix) || name.startsWith(prefix + ".") || name.startsWith(prefix + "[");
		}

		private List<ConfigError> errorsOf(Binder binder, String name, Type type) {
			int before = errors.size();
			bind(binder, name, type);
			List<ConfigError> added = new ArrayList<>(errors.subList(before, errors.size()));
			errors.subList(before, errors.size()).clear();
			return added;
		}

		/** The error of a failed binding: one per field when the record named several ({@link InvalidFieldsException}). */
		private List<ConfigError> toErrors(BindException ex) {
			InvalidFieldsException several = cause(ex, InvalidFieldsException.class);
			if (several == null || flat.containsKey(ex.getName().toString())) {
				return List.of(toError(ex, cause(ex, IllegalArgumentException.class)));
			}
			return several.messages().stream().map(message -> toError(ex, new IllegalArgumentException(message))).toList();
		}

		private ConfigError toError(BindException ex, IllegalArgumentException invalid) {
			String name = ex.getName().toString();
			String path = path(ex.getName());
			String message = invalid != null ? invalid.getMessage() : null;
			if (flat.containsKey(name)) {
				Object value = ex.getProperty() != null ? ex.getProperty().getValue() : flat.get(name);
				if (message == null || !FIELD.matcher(message).find()) {
					message = last(path) + ": " + value + " (expected: " + expected(ex) + ")";
				}
				return new ConfigError(path, message);
			}
			if (message == null) {
				Throwable root = ex;
				while (root.getCause() != null) {
					root = root.getCause();
				}
				message = last(path) + ": " + root.getMessage();
				return new ConfigError(path, message);
			}
			Matcher field = FIELD.matcher(message);
			return new ConfigError(field.find() ? join(path, field.group(1)) : path, message);
		}

		/** A record that names itself ({@code tls.caCertificates: …}) is not named twice. */
		private static String join(String path, String field) {
			String own = last(path);
			if (field.equals(own) || field.startsWith(own + ".")) {
				return path.substring(0, path.length() - own.length()) + field;
			}
			return path + "." + field;
		}

		private String expected(BindException ex) {
			Class<?> target = ex.getTarget().getType().resolve(Object.class);
			if (target.isRecord() || Map.class.isAssignableFrom(target)) {
				return "an object";
			}
			if (target.isEnum()) {
				return "one of " + java.util.Arrays.toString(target.getEnumConstants());
			}
			String type = ex.getTarget().getType().toString();
			return type.substring(type.lastIndexOf('.') + 1).replace("Integer", "a whole number")
				.replace("Double", "a number")
				.replace("Boolean", "true or false")
				.replace("Duration", "a duration, as in 5s or 250ms")
				.replace("DataSize", "a size, as in 64KB");
		}

		private String path(ConfigurationPropertyName name) {
			ConfigurationPropertyName current = name;
			while (!current.isEmpty()) {
				String known = paths.get(current.toString());
				if (known != null) {
					String rest = name.toString().substring(current.toString().length());
					return known + rest;
				}
				current = current.getParent();
			}
			return name.toString();
		}

	}

	private static <E extends Throwable> E cause(Throwable error, Class<E> type) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return type.cast(t);
			}
		}
		return null;
	}

	private static String last(String path) {
		String last = path.substring(path.lastIndexOf('.') + 1);
		return last.isEmpty() ? path : last;
	}

	private static RecordComponent component(Class<?> record, String key) {
		String wanted = key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
		for (RecordComponent component : record.getRecordComponents()) {
			if (component.getName().toLowerCase(Locale.ROOT).equals(wanted)) {
				return component;
			}
		}
		return null;
	}

	static String dashed(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private static Class<?> raw(Type type) {
		if (type instanceof Class<?> c) {
			return c;
		}
		if (type instanceof ParameterizedType p) {
			return (Class<?>) p.getRawType();
		}
		return Object.class;
	}

	private static Type argument(Type type, int index) {
		return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
	}

}
