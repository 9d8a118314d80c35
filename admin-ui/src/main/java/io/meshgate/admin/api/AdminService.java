package io.meshgate.admin.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.meshgate.admin.history.ChangeSummary;
import io.meshgate.admin.history.Diffs;
import io.meshgate.admin.model.BoundConfig;
import io.meshgate.admin.model.ConfigBinder;
import io.meshgate.admin.model.ConfigError;
import io.meshgate.admin.model.ConfigKinds;
import io.meshgate.admin.model.ConfigTrees;
import io.meshgate.admin.model.InvalidConfigException;
import io.meshgate.admin.model.Secrets;
import io.meshgate.admin.store.ConfigYaml;
import io.meshgate.admin.store.HistoryEntry;
import io.meshgate.admin.store.RouteStore;
import io.meshgate.admin.store.StoredConfig;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouteTable;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.RouteConversionException;

/**
 * The one way configuration changes: every edit, import and rollback is applied to a copy of the
 * stored tree, bound and checked whole ({@link ConfigBinder}, including a dry-run compile of the
 * route table), applied to the running gateway and stored as a new version. A failed edit changes
 * nothing. Items an edit leaves as they were keep their records and their YAML (for the diff and
 * the store), so an edit of one route among 10,000 costs little more than the checks of the
 * whole. Methods block (the store does I/O): call them off the event loop.
 */
public final class AdminService {

	private static final Log log = LogFactory.getLog(AdminService.class);

	/** What diffs show of a configuration: secrets masked. */
	private static final UnaryOperator<Object> SHOWN = Secrets::mask;

	private final RouteStore store;

	private final Supplier<MeshRouting> routing;

	/** Replaced whole by {@link #replaceOverlay}; read without the lock by the admin API. */
	private volatile List<ConfigOverlay> overlays;

	private volatile MeshConfig others;

	private volatile Snapshot snapshot;

	/**
	 * The YAML last shown in a diff, secrets masked: only a cache (the next diff renders only the
	 * items whose tree is not in it), so reading it without the lock is fine.
	 */
	private volatile ConfigYaml shown;

	/** What runs: the stored version, its bound records, and the whole configuration with the overlays. */
	public record Snapshot(StoredConfig stored, BoundConfig bound, MeshConfig running) {

		public long version() {
			return stored.version();
		}

		/** The stored part, bound. */
		public MeshConfig config() {
			return bound.config();
		}

	}

	/** The outcome of a change: the version now current, and the diff it made (or would make). */
	public record Change(long version, boolean applied, boolean dryRun, String diff) {

	}

	/**
	 * The one item an edit is about ({@code routes}, {@code id}, {@code shop}): its version check
	 * looks at that item alone ({@link #change}).
	 */
	public record Item(String kind, String key, String name) {

		public Item {
			Objects.requireNonNull(kind, "kind");
			Objects.requireNonNull(key, "key");
			Objects.requireNonNull(name, "name");
		}

		/** {@code route shop}. */
		@Override
		public String toString() {
			return ConfigKinds.named(kind).singular() + " " + name;
		}

		/** The tree of this item in {@code config}; null when it holds none. */
		Object in(Map<String, Object> config) {
			if (config.get(kind) instanceof List<?> items) {
				for (Object item : items) {
					if (item instanceof Map<?, ?> map && name.equals(map.get(key))) {
						return item;
					}
				}
			}
			return null;
		}

	}

	public AdminService(RouteStore store, Supplier<MeshRouting> routing, List<ConfigOverlay> overlays) {
		this.store = Objects.requireNonNull(store, "store");
		this.routing = Objects.requireNonNull(routing, "routing");
		this.overlays = List.copyOf(overlays);
		this.others = merge(this.overlays);
	}

	private static MeshConfig merge(List<ConfigOverlay> overlays) {
		MeshConfig merged = MeshConfig.EMPTY;
		for (ConfigOverlay overlay : overlays) {
			merged = merged.plus(overlay.config());
		}
		return merged;
	}

	/**
	 * Loads the store, seeding it with {@code seed} when it is empty (the first start), and
	 * returns the configuration to run. Afterwards the store is the truth.
	 */
	public synchronized MeshConfig start(MeshConfig seed) {
		StoredConfig stored = store.current().orElseGet(() -> {
			if (ConfigKinds.isEmpty(seed)) {
				// Nothing to seed (the demo, say): the store stays empty, so that routes configured
				// at a later start still seed it; the first edit stores version 1.
				log.info("Route store " + store.describe() + " is empty and there is nothing to seed: "
						+ "the first change creates version 1");
				return new StoredConfig(0, tree(MeshConfig.EMPTY), "nobody", null, "nothing stored yet");
			}
			log.info("Route store " + store.describe() + " is empty: seeding it with " + seed.routes().size()
					+ " routes and " + seed.upstreams().size() + " upstreams from the application configuration");
			return store.write(0, tree(seed), "seed", "seeded from the application configuration");
		});
		BoundConfig bound;
		try {
			bound = ConfigBinder.bind(stored.config(), others, BoundConfig.EMPTY);
		}
		catch (InvalidConfigException ex) {
			throw new IllegalStateException("Route store " + store.describe() + ", version " + stored.version()
					+ " is not valid: " + ex.errors(), ex);
		}
		snapshot = new Snapshot(stored, bound, bound.config().plus(others));
		// rendered now rather than by the first edit, which should take well under a second
		shown = ConfigYaml.render(stored.config(), SHOWN, null);
		log.info("Route store " + store.describe() + ": version " + stored.version() + " by " + stored.author());
		store.watch(this::onStoredElsewhere);
		return snapshot.running();
	}

	public Snapshot snapshot() {
		Snapshot current = snapshot;
		if (current == null) {
			throw new IllegalStateException("the admin service has not started");
		}
		return current;
	}

	public List<ConfigOverlay> overlays() {
		return overlays;
	}

	/**
	 * Replaces the read-only configuration of {@code overlay.source()} (added last when there is none
	 * yet), as Kubernetes objects change. Checked whole with the stored configuration and the other
	 * overlays, like an edit, then applied; on error ({@link InvalidConfigException}) nothing
	 * changes. The stored configuration is untouched: admin edits are neither lost nor blocked, and
	 * an edit that would clash with the new overlay is refused from now on.
	 */
	public synchronized void replaceOverlay(ConfigOverlay overlay) {
		List<ConfigOverlay> next = new ArrayList<>();
		boolean replaced = false;
		for (ConfigOverlay existing : overlays) {
			if (existing.source().equals(overlay.source())) {
				next.add(overlay);
				replaced = true;
			}
			else {
				next.add(existing);
			}
		}
		if (!replaced) {
			next.add(overlay);
		}
		MeshConfig nextOthers = merge(next);
		Snapshot current = snapshot;
		if (current == null) {
			// not started yet: start() binds the store against these overlays
			overlays = List.copyOf(next);
			others = nextOthers;
			return;
		}
		BoundConfig bound = ConfigBinder.bind(current.stored().config(), nextOthers, current.bound());
		MeshConfig running = bound.config().plus(nextOthers);
		try {
			routing.get().apply(running);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(ex);
		}
		overlays = List.copyOf(next);
		others = nextOthers;
		snapshot = new Snapshot(current.stored(), bound, running);
		log.info("Read-only configuration from " + overlay.source() + " applied: " + overlay.config().routes().size()
				+ " routes over " + overlay.config().upstreams().size() + " upstreams");
	}

	public RouteStore store() {
		return store;
	}

	/**
	 * Applies {@code edit} of the whole configuration to a copy of the stored tree.
	 * {@code expectedVersion} (the client's {@code If-Match}) may be null to skip the check; any
	 * change since that version is a conflict. {@code action} names the edit in the history
	 * ({@code import}), followed by what it changed.
	 */
	public Change change(Long expectedVersion, String author, String action, boolean dryRun,
			UnaryOperator<Map<String, Object>> edit) {
		return change(expectedVersion, null, author, summary -> action == null ? summary
				: summary.isEmpty() ? action : action + ": " + summary, dryRun, edit);
	}

	/**
	 * Applies {@code edit} of one {@code item} to a copy of the current stored tree: a change since
	 * {@code expectedVersion} is a conflict only when it changed this item (or the version read is
	 * no longer kept, so that cannot be told); other items' changes are kept, and the whole result
	 * is checked as any edit. The history says what the edit changed.
	 */
	public Change change(Long expectedVersion, Item item, String author, boolean dryRun,
			UnaryOperator<Map<String, Object>> edit) {
		return change(expectedVersion, Objects.requireNonNull(item, "item"), author, UnaryOperator.identity(), dryRun,
				edit);
	}

	/**
	 * Applies {@code edit} of one {@code item} as {@link #change(Long, Item, String, boolean, UnaryOperator)}
	 * does, with {@code summary} as its line in the history instead of the fields it changed: for
	 * the changes Meshgate decides itself (a rollout's step), whose line says why.
	 */
	public Change changeWithSummary(Long expectedVersion, Item item, String author, String summary,
			UnaryOperator<Map<String, Object>> edit) {
		Objects.requireNonNull(summary, "summary");
		return change(expectedVersion, Objects.requireNonNull(item, "item"), author, fields -> summary, false, edit);
	}

	/** @param summarize the history line from the fields the change changed */
	private synchronized Change change(Long expectedVersion, Item item, String author, UnaryOperator<String> summarize,
			boolean dryRun, UnaryOperator<Map<String, Object>> edit) {
		Snapshot current = snapshot();
		if (expectedVersion != null && expectedVersion != current.version()) {
			checkUnchangedSince(expectedVersion, item, current);
		}
		Map<String, Object> edited = edit.apply(ConfigTrees.copy(current.stored().config()));
		List<ConfigError> hidden = new ArrayList<>();
		Secrets.restore(edited, current.stored().config(), "", hidden);
		if (!hidden.isEmpty()) {
			throw new InvalidConfigException(hidden);
		}
		// items equal to stored ones are not bound again; the whole configuration is still checked
		BoundConfig bound = ConfigBinder.bind(edited, others, current.bound());
		Map<String, Object> normalized = bound.tree();
		ConfigYaml before = ConfigYaml.render(current.stored().config(), SHOWN, shown);
		ConfigYaml after = ConfigYaml.render(normalized, SHOWN, before);
		shown = before;
		String diff = Diffs.unified(before.lines(), after.lines(), "version " + current.version(),
				dryRun ? "proposed" : "new");
		MeshConfig running = bound.config().plus(others);
		if (dryRun) {
			// what applying would check and read (endpoints, TLS files), without applying
			try {
				routing.get().check(running);
			}
			catch (IllegalArgumentException ex) {
				throw invalid(ex);
			}
		}
		if (dryRun || diff.isEmpty()) {
			return new Change(current.version(), false, dryRun, diff);
		}
		// Applied first (all or nothing: a failure leaves the running configuration as it was), then
		// stored; if storing fails, the previous configuration runs again. Either way a failed
		// change is neither stored nor running.
		try {
			routing.get().apply(running);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(ex);
		}
		String summary = summarize.apply(ChangeSummary.of(current.config(), bound.config()));
		StoredConfig next;
		try {
			next = store.write(current.version(), normalized, author, summary);
		}
		catch (RuntimeException ex) {
			routing.get().apply(current.running());
			throw ex;
		}
		snapshot = new Snapshot(next, bound, running);
		shown = after;
		log.info("Configuration version " + next.version() + " by " + author + ": " + summary);
		return new Change(next.version(), true, false, diff);
	}

	/**
	 * Throws a {@link ItemConflictException} unless {@code item} is the same now as in version
	 * {@code read} (a whole-configuration edit, {@code item} null, conflicts with any change).
	 */
	private void checkUnchangedSince(long read, Item item, Snapshot current) {
		Object theirs = item == null ? null : item.in(current.stored().config());
		if (item != null && read < current.version()) {
			Optional<StoredConfig> then = store.version(read);
			if (then.isPresent() && Objects.equals(item.in(then.get().config()), theirs)) {
				return;
			}
		}
		List<HistoryEntry> since = store.history().stream().filter(entry -> entry.version() > read).limit(10).toList();
		throw new ItemConflictException(read, current.version(), item, theirs, since);
	}

	/** Every error of a configuration the gateway refused to run, each with its path. */
	private static InvalidConfigException invalid(IllegalArgumentException refused) {
		if (refused instanceof RouteConversionException conversion) {
			return new InvalidConfigException(conversion.errors().stream().map(ConfigBinder::errorOf).toList());
		}
		return new InvalidConfigException(List.of(ConfigBinder.errorOf(refused.getMessage())));
	}

	/**
	 * What running {@code tree} (a stored configuration, as {@code PUT /api/config} takes it) would
	 * mean, as a dry run of the edit: bound and checked whole with the read-only configuration,
	 * every route converted by the gateway. Nothing changes. Throws
	 * {@link InvalidConfigException}; blocks (TLS files are read).
	 */
	public DryRun dryRun(Map<String, Object> tree) {
		Snapshot current = snapshot();
		Map<String, Object> edited = ConfigTrees.copy(tree);
		List<ConfigError> hidden = new ArrayList<>();
		Secrets.restore(edited, current.stored().config(), "", hidden);
		if (!hidden.isEmpty()) {
			throw new InvalidConfigException(hidden);
		}
		MeshConfig running = ConfigBinder.bind(edited, others, current.bound()).config().plus(others);
		try {
			return new DryRun(running, routing.get().check(running));
		}
		catch (IllegalArgumentException ex) {
			throw invalid(ex);
		}
	}

	/** A configuration checked as an edit would be, and its route table, converted but never served. */
	public record DryRun(MeshConfig running, MeshRouteTable table) {

	}

	/** Makes the configuration of an earlier version current again, as a new version. */
	public Change rollback(long version, Long expectedVersion, String author, boolean dryRun) {
		StoredConfig old = find(version);
		return change(expectedVersion, author, "rollback to version " + version, dryRun,
				tree -> ConfigTrees.copy(old.config()));
	}

	/** A version kept in the store, read from it (older versions are not held in memory). */
	public StoredConfig find(long version) {
		return store.version(version)
			.orElseThrow(() -> new NoSuchElementException("version " + version + " is not in the history (expected: one of "
					+ store.history().stream().map(HistoryEntry::version).toList() + ")"));
	}

	public String diff(long from, long to) {
		ConfigYaml older = ConfigYaml.render(find(from).config(), SHOWN, shown);
		ConfigYaml newer = ConfigYaml.render(find(to).config(), SHOWN, older);
		return Diffs.unified(older.lines(), newer.lines(), "version " + from, "version " + to);
	}

	/** A version stored by another replica: applied if it is newer and valid, else the last good one stays. */
	private synchronized void onStoredElsewhere(StoredConfig stored) {
		Snapshot current = snapshot;
		if (current != null && stored.version() <= current.version()) {
			return;
		}
		try {
			run(stored, ConfigBinder.bind(stored.config(), others, current == null ? BoundConfig.EMPTY : current.bound()));
			log.info("Configuration version " + stored.version() + " by " + stored.author() + " (from the store): "
					+ stored.summary());
		}
		catch (InvalidConfigException ex) {
			log.error("Ignoring configuration version " + stored.version() + " from the store, it is not valid: "
					+ ex.errors());
		}
		catch (IllegalArgumentException ex) {
			log.error("Ignoring configuration version " + stored.version() + " from the store, the gateway cannot run it: "
					+ invalid(ex).errors());
		}
	}

	private void run(StoredConfig stored, BoundConfig bound) {
		MeshConfig running = bound.config().plus(others);
		routing.get().apply(running);
		snapshot = new Snapshot(stored, bound, running);
	}

	/**
	 * The tree of a configuration: {@code {upstreams: [...], routes: [...], ...}}, upstreams and
	 * routes always present, the other kinds when they hold something ({@link ConfigKinds}).
	 */
	public static Map<String, Object> tree(MeshConfig config) {
		Map<String, Object> tree = new LinkedHashMap<>();
		for (ConfigKinds.Kind kind : ConfigKinds.ALL) {
			Object items = ConfigTrees.toTree(kind.of(config));
			if (items != null || kind.alwaysWritten()) {
				tree.put(kind.name(), items == null ? new ArrayList<>() : items);
			}
		}
		return tree;
	}

}
