package io.meshgate.gateway.admin;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.gateway.testing.RolloutRoutes;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Rollouts on one gateway, over real sockets: the decider moves a canary step by step while the
 * gates hold, rolls it back when it fails (weight 0, every sticky client back on the baseline),
 * and every move, the operator's included, is a version whose history line says why.
 */
class RolloutAdminTest extends AdminTestSupport {

	/** Sticky clients: the same user always reaches the same backend, at every step. */
	private static final String USER_HEADER = RolloutRoutes.USER_HEADER;

	private static final int USERS = 500;

	private int sent;

	private void create(TestUpstream baseline, TestUpstream canary, Map<String, Object> route) {
		assertThat(editor.post("/api/upstreams", upstream("v1", baseline.url()), null).status()).isEqualTo(200);
		assertThat(editor.post("/api/upstreams", upstream("v2", canary.url()), null).status()).isEqualTo(200);
		AdminClient.Answer created = editor.post("/api/routes", route, null);
		assertThat(created.status()).as(created.body()).isEqualTo(200);
	}

	private Map<String, Object> rollout() {
		AdminClient.Answer answer = editor.get("/api/routes/shop/rollout");
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return answer.json();
	}

	/**
	 * Sends requests as {@link #USERS} sticky clients in turn until the rollout's view satisfies
	 * {@code until}, looking after every 10 requests; fails after {@code within}.
	 */
	private Map<String, Object> drive(Predicate<Map<String, Object>> until, Duration within) {
		return drive(this::rollout, until, within);
	}

	/** {@link #drive(Predicate, Duration)} until what {@code look} reads satisfies {@code until}. */
	private Map<String, Object> drive(Supplier<Map<String, Object>> look, Predicate<Map<String, Object>> until,
			Duration within) {
		long deadline = System.nanoTime() + within.toNanos();
		while (System.nanoTime() < deadline) {
			Map<String, Object> view = look.get();
			if (until.test(view)) {
				return view;
			}
			for (int i = 0; i < 10; i++) {
				HttpResponse<String> response = ingress.get("/shop/" + sent, Map.of(USER_HEADER, "u" + (sent % USERS)));
				assertThat(response.statusCode()).isIn(200, 500);
				sent++;
			}
		}
		return fail("the rollout did not get there within " + within + ": " + look.get());
	}

	private static Predicate<Map<String, Object>> at(String phase, int step) {
		return view -> phase.equals(view.get("phase")) && Integer.valueOf(step).equals(view.get("step"));
	}

	private List<Map<String, Object>> history() {
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> entries = (List<Map<String, Object>>) editor.get("/api/history").json().get("history");
		return entries;
	}

	@Test
	void aCanaryThatFailsAtStepTwoIsRolledBackWithinFiveSecondsAndThenGetsNoRequest() {
		TestUpstream baseline = start("v1");
		TestUpstream canary = start("v2");
		create(baseline, canary, RolloutRoutes.shop(List.of(20.0, 50.0, 100.0), Map.of()));

		drive(at("RUNNING", 2), Duration.ofSeconds(30));
		canary.status(500);
		long failing = System.nanoTime();
		Map<String, Object> rolledBack = drive(view -> "ROLLED_BACK".equals(view.get("phase")), Duration.ofSeconds(30));
		Duration took = Duration.ofNanos(System.nanoTime() - failing);

		// docs/rollouts.md records these times: the line is printed before the assertion judges it
		System.out.println("Rollout rolled back " + took.toMillis() + " ms after the canary started failing");
		assertThat(took).as("from the canary's first 5xx to its rollback: %d ms", took.toMillis())
			.isLessThan(Duration.ofSeconds(5));
		assertThat(rolledBack.get("weights")).isEqualTo(List.of(100, 0));
		assertThat(rolledBack.get("step")).isEqualTo(2);
		Map<String, Object> decision = history().get(0);
		assertThat(decision.get("author")).isEqualTo("rollout");
		// the canary's first requests of step 2 came before it started failing
		assertThat((String) decision.get("summary")).startsWith("shop: rollout rolled back at step 2 (50 %): canary ")
			.containsPattern("canary \\d+\\.\\d % failed of \\d+ vs 0\\.0 % of \\d+, p99 ")
			.contains(": canary error share");

		int canaryHits = canary.hits();
		int baselineHits = baseline.hits();
		for (int user = 0; user < USERS; user++) {
			HttpResponse<String> response = ingress.get("/shop/after", Map.of(USER_HEADER, "u" + user));
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("v1");
		}
		assertThat(canary.hits()).as("requests the canary received after its rollback").isEqualTo(canaryHits);
		assertThat(baseline.hits()).isEqualTo(baselineHits + USERS);
		// rolled back stays rolled back: the decider does not start it again by itself
		assertThat(rollout().get("phase")).isEqualTo("ROLLED_BACK");
		// /actuator/mesh shows the rollout under its route as the admin API does
		assertThat(editor.get("/actuator/mesh/routes/shop").json().get("rollout"))
			.asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("phase", "ROLLED_BACK").containsEntry("step", 2)
			.containsEntry("weights", List.of(100, 0));
	}

	/**
	 * A/A over real sockets: the canary is the baseline's twin, two identical servers each failing
	 * 2 % of its answers with 503 (drawn from generators seeded alike), rolled out over nine gated
	 * steps at the default gates ({@code maxErrorShareIncrease} 1 point, {@code maxLatencyRatio}
	 * 1.5, {@code falseRollbackRate} 1 %). Only the timing is short: 1 s steps looked at every
	 * second, the default 200 canary requests each, and a {@code maxStepDuration} of 40 s, which
	 * gives the rollout the defaults' 360 looks, so that each look spends the defaults' 2.8e-5.
	 * Requests are split by the step's weights alone (no sticky key), as the simulation splits them.
	 *
	 * <p>The gates roll such a rollout back with probability at most 1 % (Bonferroni over its looks,
	 * for any traffic); {@code StepJudgeTest#identicalVersionsAtTheRealSocketTestsSettingsAreNotRolledBack}
	 * plays this configuration 2,000 times, and docs/design/rollout-gates.md gives the rate it found,
	 * which is this test's false-failure rate. {@code -Drollout.aa.sockets.runs=N} runs N rollouts
	 * in a row and prints their endings (the figure in docs/design/rollout-gates.md).
	 */
	@Test
	void identicalVersionsRolledOutOverRealSocketsAreNotRolledBack() {
		int runs = Integer.getInteger("rollout.aa.sockets.runs", 1);
		Map<String, Integer> endings = new TreeMap<>();
		List<String> rollbacks = new ArrayList<>();
		long requests = 0;
		long started = System.nanoTime();
		for (int run = 0; run < runs; run++) {
			emptyConfiguration();
			TestUpstream baseline = start("v1").failRandomly(0.02, run, 503);
			TestUpstream canary = start("v2").failRandomly(0.02, run, 503);
			create(baseline, canary, RolloutRoutes.shopWith(AA_ROLLOUT));
			Map<String, Object> ended = driveUnsticky(view -> ENDED.contains(view.get("phase")), Duration.ofSeconds(120));
			endings.merge((String) ended.get("phase"), 1, Integer::sum);
			if ("ROLLED_BACK".equals(ended.get("phase"))) {
				rollbacks.add(String.valueOf(ended.get("reason")));
			}
			requests += baseline.hits() + canary.hits();
			stopServers();
		}
		long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
		System.out.println("A/A rollouts over real sockets: " + runs + " of 9 gated steps, endings " + endings + ", "
				+ requests + " requests in " + seconds + " s; rollbacks: " + rollbacks);

		assertThat(rollbacks).as("false rollbacks of %d A/A rollouts", runs).hasSizeLessThanOrEqualTo(runs / 100);
		assertThat(endings.getOrDefault("DONE", 0)).as("A/A rollouts completed: %s", endings)
			.isGreaterThanOrEqualTo(runs - runs / 20);
	}

	/** The rollout of the A/A run: the default gates, with nine steps of test-sized timing. */
	private static final Map<String, Object> AA_ROLLOUT = Map.of("steps",
			List.of(10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0), "stepDuration", "1s", "checkInterval", "1s",
			"maxStepDuration", "40s");

	private static final Set<String> ENDED = Set.of("DONE", "ROLLED_BACK", "PAUSED");

	/**
	 * Sends requests without a sticky key, 8 at a time in batches of 200, until the rollout's view
	 * satisfies {@code until}; fails after {@code within}.
	 */
	private Map<String, Object> driveUnsticky(Predicate<Map<String, Object>> until, Duration within) {
		long deadline = System.nanoTime() + within.toNanos();
		while (System.nanoTime() < deadline) {
			Map<String, Object> view = rollout();
			if (until.test(view)) {
				return view;
			}
			assertThat(ingress.statuses(200, 8, i -> "/shop/" + i)).allMatch(status -> status == 200 || status == 503);
		}
		return fail("the rollout did not get there within " + within + ": " + rollout());
	}

	@Test
	void aHealthyCanaryIsPromotedStepByStepToAllTheTrafficAndEachStepIsAVersion() {
		TestUpstream baseline = start("v1");
		TestUpstream canary = start("v2");
		create(baseline, canary, RolloutRoutes.shop(List.of(10.0, 50.0, 100.0), Map.of()));

		// no sticky client flips back and forth: a client on the canary stays there at every later step
		drive(at("RUNNING", 1), Duration.ofSeconds(30));
		Set<String> onCanaryAtTen = onCanary();
		drive(at("RUNNING", 2), Duration.ofSeconds(30));
		Set<String> onCanaryAtFifty = onCanary();
		assertThat(onCanaryAtTen).isNotEmpty();
		assertThat(onCanaryAtFifty).containsAll(onCanaryAtTen);
		Map<String, Object> done = drive(view -> "DONE".equals(view.get("phase")), Duration.ofSeconds(60));

		assertThat(done.get("weights")).isEqualTo(List.of(0, 100));
		assertThat(done.get("step")).isEqualTo(3);
		List<String> summaries = history().stream().map(entry -> (String) entry.get("summary")).toList();
		assertThat(summaries.get(0)).startsWith("shop: rollout step 2 → 3 (100 %): canary 0.0 % failed of ");
		assertThat(summaries.get(1)).startsWith("shop: rollout step 1 → 2 (50 %): canary 0.0 % failed of ");
		assertThat(summaries.get(2)).isEqualTo("shop: rollout of v2 starts at step 1 (10 %)");
		int canaryHits = canary.hits();
		for (int user = 0; user < 20; user++) {
			assertThat(ingress.get("/shop/done", Map.of(USER_HEADER, "u" + user)).body()).isEqualTo("v2");
		}
		assertThat(canary.hits()).isEqualTo(canaryHits + 20);
	}

	/**
	 * {@code promoteToBaseline}: at 100 % the route becomes a plain route to the canary, stored as
	 * a version whose line says so; the rollout is over (its view answers 404, its timeline ends
	 * with the promotion) and every client, sticky or not, reaches the new baseline only.
	 */
	@Test
	void aHealthyCanaryWithPromoteToBaselineBecomesTheRoutesOnlyBackendAsAVersion() {
		TestUpstream baseline = start("v1");
		TestUpstream canary = start("v2");
		create(baseline, canary, RolloutRoutes.shop(List.of(50.0, 100.0), Map.of("promoteToBaseline", true)));

		drive(() -> editor.get("/api/routes/shop").json(), route -> ((List<?>) route.get("backends")).size() == 1,
				Duration.ofSeconds(30));

		AdminClient.Answer stored = editor.get("/api/routes/shop");
		assertThat(stored.json().get("backends")).isEqualTo(List.of(Map.of("upstream", "v2", "weight", 100)));
		assertThat(stored.json().get("canary")).isEqualTo(Map.of("stickyOn", "header:" + USER_HEADER));
		assertThat(stored.json()).doesNotContainKey("rolloutState");
		Map<String, Object> promotion = history().get(0);
		assertThat(promotion.get("author")).isEqualTo("rollout");
		assertThat(promotion.get("version")).isEqualTo((int) stored.version());
		assertThat((String) promotion.get("summary")).startsWith("shop: rollout step 1 → 2 (100 %): canary 0.0 % failed of ")
			.endsWith(", done: v2 is the baseline, v1 is no longer a backend of the route");
		assertThat(editor.get("/api/routes/shop/rollout").status()).isEqualTo(404);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> moves = (List<Map<String, Object>>) editor.get("/api/routes/shop/rollout/timeline")
			.json().get("timeline");
		// newest first, and the route's earlier rollouts (other tests' "shop") after this one's start
		List<Object> kinds = moves.stream().map(move -> move.get("kind")).toList();
		assertThat(kinds.subList(0, kinds.indexOf("start") + 1)).containsExactly("done", "start");

		int baselineHits = baseline.hits();
		int canaryHits = canary.hits();
		for (int user = 0; user < 50; user++) {
			assertThat(ingress.get("/shop/promoted", Map.of(USER_HEADER, "u" + user)).body()).isEqualTo("v2");
			assertThat(ingress.get("/shop/promoted").body()).isEqualTo("v2");
		}
		assertThat(canary.hits()).isEqualTo(canaryHits + 100);
		assertThat(baseline.hits()).as("requests the old baseline received after the promotion").isEqualTo(baselineHits);
	}

	/** The first 100 sticky users that the canary answers now. */
	private Set<String> onCanary() {
		Set<String> users = new TreeSet<>();
		for (int user = 0; user < 100; user++) {
			if ("v2".equals(ingress.get("/shop/probe", Map.of(USER_HEADER, "u" + user)).body())) {
				users.add("u" + user);
			}
		}
		return users;
	}

	@Test
	void pauseResumePromoteAndAbortEachStoreAVersionNamingTheOperator() {
		TestUpstream baseline = start("v1");
		TestUpstream canary = start("v2");
		// steps too long to end by themselves during the test: only the operator moves this rollout
		create(baseline, canary, RolloutRoutes.shop(List.of(5.0, 25.0, 100.0), Map.of("stepDuration", "1h", "maxStepDuration", "2h")));
		drive(at("RUNNING", 1), Duration.ofSeconds(30));
		List<Long> versions = new ArrayList<>();

		versions.add(act("pause"));
		assertThat(rollout()).containsEntry("phase", "PAUSED").containsEntry("step", 1).containsEntry("weights", List.of(95, 5));
		assertThat(editor.post("/api/routes/shop/rollout/pause", null, null).status()).isEqualTo(409);

		versions.add(act("resume"));
		assertThat(rollout()).containsEntry("phase", "RUNNING").containsEntry("step", 1);

		versions.add(act("promote"));
		assertThat(rollout()).containsEntry("phase", "RUNNING").containsEntry("step", 2).containsEntry("weights", List.of(75, 25));

		versions.add(act("abort"));
		assertThat(rollout()).containsEntry("phase", "ABORTED").containsEntry("weights", List.of(100, 0));
		int canaryHits = canary.hits();
		for (int user = 0; user < 50; user++) {
			assertThat(ingress.get("/shop/aborted", Map.of(USER_HEADER, "u" + user)).body()).isEqualTo("v1");
		}
		assertThat(canary.hits()).isEqualTo(canaryHits);

		versions.add(act("resume"));
		assertThat(rollout()).containsEntry("phase", "RUNNING").containsEntry("step", 1).containsEntry("weights", List.of(95, 5));

		assertThat(versions).isSorted().doesNotHaveDuplicates();
		List<String> summaries = history().stream().limit(5).map(entry -> (String) entry.get("summary")).toList();
		assertThat(summaries).containsExactly("shop: rollout of v2 starts at step 1 (5 %) again, resumed by " + EDITOR,
				"shop: rollout aborted by " + EDITOR + " at step 2 (25 %)",
				"shop: rollout step 1 → 2 (25 %) by " + EDITOR,
				"shop: rollout resumed by " + EDITOR + " at step 1 (5 %)",
				"shop: rollout paused by " + EDITOR + " at step 1 (5 %)");
		assertThat(editor.post("/api/routes/shop/rollout/jump", null, null).status()).isEqualTo(404);
		assertThat(viewer().post("/api/routes/shop/rollout/pause", null, null).status()).isEqualTo(403);
	}

	private long act(String action) {
		AdminClient.Answer answer = editor.post("/api/routes/shop/rollout/" + action, null, null);
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.json().get("applied")).isEqualTo(true);
		return answer.version();
	}

	@Test
	void aRolloutNeedsExactlyABaselineAndACanary() {
		TestUpstream baseline = start("v1");
		TestUpstream canary = start("v2");
		create(baseline, canary, route("plain", "/plain/**", Map.of("v1", 1)));
		Map<String, Object> three = new LinkedHashMap<>(RolloutRoutes.shop(List.of(50.0, 100.0), Map.of()));
		three.put("backends", List.of(Map.of("upstream", "v1"), Map.of("upstream", "v2"), Map.of("status", 503)));

		AdminClient.Answer refused = editor.post("/api/routes", three, null);

		assertThat(refused.status()).as(refused.body()).isEqualTo(400);
		assertThat(refused.body()).contains("\"path\":\"routes[shop].canary.rollout\"",
				"canary.rollout: given with 3 backends (expected: exactly two backends of two upstreams, the baseline "
						+ "first, the canary second)");
		assertThat(editor.get("/api/routes/plain/rollout").status()).isEqualTo(404);
	}

}
