package io.meshgate.gateway.kubernetes;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/** Status conditions as the Gateway API writes them; {@code lastTransitionTime} is set when they are written. */
public final class Conditions {

	private Conditions() {
	}

	public static Condition of(String type, boolean status, String reason, String message, Long generation) {
		return new ConditionBuilder().withType(type)
			.withStatus(status ? "True" : "False")
			.withReason(reason)
			.withMessage(message == null ? "" : message)
			.withObservedGeneration(generation)
			.build();
	}

	/** Equal but for {@code lastTransitionTime}: a write is needed only when this is false. */
	public static boolean same(List<Condition> a, List<Condition> b) {
		List<Condition> left = a == null ? List.of() : a;
		List<Condition> right = b == null ? List.of() : b;
		if (left.size() != right.size()) {
			return false;
		}
		for (int i = 0; i < left.size(); i++) {
			Condition x = left.get(i);
			Condition y = right.get(i);
			if (!Objects.equals(x.getType(), y.getType()) || !Objects.equals(x.getStatus(), y.getStatus())
					|| !Objects.equals(x.getReason(), y.getReason())
					// an empty message may come back from the API server as none
					|| !Objects.toString(x.getMessage(), "").equals(Objects.toString(y.getMessage(), ""))
					|| !Objects.equals(x.getObservedGeneration(), y.getObservedGeneration())) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether two lists of status entries (route parents, policy ancestors) are the same: pairwise
	 * equal references ({@code reference}) and {@link #same} conditions ({@code conditions}).
	 */
	public static <T> boolean sameEntries(List<T> current, List<T> desired, Function<T, Object> reference,
			Function<T, List<Condition>> conditions) {
		if (current.size() != desired.size()) {
			return false;
		}
		for (int i = 0; i < current.size(); i++) {
			if (!Objects.equals(reference.apply(current.get(i)), reference.apply(desired.get(i)))
					|| !same(conditions.apply(current.get(i)), conditions.apply(desired.get(i)))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * {@code next} with each condition's {@code lastTransitionTime} taken from {@code previous}
	 * when its status did not change, else {@code now}.
	 */
	public static List<Condition> stamp(List<Condition> next, List<Condition> previous, String now) {
		List<Condition> before = previous == null ? List.of() : previous;
		return next.stream().map(condition -> {
			String time = before.stream()
				.filter(old -> old.getType().equals(condition.getType()) && old.getStatus().equals(condition.getStatus())
						&& old.getLastTransitionTime() != null)
				.map(Condition::getLastTransitionTime)
				.findFirst()
				.orElse(now);
			return new ConditionBuilder(condition).withLastTransitionTime(time).build();
		}).toList();
	}

}
