package io.meshgate.admin.rollout;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.meshgate.admin.api.AdminService;
import io.meshgate.admin.model.ConfigTrees;
import io.meshgate.policy.rollout.routes.RolloutMoves.Move;
import io.meshgate.policy.route.Route;

/**
 * Stores a rollout's move as a version through the admin store, like any edit of the route: checked
 * whole and applied before it is stored. A move is decided on the version read
 * ({@code read}); when the route changed since (an operator's edit or action), the store refuses
 * it with a conflict and nothing changes.
 */
final class RolloutWriter {

	private static final String ROUTES = "routes";

	private final AdminService admin;

	RolloutWriter(AdminService admin) {
		this.admin = admin;
	}

	AdminService.Change write(long read, Move move, String author) {
		Route route = move.route();
		Map<String, Object> tree = ConfigTrees.toMap(route);
		return admin.changeWithSummary(read, new AdminService.Item(ROUTES, "id", route.id()), author, move.summary(),
				config -> {
					if (config.get(ROUTES) instanceof List<?> routes) {
						@SuppressWarnings("unchecked")
						List<Object> items = (List<Object>) routes;
						for (int i = 0; i < items.size(); i++) {
							if (items.get(i) instanceof Map<?, ?> item && route.id().equals(item.get("id"))) {
								items.set(i, tree);
								return config;
							}
						}
					}
					throw new NoSuchElementException("route " + route.id() + " is not stored");
				});
	}

	/** The stored route {@code id} of {@code snapshot}; its rollout's moves are stored with it. */
	static Route stored(AdminService.Snapshot snapshot, String id) {
		return snapshot.config().routes().stream().filter(route -> route.id().equals(id)).findFirst()
			.orElseThrow(() -> new NoSuchElementException("route " + id + " is not stored"));
	}

}
