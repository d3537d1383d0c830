package org.calql.data;

import java.util.random.RandomGenerator;

/**
 * Draws transitions uniformly, with replacement, from a {@link PreparedDataset}: transformed rewards,
 * terminal flags as dones and returns-to-go as reference values; observations normalised by an
 * optional {@link ObservationNormalizer}. Stateless apart from its references, so it may be shared by
 * threads that each use their own random source and batch.
 */
public final class OfflineSampler implements TransitionSampler {
    private final PreparedDataset data;
    private final ObservationNormalizer normalizer;

    /** A sampler that copies observations unchanged. */
    public OfflineSampler(PreparedDataset data) {
        this(data, null);
    }

    /**
     * @param data what to draw from
     * @param normalizer applied to observations and next observations, or null for none
     * @throws IllegalArgumentException if the normaliser's width differs from the data's
     */
    public OfflineSampler(PreparedDataset data, ObservationNormalizer normalizer) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        Sampling.checkNormalizer(normalizer, data.dataset().observationDim(), "dataset");
        this.data = data;
        this.normalizer = normalizer;
    }

    /** The data drawn from. */
    public PreparedDataset data() {
        return data;
    }

    @Override
    public int available() {
        return data.size();
    }

    @Override
    public void sample(TransitionBatch batch, int fromRow, int rows, RandomGenerator random) {
        OfflineDataset d = data.dataset();
        int obsDim = d.observationDim();
        int actDim = d.actionDim();
        int n = d.size();
        Sampling.checkBatch(batch, fromRow, rows, obsDim, actDim, n, "offline dataset");
        Sampling.drawUniform(batch, fromRow, rows, random, n, d.columns(), data.rewardArray(),
                data.returnsToGoArray(), normalizer);
    }
}
