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
     * The action for {@code observation}, in the environment's action units (the environment clips
     * it into its action box).
     */
    double[] act(double[] observation, SplittableRandom rng);
}
