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
        if (normalizer != null && normalizer.observationDim() != data.dataset().observationDim()) {
            throw new IllegalArgumentException("normalizer observationDim " + normalizer.observationDim()
                    + " must equal the dataset's " + data.dataset().observationDim());
        }
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
        Sampling.drawUniform(batch, fromRow, rows, random, n, obsDim, actDim, d.observationArray(),
                d.nextObservationArray(), d.actionArray(), data.rewardArray(), d.terminalArray(),
                data.returnsToGoArray(), normalizer);
    }
}
