package org.calql.env;

/**
 * An optional capability of an {@link Environment}: starting an episode from a given state, e.g. a state of an
 * offline dataset, so that a reference policy's return can be measured by rollouts from the states the data visits
 * ({@code org.calql.reference.RolloutEstimator}). Environments that cannot restore a state simply do not implement it.
 */
public interface ResettableToState extends Environment {
    /**
     * Starts a new episode in the state whose observation is {@code observation} (raw, as the environment emits
     * it); the episode's other randomness comes from {@code seed}. Afterwards {@link #step} continues from that
     * state with a fresh step count.
     *
     * @return the first observation (a fresh array; equal to {@code observation} up to the state's rounding)
     * @throws IllegalArgumentException if the observation has the wrong length, is not finite, or names no state
     *                                  of the environment
     */
    double[] resetTo(double[] observation, long seed);
}
