package org.calql.examples.env;

import java.util.SplittableRandom;

/**
 * A policy that makes data: acts in the environment's own action units, may keep state within an
 * episode (a waypoint, a mode) and draws all its randomness from the generator it is handed, so a
 * rollout is reproducible from a seed. Not thread-safe; use one instance per rollout thread.
 */
public interface BehaviourPolicy {

    /**
     * Called once at the start of each episode with the first observation; resets any episode state.
     * The default does nothing.
     */
    default void startEpisode(double[] firstObservation, SplittableRandom rng) {
    }

    /**
     * The action for {@code observation}, in the environment's action units: in a box action space any finite
     * values of the box's dimension (the rollout clips them into the box); in a discrete space one entry holding an
     * index in {@code [0, n)} (the rollout refuses anything else).
     */
    double[] act(double[] observation, SplittableRandom rng);
}
