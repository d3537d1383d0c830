package org.calql.data;

import java.util.random.RandomGenerator;

/**
 * The {@link TransitionSampler} of a {@link TransitionStore} — the built-in {@link ReplayBuffer} or a
 * user's own — bound to an optional {@link ObservationNormalizer}: it draws committed transitions with
 * the store's {@link TransitionStore#sample} (for a {@code ReplayBuffer}: uniformly, with replacement,
 * from its finished episodes), giving transformed rewards, terminal flags as dones and Monte-Carlo
 * returns-to-go as reference values. The store must not be written while a batch is drawn.
 */
public final class ReplaySampler implements TransitionSampler {
    private final TransitionStore store;
    private final ObservationNormalizer normalizer;

    /** A sampler that copies observations unchanged. */
    public ReplaySampler(TransitionStore store) {
        this(store, null);
    }

    /**
     * @param store what to draw from
     * @param normalizer applied to observations and next observations, or null for none
     * @throws IllegalArgumentException if the store is null or the normaliser's width differs from the
     *     store's
     */
    public ReplaySampler(TransitionStore store, ObservationNormalizer normalizer) {
        if (store == null) {
            throw new IllegalArgumentException("store must not be null");
        }
        Sampling.checkNormalizer(normalizer, store.observationDim(), "replay store");
        this.store = store;
        this.normalizer = normalizer;
    }

    /** The store drawn from. */
    public TransitionStore store() {
        return store;
    }

    /** The normaliser applied to observations, or null for none. */
    public ObservationNormalizer normalizer() {
        return normalizer;
    }

    /** The store's committed transitions ({@link TransitionStore#size()}). */
    @Override
    public int available() {
        return store.size();
    }

    @Override
    public void sample(TransitionBatch batch, int fromRow, int rows, RandomGenerator random) {
        store.sample(batch, fromRow, rows, random, normalizer);
    }
}
