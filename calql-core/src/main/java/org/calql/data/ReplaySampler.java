package org.calql.data;

import java.util.random.RandomGenerator;

/**
 * Draws transitions uniformly, with replacement, from the finished episodes in a {@link ReplayBuffer}:
 * transformed rewards, terminal flags as dones and Monte-Carlo returns-to-go as reference values;
 * observations normalised by an optional {@link ObservationNormalizer}. The buffer must not be written
 * while a batch is drawn.
 */
public final class ReplaySampler implements TransitionSampler {
    private final ReplayBuffer buffer;
    private final ObservationNormalizer normalizer;

    /** A sampler that copies observations unchanged. */
    public ReplaySampler(ReplayBuffer buffer) {
        this(buffer, null);
    }

    /**
     * @param buffer what to draw from
     * @param normalizer applied to observations and next observations, or null for none
     * @throws IllegalArgumentException if the normaliser's width differs from the buffer's
     */
    public ReplaySampler(ReplayBuffer buffer, ObservationNormalizer normalizer) {
        if (buffer == null) {
            throw new IllegalArgumentException("buffer must not be null");
        }
        if (normalizer != null && normalizer.observationDim() != buffer.observationDim()) {
            throw new IllegalArgumentException("normalizer observationDim " + normalizer.observationDim()
                    + " must equal the replay buffer's " + buffer.observationDim());
        }
        this.buffer = buffer;
        this.normalizer = normalizer;
    }

    /** The buffer drawn from. */
    public ReplayBuffer buffer() {
        return buffer;
    }

    @Override
    public int available() {
        return buffer.size();
    }

    @Override
    public void sample(TransitionBatch batch, int fromRow, int rows, RandomGenerator random) {
        buffer.sample(batch, fromRow, rows, random, normalizer);
    }
}
