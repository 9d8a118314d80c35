package io.meshgate.policy.testing;

import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * A seeded {@link RandomGenerator} for tests, in place of the gateway's per-thread generator
 * ({@link SeededRandomAutoConfiguration} puts one in every test application context). Each draw
 * is one synchronized call on one {@link Random}, so the requests of a test draw the same values
 * in the same order of calls whichever event loop runs them: a test that sends N requests, each
 * drawing once, sees exactly the outcomes of the seed's first N draws, in whatever order the
 * requests run. A test that counts draws calls {@link #reseed} first, because earlier tests in the
 * same context drew from the same generator.
 */
public final class SeededRandom implements RandomGenerator {

	/** The seed of every test context's generator, and the one tests reseed with unless they need another. */
	public static final long SEED = 23;

	private Random random;

	private long draws;

	public SeededRandom(long seed) {
		this.random = new Random(seed);
	}

	/** Starts the sequence of draws again from {@code seed}, and the count of draws from 0. */
	public synchronized void reseed(long seed) {
		random = new Random(seed);
		draws = 0;
	}

	/** The draws since the last {@link #reseed} (or construction). */
	public synchronized long draws() {
		return draws;
	}

	@Override
	public synchronized long nextLong() {
		draws++;
		return random.nextLong();
	}

	@Override
	public synchronized long nextLong(long bound) {
		draws++;
		return random.nextLong(bound);
	}

	@Override
	public synchronized long nextLong(long origin, long bound) {
		draws++;
		return random.nextLong(origin, bound);
	}

	@Override
	public synchronized int nextInt() {
		draws++;
		return random.nextInt();
	}

	@Override
	public synchronized int nextInt(int bound) {
		draws++;
		return random.nextInt(bound);
	}

	@Override
	public synchronized int nextInt(int origin, int bound) {
		draws++;
		return random.nextInt(origin, bound);
	}

	@Override
	public synchronized double nextDouble() {
		draws++;
		return random.nextDouble();
	}

	@Override
	public synchronized double nextDouble(double bound) {
		draws++;
		return random.nextDouble(bound);
	}

	@Override
	public synchronized double nextDouble(double origin, double bound) {
		draws++;
		return random.nextDouble(origin, bound);
	}

	@Override
	public synchronized float nextFloat() {
		draws++;
		return random.nextFloat();
	}

	@Override
	public synchronized boolean nextBoolean() {
		draws++;
		return random.nextBoolean();
	}

	@Override
	public synchronized void nextBytes(byte[] bytes) {
		draws++;
		random.nextBytes(bytes);
	}

	@Override
	public synchronized double nextGaussian() {
		draws++;
		return random.nextGaussian();
	}

}
