package io.meshgate.policy.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/**
 * A {@link RandomGenerator} whose {@code nextInt(bound)} answers the given values in turn, each
 * checked against its bound, for unit tests of one decision at a time. Any other draw fails.
 */
public final class ScriptedRandom implements RandomGenerator {

	private final Deque<Integer> values = new ArrayDeque<>();

	private ScriptedRandom(int... values) {
		for (int value : values) {
			this.values.add(value);
		}
	}

	public static ScriptedRandom ints(int... values) {
		return new ScriptedRandom(values);
	}

	@Override
	public int nextInt(int bound) {
		Integer value = values.poll();
		if (value == null || value < 0 || value >= bound) {
			throw new AssertionError("draw of nextInt(" + bound + "): scripted " + value);
		}
		return value;
	}

	@Override
	public long nextLong() {
		throw new UnsupportedOperationException("only nextInt(bound) is scripted");
	}

}
