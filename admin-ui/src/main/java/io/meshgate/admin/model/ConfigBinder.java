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

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteCompiler;
import io.meshgate.policy.security.authz.AuthorizationPolicy;
import io.meshgate.policy.upstream.Upstream;

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
		return bind(tree, others, BoundConfig.EMPTY, new Items<>("upstreams", "name", Upstream.class),
				new Items<>("routes", "id", Route.class), policyItems());
	}

	private static Items<AuthorizationPolicy> policyItems() {
		return new Items<>(BoundConfig.POLICIES, "name", AuthorizationPolicy.class);
	}

	/**
	 * Binds {@code tree} like {@link #bind(Map, MeshConfig)}, but takes the record of every item
	 * whose tree is equal to one in {@code previous} from there instead of binding it again (at
	 * 10,000 routes binding them all took seconds). The checks across items and the dry-run
	 * compile still cover the whole configuration. Returns it with the tree the store keeps.
	 */
	public static BoundConfig bind(Map<String, Object> tree, MeshConfig others, BoundConfig previous) {
		Items<Upstream> upstreams = new Items<>("upstreams", "name", Upstream.class);
		Items<Route> routes = new Items<>("routes", "id", Route.class);
		Items<AuthorizationPolicy> policies = policyItems();
		MeshConfig stored = bind(tree, others, previous, upstreams, routes, policies);
		return new BoundConfig(stored, upstreams.storedTrees(), routes.storedTrees(), policies.storedTrees());
	}

	private static MeshConfig bind(Map<String, Object> tree, MeshConfig others, BoundConfig previous,
			Items<Upstream> upstreams, Items<Route> routes, Items<AuthorizationPolicy> policies) {
		List<ConfigError> errors = new ArrayList<>();
		Map<String, Object> root = tree == null ? Map.of() : tree;
		for (String key : root.keySet()) {
			if (!key.equals("upstreams") && !key.equals("routes") && !key.equals(BoundConfig.POLICIES)) {
				errors.add(new ConfigError(key,
						key + ": unknown field (expected: upstreams, routes, " + BoundConfig.POLICIES + ")"));
			}
		}
		List<?> upstreamTrees = list(root.get("upstreams"), "upstreams", errors);
		List<?> routeTrees = list(root.get("routes"), "routes", errors);
		List<?> policyTrees = list(root.get(BoundConfig.POLICIES), BoundConfig.POLICIES, errors);
		// the errors in the shape of the tree come before those of binding it, as users read a document
		List<ConfigError> bindErrors = new ArrayList<>();
		upstreams.bind(upstreamTrees, previous, errors, bindErrors);
		routes.bind(routeTrees, previous, errors, bindErrors);
		policies.bind(policyTrees, previous, errors, bindErrors);
		errors.addAll(bindErrors);
		if (errors.isEmpty()) {
			crossCheck(upstreams.records, routes.records, others, errors);
			PolicyChecks.crossCheck(policies.records, routes.records, others, errors);
		}
		if (!errors.isEmpty()) {
			throw new InvalidConfigException(errors);
		}
		MeshConfig stored;
		try {
			stored = new MeshConfig(upstreams.records, routes.records, policies.records);
			List<RouteDefinition> dryRun = RouteCompiler.compile(stored.plus(others));
			if (dryRun.size() != routes.records.size() + others.routes().size()) {
				throw new IllegalStateException("compiled " + dryRun.size() + " routes");
			}
		}
		catch (RuntimeException ex) {
			throw new InvalidConfigException(List.of(error("", ex.getMessage())));
		}
		return stored;
	}

	/**
	 * The items of one kind ({@code routes}) as they are bound, in order: each record with the tree
	 * it was bound from or, when reused, the tree it was stored with. Each item is bound from a
	 * property source of its own: Spring Boot's binder rescans a map source's names on every
	 * lookup, so one source for 10,000 routes made a whole-configuration edit take minutes.
	 */
	private static final class Items<T> {

		final String kind;

		final String key;

		final Class<T> type;

		final List<T> records = new ArrayList<>();

		final List<Object> trees = new ArrayList<>();

		final BitSet reused = new BitSet();

		Items(String kind, String key, Class<T> type) {
			this.kind = kind;
			this.key = key;
			this.type = type;
		}

		void bind(List<?> sources, BoundConfig previous, List<ConfigError> shapeErrors, List<ConfigError> bindErrors) {
			for (int i = 0; i < sources.size(); i++) {
				Object source = sources.get(i);
				int position = previous.position(kind, key, source);
				if (position >= 0) {
					reused.set(records.size());
					records.add(type.cast(previous.record(kind, position)));
					trees.add(previous.tree(kind, position));
					continue;
				}
				// the binder reads names in their dashed form (authorization-policies[0])
				String name = dashed(kind) + "[" + i + "]";
				Walk walk = new Walk();
				walk.node(source, type, name, kind + "[" + label(source, key, i) + "]");
				shapeErrors.addAll(walk.errors);
				walk.errors.clear();
				T record = walk.bind(binder(walk.flat), name, type);
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

	/** Unique names and ids, references to existing upstreams: every error, not only the first. */
	private static void crossCheck(List<Upstream> upstreams, List<Route> routes, MeshConfig others,
			List<ConfigError> errors) {
		Set<String> names = new HashSet<>();
		others.upstreams().forEach(u -> names.add(u.name()));
		Set<String> otherNames = Set.copyOf(names);
		for (Upstream upstream : upstreams) {
			if (!names.add(upstream.name())) {
				String path = "upstreams[" + upstream.name() + "].name";
				errors.add(error(path, "name: " + upstream.name() + (otherNames.contains(upstream.name())
						? " (expected: unique; an upstream of that name comes from another source and is read-only)"
						: " (expected: unique)")));
			}
		}
		// Stored routes reach stored upstreams only: a read-only source (the demo, Kubernetes) may
		// drop its upstreams at any time, and the stored configuration must stay valid without it.
		Set<String> stored = new HashSet<>();
		upstreams.forEach(u -> stored.add(u.name()));
		Set<String> ids = new HashSet<>();
		others.routes().forEach(r -> ids.add(r.id()));
		Set<String> otherIds = Set.copyOf(ids);
		for (Route route : routes) {
			String prefix = "routes[" + route.id() + "]";
			if (!ids.add(route.id())) {
				errors.add(error(prefix + ".id", "id: " + route.id() + (otherIds.contains(route.id())
						? " (expected: unique; a route of that id comes from another source and is read-only)"
						: " (expected: unique)")));
			}
			for (int i = 0; i < route.backends().size(); i++) {
				Backend backend = route.backends().get(i);
				reference(stored, otherNames, backend.upstream(), prefix + ".backends[" + i + "].upstream", errors);
			}
			for (int i = 0; i < route.mirrors().size(); i++) {
				reference(stored, otherNames, route.mirrors().get(i).upstream(), prefix + ".mirrors[" + i + "].upstream",
						errors);
			}
		}
	}

	private static void reference(Set<String> stored, Set<String> readOnly, String upstream, String path,
			List<ConfigError> errors) {
		if (!stored.contains(upstream)) {
			errors.add(error(path, "upstream: " + upstream + " (expected: one of the upstreams "
					+ stored.stream().sorted().toList() + (readOnly.contains(upstream)
							? "; " + upstream + " comes from another source and is read-only: store an upstream of your own)"
							: ")")));
		}
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
				map.forEach((key, child) -> node(child, valueType, name + "[" + key + "]", path + "." + key));
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
				if (type.isRecord()) {
					for (RecordComponent component : type.getRecordComponents()) {
						String child = name + "." + dashed(component.getName());
						Class<?> raw = component.getType();
						if (!paths.containsKey(child) && !flat.containsKey(child)) {
							continue;
						}
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
					}
				}
				if (found.isEmpty()) {
					found.add(toError(ex));
				}
				errors.addAll(found);
				return null;
			}
		}

		private List<ConfigError> errorsOf(Binder binder, String name, Type type) {
			int before = errors.size();
			bind(binder, name, type);
			List<ConfigError> added = new ArrayList<>(errors.subList(before, errors.size()));
			errors.subList(before, errors.size()).clear();
			return added;
		}

		private ConfigError toError(BindException ex) {
			String name = ex.getName().toString();
			String path = path(ex.getName());
			IllegalArgumentException invalid = cause(ex, IllegalArgumentException.class);
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
