package io.meshgate.policy.route;

/**
 * A part of the running gateway that takes its share of a configuration in two steps, so that a
 * configuration is applied whole or not at all: {@link #prepare} does what may fail (binding a
 * port) and changes nothing in force; the returned step's {@code commit} switches, {@code abort}
 * undoes the preparation. {@link MeshRouting} prepares first and commits with the routes.
 */
public interface ConfigStage {

	/** Throws {@link IllegalArgumentException} naming the field when {@code config} cannot be taken. */
	Prepared prepare(MeshConfig config);

	interface Prepared {

		void commit();

		void abort();

	}

}
