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
        int obsDim = buffer.observationDim();
        int actDim = buffer.actionDim();
        int n = buffer.size();
        Sampling.checkBatch(batch, fromRow, rows, obsDim, actDim, n, "replay buffer");
        double[] mean = normalizer == null ? null : normalizer.meanOrNull();
        double[] inverseStd = normalizer == null ? null : normalizer.inverseStdArray();
        float[] obs = buffer.observationArray();
        float[] next = buffer.nextObservationArray();
        float[] act = buffer.actionArray();
        float[] rew = buffer.rewardArray();
        boolean[] term = buffer.terminalArray();
        double[] rtg = buffer.returnsToGoArray();
        double[] bObs = batch.observations();
        double[] bNext = batch.nextObservations();
        double[] bAct = batch.actions();
        double[] bRew = batch.rewards();
        double[] bDone = batch.dones();
        double[] bRef = batch.returnsToGo();
        int end = fromRow + rows;
        for (int row = fromRow; row < end; row++) {
            int t = random.nextInt(n);
            Sampling.copyRow(obs, t, bObs, row, obsDim, mean, inverseStd);
            Sampling.copyRow(next, t, bNext, row, obsDim, mean, inverseStd);
            Sampling.copyRow(act, t, bAct, row, actDim, null, null);
            bRew[row] = rew[t];
            bDone[row] = term[t] ? 1.0 : 0.0;
            bRef[row] = rtg[t];
        }
    }
}
