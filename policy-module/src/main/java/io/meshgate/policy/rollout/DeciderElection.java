package io.meshgate.policy.rollout;

/**
 * Whether this replica decides rollouts: exactly one replica looks at the gates and writes the
 * versions that move weights. With the file store the one instance always does; with several
 * replicas one is elected (a Kubernetes Lease) and the others only count.
 */
@FunctionalInterface
public interface DeciderElection {

	/** The one instance of a file store: always the decider. */
	DeciderElection ALWAYS = () -> true;

	boolean isDecider();

}
