package org.calql.data;

import java.util.random.RandomGenerator;

/**
 * Fills rows of a preallocated {@link TransitionBatch} with transitions drawn from some store, using an
 * injected {@link RandomGenerator} (e.g. {@link java.util.SplittableRandom} or a checkpointable
 * {@link org.calql.random.Rng}); the same seed gives the same batch. Implementations allocate
 * nothing per call.
 */
public interface TransitionSampler {

    /** Transitions currently available to draw from. */
    int available();

    /**
     * Fills rows {@code [fromRow, fromRow + rows)} of {@code batch}: observations and next observations
     * (normalised if the sampler has a normaliser), actions, transformed rewards, done flags
     * ({@code 1} = terminal) and returns-to-go.
     *
     * @throws IllegalArgumentException if the batch's dimensions differ from the data's or the row range
     *     does not fit
     * @throws IllegalStateException if rows are requested and no transition is available
     */
    void sample(TransitionBatch batch, int fromRow, int rows, RandomGenerator random);

    /** Fills every row of {@code batch}. */
    default void sample(TransitionBatch batch, RandomGenerator random) {
        sample(batch, 0, batch.size(), random);
    }
}
