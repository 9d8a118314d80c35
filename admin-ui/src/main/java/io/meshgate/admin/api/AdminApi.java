package io.meshgate.admin.api;

import java.security.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

import io.meshgate.admin.model.ConfigError;
import io.meshgate.admin.model.ConfigKinds;
import io.meshgate.admin.model.ConfigTrees;
import io.meshgate.admin.model.InvalidConfigException;
import io.meshgate.admin.model.Secrets;
import io.meshgate.admin.rollout.RolloutActions;
import io.meshgate.admin.store.HistoryEntry;
import io.meshgate.admin.store.VersionConflictException;
import io.meshgate.admin.store.Yaml;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteProbe;
import io.meshgate.policy.schema.RecordSchema;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;

/**
 * The admin API under {@code /api} on the admin port: JSON in and out, every read carries the
 * configuration version as its {@code ETag}, every write may send it back as {@code If-Match}
 * (a stale one gets 409) and may ask {@code ?dryRun=true}. Blocking work (the store) runs on
 * {@link Schedulers#boundedElastic()}, never on the event loop.
 */
public final class AdminApi {

	private static final Log log = LogFactory.getLog(AdminApi.class);

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	public static final MediaType YAML = MediaType.parseMediaType("application/yaml");

	private final AdminService admin;

	private final UpstreamRegistry registry;

	private final RouteTester tester;

	private final RolloutActions rollouts;

	/**
	 * @param probe the gateway's route lookup, which the route tester runs
	 * @param rollouts the routes' rollouts; null: none (their endpoints answer 404)
	 */
	public AdminApi(AdminService admin, UpstreamRegistry registry, RouteProbe probe, RolloutActions rollouts) {
		this.admin = Objects.requireNonNull(admin, "admin");
		this.registry = registry;
		this.tester = new RouteTester(Objects.requireNonNull(probe, "probe"));
		this.rollouts = rollouts;
	}

	public RouterFunction<ServerResponse> routes() {
		RouterFunctions.Builder routes = RouterFunctions.route();
		// the named objects routes refer to (JWT providers, consumers, ...): one set of item
		// endpoints per kind of the configuration, as upstreams and routes have
		for (ConfigKinds.Kind kind : ConfigKinds.ALL) {
			if (!kind.alwaysWritten()) {
				String base = "/api/" + kind.name();
				routes.GET(base, request -> listItems(kind))
					.POST(base, request -> writeItem(request, kind.name(), kind.key(), null))
					.GET(base + "/{id}", request -> getItem(request, kind.name(), kind.key()))
					.PUT(base + "/{id}", request -> writeItem(request, kind.name(), kind.key(), request.pathVariable("id")))
					.DELETE(base + "/{id}", request -> deleteItem(request, kind.name(), kind.key()));
			}
		}
		return routes
			.GET("/api/me", this::me)
			.GET("/api/config", this::config)
			.PUT("/api/config", this::replaceConfig)
			.GET("/api/export", this::export)
			.POST("/api/import", this::importYaml)
			.GET("/api/routes", this::listRoutes)
			.POST("/api/routes", request -> writeItem(request, "routes", "id", null))
			.GET("/api/routes/{id}", request -> getItem(request, "routes", "id"))
			.PUT("/api/routes/{id}", request -> writeItem(request, "routes", "id", request.pathVariable("id")))
			.DELETE("/api/routes/{id}", request -> deleteItem(request, "routes", "id"))
			.GET("/api/routes/{id}/rollout", this::rollout)
			.GET("/api/routes/{id}/rollout/timeline", this::rolloutTimeline)
			.POST("/api/routes/{id}/rollout/{action}", this::rolloutAction)
			.GET("/api/upstreams", this::listUpstreams)
			.POST("/api/upstreams", request -> writeItem(request, "upstreams", "name", null))
			.GET("/api/upstreams/{id}", request -> getItem(request, "upstreams", "name"))
			.PUT("/api/upstreams/{id}", request -> writeItem(request, "upstreams", "name", request.pathVariable("id")))
			.DELETE("/api/upstreams/{id}", request -> deleteItem(request, "upstreams", "name"))
			.GET("/api/history", this::history)
			.GET("/api/history/diff", this::diff)
			.GET("/api/history/{version}", this::historyVersion)
			.POST("/api/history/{version}/rollback", this::rollback)
			.POST("/api/tester", this::tester)
			.GET("/api/state", this::state)
			.GET("/api/schema", this::schema)
			.filter((request, next) -> Mono.defer(() -> next.handle(request)).onErrorResume(ex -> error(ex, request)))
			.build();
	}

	private Mono<ServerResponse> me(ServerRequest request) {
		Mono<CsrfToken> csrf = request.exchange().getAttributeOrDefault(CsrfToken.class.getName(), Mono.empty());
		return request.principal()
			.zipWith(csrf.map(Optional::of).defaultIfEmpty(Optional.empty()))
			.flatMap(found -> {
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("user", found.getT1().getName());
				body.put("roles", roles(found.getT1()));
				found.getT2()
					.ifPresent(token -> body.put("csrf",
							Map.of("headerName", token.getHeaderName(), "token", token.getToken())));
				// not masked: the CSRF token is this session's own, not a stored secret
				return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
			});
	}

	private static List<String> roles(Principal principal) {
		if (principal instanceof Authentication authentication) {
			return authentication.getAuthorities()
				.stream()
				.map(GrantedAuthority::getAuthority)
				.map(a -> a.replaceFirst("^ROLE_", "").toLowerCase(Locale.ROOT))
				.sorted()
				.toList();
		}
		return List.of();
	}

	private Mono<ServerResponse> config(ServerRequest request) {
		AdminService.Snapshot snapshot = admin.snapshot();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("version", snapshot.version());
		body.put("store", admin.store().describe());
		body.putAll(snapshot.stored().config());
		List<Map<String, Object>> overlays = new ArrayList<>();
		for (ConfigOverlay overlay : admin.overlays()) {
			Map<String, Object> tree = new LinkedHashMap<>();
			tree.put("source", overlay.source());
			tree.putAll(AdminService.tree(overlay.config()));
			overlays.add(tree);
		}
		body.put("readOnly", overlays);
		return json(HttpStatus.OK, body, snapshot.version());
	}

	private Mono<ServerResponse> replaceConfig(ServerRequest request) {
		return body(request).flatMap(tree -> change(request, "replace the whole configuration", config -> {
			Map<String, Object> replaced = new LinkedHashMap<>(tree);
			replaced.remove("version");
			replaced.remove("store");
			replaced.remove("readOnly");
			return replaced;
		}));
	}

	private Mono<ServerResponse> export(ServerRequest request) {
		AdminService.Snapshot snapshot = admin.snapshot();
		String text = "# Meshgate configuration, version " + snapshot.version() + " (" + admin.store().describe()
				+ ")\n# Secrets are shown as " + Secrets.MASK + ": importing this file here keeps the stored ones\n"
				+ Yaml.write(Secrets.mask(snapshot.stored().config()));
		return ServerResponse.ok()
			.eTag(etag(snapshot.version()))
			.contentType(YAML)
			.header("Content-Disposition", "attachment; filename=\"meshgate-config.yaml\"")
			.bodyValue(text);
	}

	private Mono<ServerResponse> importYaml(ServerRequest request) {
		return request.bodyToMono(String.class)
			.defaultIfEmpty("")
			.flatMap(text -> blocking(() -> Yaml.read(text)).onErrorMap(
					ex -> !(ex instanceof InvalidConfigException),
					ex -> new InvalidConfigException(List.of(ex instanceof IllegalArgumentException refused
							&& refused.getMessage().startsWith("document: ")
									// the bounds and shape of the document (Yaml.read), fixed texts
									? new ConfigError("document", refused.getMessage())
									: new ConfigError("", "document: not valid YAML ("
											+ String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + ")")))))
			.flatMap(tree -> change(request, "import", config -> new LinkedHashMap<>(tree)));
	}

	private Mono<ServerResponse> listRoutes(ServerRequest request) {
		AdminService.Snapshot snapshot = admin.snapshot();
		String query = request.queryParam("q").orElse("").trim().toLowerCase(Locale.ROOT);
		List<Map<String, Object>> routes = new ArrayList<>();
		for (Object route : list(snapshot.stored().config(), "routes")) {
			routes.add(entry("store", false, route));
		}
		for (ConfigOverlay overlay : admin.overlays()) {
			for (Route route : overlay.config().routes()) {
				routes.add(entry(overlay.source(), true, ConfigTrees.toMap(route)));
			}
		}
		if (!query.isEmpty()) {
			routes.removeIf(entry -> !matches(entry.get("route"), query));
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("version", snapshot.version());
		body.put("routes", routes);
		return json(HttpStatus.OK, body, snapshot.version());
	}

	private Mono<ServerResponse> listUpstreams(ServerRequest request) {
		AdminService.Snapshot snapshot = admin.snapshot();
		List<Map<String, Object>> upstreams = new ArrayList<>();
		for (Object upstream : list(snapshot.stored().config(), "upstreams")) {
			upstreams.add(entry("store", false, upstream));
		}
		for (ConfigOverlay overlay : admin.overlays()) {
			for (Upstream upstream : overlay.config().upstreams()) {
				upstreams.add(entry(overlay.source(), true, ConfigTrees.toMap(upstream)));
			}
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("version", snapshot.version());
		body.put("upstreams", upstreams);
		return json(HttpStatus.OK, body, snapshot.version());
	}

	/** A route matches a search when its id, path, host or an upstream contains every word. */
	private static boolean matches(Object route, String query) {
		if (!(route instanceof Map<?, ?> tree)) {
			return false;
		}
		StringBuilder text = new StringBuilder().append(tree.get("id")).append(' ');
		if (tree.get("match") instanceof Map<?, ?> match) {
			text.append(match.get("path")).append(' ').append(match.get("host")).append(' ');
		}
		for (String list : List.of("backends", "mirrors")) {
			if (tree.get(list) instanceof List<?> items) {
				items.forEach(item -> text.append(item instanceof Map<?, ?> m ? m.get("upstream") : item).append(' '));
			}
		}
		String haystack = text.toString().toLowerCase(Locale.ROOT);
		for (String word : query.split("\\s+")) {
			if (!haystack.contains(word)) {
				return false;
			}
		}
		return true;
	}

	private static Map<String, Object> entry(String source, boolean readOnly, Object item) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("source", source);
		entry.put("readOnly", readOnly);
		entry.put(item instanceof Map<?, ?> m && m.containsKey("id") ? "route" : "upstream", item);
		return entry;
	}

	/** The stored items of {@code kind}, then those of the read-only sources, each with its source. */
	private Mono<ServerResponse> listItems(ConfigKinds.Kind kind) {
		AdminService.Snapshot snapshot = admin.snapshot();
		List<Map<String, Object>> items = new ArrayList<>();
		for (Object item : list(snapshot.stored().config(), kind.name())) {
			items.add(Map.of("source", "store", "readOnly", false, "item", item));
		}
		for (ConfigOverlay overlay : admin.overlays()) {
			for (Object item : kind.of(overlay.config())) {
				items.add(Map.of("source", overlay.source(), "readOnly", true, "item", ConfigTrees.toMap((Record) item)));
			}
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("version", snapshot.version());
		body.put(kind.name(), items);
		return json(HttpStatus.OK, body, snapshot.version());
	}

	private Mono<ServerResponse> getItem(ServerRequest request, String kind, String key) {
		String id = request.pathVariable("id");
		AdminService.Snapshot snapshot = admin.snapshot();
		for (Object item : list(snapshot.stored().config(), kind)) {
			if (item instanceof Map<?, ?> map && id.equals(map.get(key))) {
				return json(HttpStatus.OK, item, snapshot.version());
			}
		}
		throw new NoSuchElementException(kind.substring(0, kind.length() - 1) + " " + id + " is not stored"
				+ (readOnlySource(kind, id) != null ? " (it comes from " + readOnlySource(kind, id) + " and is read-only)"
						: ""));
	}

	private String readOnlySource(String kind, String id) {
		ConfigKinds.Kind named = ConfigKinds.named(kind);
		for (ConfigOverlay overlay : admin.overlays()) {
			boolean found = named.of(overlay.config()).stream().anyMatch(item -> named.nameOf(item).equals(id));
			if (found) {
				return overlay.source();
			}
		}
		return null;
	}

	/** Creates ({@code id == null}, POST) or creates-or-replaces (PUT) one route or upstream. */
	private Mono<ServerResponse> writeItem(ServerRequest request, String kind, String key, String id) {
		return body(request).flatMap(item -> {
			Object given = item.get(key);
			if (id != null && given != null && !id.equals(given)) {
				throw new InvalidConfigException(List.of(new ConfigError(kind + "[" + id + "]." + key,
						key + ": " + given + " (expected: " + id + ", as in the URL; to rename, create the new one and delete the old)")));
			}
			if (id != null) {
				item.put(key, id);
			}
			String name = String.valueOf(item.get(key));
			String source = readOnlySource(kind, name);
			if (source != null) {
				throw new InvalidConfigException(List.of(new ConfigError(kind + "[" + name + "]",
						key + ": " + name + " (expected: a " + singular(kind) + " stored by Meshgate; this one comes from "
								+ source + " and is read-only)")));
			}
			return change(request, new AdminService.Item(kind, key, name), config -> {
				List<Object> items = mutableList(config, kind);
				boolean replaced = false;
				for (int i = 0; i < items.size(); i++) {
					if (items.get(i) instanceof Map<?, ?> map && name.equals(map.get(key))) {
						if (id == null) {
							throw new InvalidConfigException(List.of(new ConfigError(kind + "[" + name + "]." + key,
									key + ": " + name + " (expected: unique; use PUT /api/" + kind + "/" + name
											+ " to replace it)")));
						}
						items.set(i, item);
						replaced = true;
					}
				}
				if (!replaced) {
					items.add(item);
				}
				return config;
			});
		});
	}

	private Mono<ServerResponse> deleteItem(ServerRequest request, String kind, String key) {
		String id = request.pathVariable("id");
		String source = readOnlySource(kind, id);
		if (source != null) {
			throw new InvalidConfigException(List.of(new ConfigError(kind + "[" + id + "]", key + ": " + id
					+ " (expected: a " + singular(kind) + " stored by Meshgate; this one comes from " + source
					+ " and is read-only)")));
		}
		return change(request, new AdminService.Item(kind, key, id), config -> {
			List<Object> items = mutableList(config, kind);
			boolean removed = false;
			for (Iterator<Object> it = items.iterator(); it.hasNext();) {
				if (it.next() instanceof Map<?, ?> map && id.equals(map.get(key))) {
					it.remove();
					removed = true;
				}
			}
			if (!removed) {
				throw new NoSuchElementException(singular(kind) + " " + id + " is not stored");
			}
			return config;
		});
	}

	private Mono<ServerResponse> history(ServerRequest request) {
		return blocking(() -> admin.store().history()).flatMap(versions -> {
			List<Map<String, Object>> entries = new ArrayList<>();
			for (HistoryEntry version : versions) {
				entries.add(version.toDocument());
			}
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("version", admin.snapshot().version());
			body.put("history", entries);
			return json(HttpStatus.OK, body, admin.snapshot().version());
		});
	}

	private Mono<ServerResponse> historyVersion(ServerRequest request) {
		long version = version(request.pathVariable("version"));
		return blocking(() -> admin.find(version)).flatMap(stored -> json(HttpStatus.OK, stored.toDocument(), null));
	}

	private Mono<ServerResponse> diff(ServerRequest request) {
		long from = version(request.queryParam("from").orElse(""));
		long to = request.queryParam("to").map(AdminApi::version).orElse(admin.snapshot().version());
		return blocking(() -> admin.diff(from, to)).flatMap(diff -> {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("from", from);
			body.put("to", to);
			body.put("diff", diff);
			return json(HttpStatus.OK, body, null);
		});
	}

	private Mono<ServerResponse> rollback(ServerRequest request) {
		long version = version(request.pathVariable("version"));
		Long expected = ifMatch(request);
		boolean dryRun = dryRun(request);
		return author(request).flatMap(author -> blocking(() -> admin.rollback(version, expected, author, dryRun)))
			.flatMap(this::changed);
	}

	/**
	 * The route tester: a request ({@code method}, {@code path}, {@code host}, {@code headers},
	 * {@code cookies}, {@code clientAddress}, {@code identity}, {@code token}, {@code apiKey},
	 * {@code origin}) through the gateway's own edge, route lookup and access decisions, over the
	 * live table or, with {@code config} (a stored configuration as {@code PUT /api/config} takes
	 * it), over that configuration's dry-run table.
	 */
	@SuppressWarnings("unchecked")
	private Mono<ServerResponse> tester(ServerRequest request) {
		return body(request).flatMap(body -> {
			RouteTester.Request test = new RouteTester.Request(string(body.get("method")), string(body.get("path")),
					string(body.get("host")), strings(body.get("headers")), strings(body.get("cookies")),
					string(body.get("clientAddress")), RouteTester.identity(body.get("identity")), string(body.get("token")),
					string(body.get("apiKey")), string(body.get("origin")));
			Map<String, String> sources = new HashMap<>();
			admin.overlays().forEach(o -> o.config().routes().forEach(r -> sources.put(r.id(), o.source())));
			AdminService.Snapshot snapshot = admin.snapshot();
			Object proposed = body.get("config");
			if (proposed == null) {
				return tester.test(snapshot.running(), null, test, sources)
					.flatMap(answer -> json(HttpStatus.OK, answer, snapshot.version()));
			}
			if (!(proposed instanceof Map<?, ?> tree)) {
				throw new InvalidConfigException(List.of(new ConfigError("config",
						"config: " + proposed.getClass().getSimpleName() + " (expected: {upstreams: [...], routes: [...]})")));
			}
			return blocking(() -> admin.dryRun((Map<String, Object>) tree))
				.flatMap(dryRun -> tester.test(dryRun.running(), dryRun.table(), test, sources))
				.flatMap(answer -> {
					answer.put("dryRun", true);
					return json(HttpStatus.OK, answer, snapshot.version());
				});
		});
	}

	/**
	 * Live state of the upstreams: every endpoint with its verdict ({@code serving}, {@code down}
	 * by the active health check, {@code ejected} by outlier detection), requests in flight, the
	 * breaker's state and when the TLS certificate expires.
	 */
	private Mono<ServerResponse> state(ServerRequest request) {
		Map<String, Object> upstreams = new LinkedHashMap<>();
		if (registry != null) {
			long now = System.nanoTime();
			for (UpstreamRuntime runtime : registry.all()) {
				List<Map<String, Object>> endpoints = new ArrayList<>();
				for (UpstreamEndpoint endpoint : runtime.allEndpoints()) {
					boolean ejected = endpoint.health().ejected(now);
					Map<String, Object> e = new LinkedHashMap<>();
					e.put("address", endpoint.getUri().toString());
					e.put("weight", endpoint.weight());
					e.put("inFlight", endpoint.inFlight());
					e.put("health", !endpoint.health().checkedHealthy() ? "down" : ejected ? "ejected" : "serving");
					e.put("ejected", ejected);
					if (ejected) {
						e.put("ejectedUntil", java.time.Instant.now()
							.plusNanos(endpoint.health().ejectedUntilNanos() - now)
							.toString());
					}
					endpoints.add(e);
				}
				Map<String, Object> u = new LinkedHashMap<>();
				u.put("endpoints", endpoints);
				u.put("discovered", runtime.spec().discovered());
				// without an active check, "serving" only means "not ejected": the UI says "not checked"
				u.put("healthChecked", runtime.spec().healthCheck() != null);
				u.put("breaker", runtime.breaker() == null ? "none"
						: runtime.breaker().circuitBreaker().getState().name().toLowerCase(java.util.Locale.ROOT));
				java.security.cert.X509Certificate certificate = runtime.tls() == null ? null
						: runtime.tls().clientCertificate() != null ? runtime.tls().clientCertificate()
								: runtime.tls().serverCertificate();
				if (certificate != null) {
					u.put("certificateExpiry", certificate.getNotAfter().toInstant().toString());
				}
				upstreams.put(runtime.name(), u);
			}
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("version", admin.snapshot().version());
		body.put("upstreams", upstreams);
		return json(HttpStatus.OK, body, admin.snapshot().version());
	}

	/**
	 * The JSON Schema of the configuration, generated from the records ({@link RecordSchema}):
	 * fixed for a build, so computed once; clients keep it and revalidate with its ETag (304).
	 * Not masked: it holds types, defaults and examples from the records' source, no configuration.
	 */
	private Mono<ServerResponse> schema(ServerRequest request) {
		return request.checkNotModified(ConfigSchema.ETAG)
			.switchIfEmpty(Mono.defer(() -> ServerResponse.ok()
				.eTag(ConfigSchema.ETAG)
				.cacheControl(CacheControl.noCache().cachePrivate())
				.contentType(ConfigSchema.MEDIA_TYPE)
				.bodyValue(ConfigSchema.DOCUMENT)));
	}

	/** Where a route's rollout stands: its step, weights, the step's numbers and the gates' verdict on them. */
	private Mono<ServerResponse> rollout(ServerRequest request) {
		String id = request.pathVariable("id");
		return rollouts(id).flatMap(actions -> json(HttpStatus.OK, actions.view(id), admin.snapshot().version()));
	}

	/** The versions that moved a route's rollout, newest first: its timeline. */
	private Mono<ServerResponse> rolloutTimeline(ServerRequest request) {
		String id = request.pathVariable("id");
		return rollouts(id).flatMap(actions -> blocking(() -> actions.timeline(id))).flatMap(timeline -> {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("versions", timeline.versions());
			body.put("timeline", timeline.moves());
			return json(HttpStatus.OK, body, admin.snapshot().version());
		});
	}

	/**
	 * Pause, resume, promote or abort a route's rollout: each a version, of the configuration for a
	 * stored route, of the HTTPRoute rollouts' history for an HTTPRoute's (the configuration is
	 * unchanged: the answer's ETag stays its version). The answer's {@code rollout} is the rollout
	 * as the action leaves it (absent when the action ended it), which an HTTPRoute's view shows
	 * only once the route is translated again.
	 */
	private Mono<ServerResponse> rolloutAction(ServerRequest request) {
		String id = request.pathVariable("id");
		RolloutActions.Action action = RolloutActions.Action.parse(request.pathVariable("action"));
		return rollouts(id).zipWith(author(request))
			.flatMap(found -> blocking(() -> found.getT1().act(id, action, found.getT2())))
			.flatMap(acted -> {
				Map<String, Object> body = new LinkedHashMap<>();
				long version;
				if (acted.change() != null) {
					body.putAll(changeBody(acted.change()));
					version = acted.change().version();
				}
				else {
					body.put("versions", "rollouts");
					body.putAll(acted.kept().toDocument());
					version = admin.snapshot().version();
				}
				if (acted.view() != null) {
					body.put("rollout", acted.view());
				}
				return json(HttpStatus.OK, body, version);
			});
	}

	private Mono<RolloutActions> rollouts(String id) {
		return rollouts != null ? Mono.just(rollouts)
				: Mono.error(new NoSuchElementException("route " + id + " has no rollout (rollouts are off)"));
	}

	/** A change of the whole configuration: any change since the version read is a conflict. */
	private Mono<ServerResponse> change(ServerRequest request, String action, UnaryOperator<Map<String, Object>> edit) {
		Long expected = ifMatch(request);
		boolean dryRun = dryRun(request);
		return author(request).flatMap(author -> blocking(() -> admin.change(expected, author, action, dryRun, edit)))
			.flatMap(this::changed);
	}

	/** A change of one item: a conflict only when that item changed since the version read. */
	private Mono<ServerResponse> change(ServerRequest request, AdminService.Item item,
			UnaryOperator<Map<String, Object>> edit) {
		Long expected = ifMatch(request);
		boolean dryRun = dryRun(request);
		return author(request).flatMap(author -> blocking(() -> admin.change(expected, item, author, dryRun, edit)))
			.flatMap(this::changed);
	}

	private static Mono<String> author(ServerRequest request) {
		return request.principal().map(Principal::getName).defaultIfEmpty("anonymous");
	}

	private Mono<ServerResponse> changed(AdminService.Change change) {
		return json(HttpStatus.OK, changeBody(change), change.version());
	}

	private static Map<String, Object> changeBody(AdminService.Change change) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("version", change.version());
		body.put("applied", change.applied());
		body.put("dryRun", change.dryRun());
		body.put("diff", change.diff());
		return body;
	}

	private static <T> Mono<T> blocking(Callable<T> work) {
		return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
	}

	private static Mono<Map<String, Object>> body(ServerRequest request) {
		return request.bodyToMono(JSON_OBJECT)
			.onErrorMap(ex -> !(ex instanceof InvalidConfigException) && !(ex instanceof UnsupportedMediaTypeStatusException)
					&& tooLarge(ex) == null,
					ex -> new InvalidConfigException(List.of(new ConfigError("", "body: not a JSON object ("
							+ (ex.getMessage() == null ? ex.getClass().getSimpleName()
									: ex.getMessage().lines().findFirst().orElse(""))
							+ ")"))))
			.switchIfEmpty(Mono.error(() -> new InvalidConfigException(
					List.of(new ConfigError("", "body: empty (expected: a JSON object)")))))
			.map(LinkedHashMap::new);
	}

	private static Long ifMatch(ServerRequest request) {
		List<String> values = request.headers().header("If-Match");
		if (values.isEmpty() || values.get(0).trim().equals("*")) {
			return null;
		}
		String value = values.get(0).trim().replaceFirst("^W/", "").replace("\"", "");
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			throw new InvalidConfigException(List.of(new ConfigError("If-Match",
					"If-Match: " + values.get(0) + " (expected: the ETag of a read, as in \"12\")")));
		}
	}

	private static boolean dryRun(ServerRequest request) {
		return request.queryParam("dryRun").map(Boolean::parseBoolean).orElse(false);
	}

	private static long version(String text) {
		try {
			return Long.parseLong(text.trim());
		}
		catch (NumberFormatException ex) {
			throw new InvalidConfigException(
					List.of(new ConfigError("version", "version: " + text + " (expected: a version number)")));
		}
	}

	private static String string(Object value) {
		return value == null ? null : String.valueOf(value);
	}

	private static Map<String, String> strings(Object value) {
		Map<String, String> map = new LinkedHashMap<>();
		if (value instanceof Map<?, ?> m) {
			m.forEach((k, v) -> map.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
		}
		return map;
	}

	private static List<?> list(Map<String, Object> config, String kind) {
		return config.get(kind) instanceof List<?> list ? list : List.of();
	}

	@SuppressWarnings("unchecked")
	private static List<Object> mutableList(Map<String, Object> config, String kind) {
		Object items = config.get(kind);
		if (!(items instanceof List<?>)) {
			items = new ArrayList<>();
			config.put(kind, items);
		}
		return (List<Object>) items;
	}

	private static String singular(String kind) {
		return ConfigKinds.named(kind).singular();
	}

	static String etag(long version) {
		return "\"" + version + "\"";
	}

	private static Mono<ServerResponse> json(HttpStatus status, Object body, Long version) {
		ServerResponse.BodyBuilder response = ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON);
		if (version != null) {
			response.eTag(etag(version));
		}
		// every JSON answer with configuration in it goes through here: secrets never leave the admin API
		return response.bodyValue(Secrets.mask(body));
	}

	/** The limit exceeded when {@code error} is (or is caused by) a body larger than the codecs buffer. */
	private static DataBufferLimitException tooLarge(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof DataBufferLimitException limit) {
				return limit;
			}
		}
		return null;
	}

	private static Mono<ServerResponse> error(Throwable error, ServerRequest request) {
		Map<String, Object> body = new LinkedHashMap<>();
		HttpStatus status;
		DataBufferLimitException limit = tooLarge(error);
		if (limit != null) {
			// a body beyond the codecs' in-memory limit (spring.codec.max-in-memory-size): the client's fault
			status = HttpStatus.valueOf(413);
			body.put("message", "the configuration was not changed: the body is too large (" + limit.getMessage() + ")");
			body.put("errors", List.of(new ConfigError("", "body: too large (" + limit.getMessage() + ")")));
		}
		else if (error instanceof UnsupportedMediaTypeStatusException) {
			status = HttpStatus.UNSUPPORTED_MEDIA_TYPE;
			body.put("message", "the configuration was not changed: the body is not JSON (expected: Content-Type application/json)");
			body.put("errors", List.of(new ConfigError("", "body: not JSON (expected: Content-Type application/json)")));
		}
		else if (error instanceof InvalidConfigException invalid) {
			status = HttpStatus.BAD_REQUEST;
			body.put("message", "the configuration was not changed: " + invalid.errors().size() + " error(s)");
			body.put("errors", invalid.errors());
		}
		else if (error instanceof VersionConflictException conflict) {
			status = HttpStatus.CONFLICT;
			body.put("message", conflict.getMessage());
			body.put("currentVersion", conflict.currentVersion());
			if (conflict instanceof ItemConflictException changed) {
				body.put("readVersion", changed.read());
				if (changed.item() != null) {
					body.put("item", Map.of("kind", changed.item().kind(), "name", changed.item().name()));
					// masked by json(), as every answer; null when the item was deleted
					body.put("theirs", changed.theirs());
				}
				body.put("changesSince", changed.since().stream().map(HistoryEntry::toDocument).toList());
			}
		}
		else if (error instanceof RolloutActions.NotNowException) {
			status = HttpStatus.CONFLICT;
			body.put("message", error.getMessage());
		}
		else if (error instanceof NoSuchElementException) {
			status = HttpStatus.NOT_FOUND;
			body.put("message", error.getMessage());
		}
		else if (error instanceof IllegalArgumentException || error instanceof ServerWebInputException) {
			status = HttpStatus.BAD_REQUEST;
			body.put("message", error.getMessage());
			body.put("errors", List.of(new ConfigError("", String.valueOf(error.getMessage()))));
		}
		else {
			log.error("Admin API " + request.method() + " " + request.path() + " failed", error);
			status = HttpStatus.INTERNAL_SERVER_ERROR;
			body.put("message", "internal error; see the gateway's log");
		}
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("status", status.value());
		answer.put("error", status.getReasonPhrase());
		answer.putAll(body);
		answer.put("path", request.path());
		return json(status, answer, null);
	}

}
