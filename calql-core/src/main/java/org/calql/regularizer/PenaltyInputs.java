package org.calql.regularizer;

/**
 * What a {@link ConservativeRegularizer} sees besides the Q-values of one critic: the batch size
 * {@code B}, the number of sampled actions per state {@code N}, the action width, the policy's
 * log-probabilities of the sampled actions, and the reference values {@code V_ref(s)}. Arrays are
 * preallocated buffers that the update step fills each step.
 */
public final class PenaltyInputs {
    private final int batchSize;
    private final int samples;
    private final int actionDim;
    private final double[] logProbNext;
    private final double[] logProbCurrent;
    private final double[] referenceValues;

    /** Zeroed buffers for batches of {@code batchSize} states with {@code samples} actions each. */
    public PenaltyInputs(int batchSize, int samples, int actionDim) {
        if (batchSize <= 0 || samples <= 0 || actionDim <= 0) {
            throw new IllegalArgumentException("batchSize, samples and actionDim must be positive, found "
                    + batchSize + ", " + samples + ", " + actionDim);
        }
        this.batchSize = batchSize;
        this.samples = samples;
        this.actionDim = actionDim;
        this.logProbNext = new double[batchSize * samples];
        this.logProbCurrent = new double[batchSize * samples];
        this.referenceValues = new double[batchSize];
    }

    /** {@code B}. */
    public int batchSize() {
        return batchSize;
    }

    /** {@code N}, sampled actions per state and per kind. */
    public int samples() {
        return samples;
    }

    /** {@code A}. */
    public int actionDim() {
        return actionDim;
    }

    /** Entries per state in the Q-value layout: {@code 1 + 3N}. */
    public int stride() {
        return 1 + 3 * samples;
    }

    /** {@code [B, N]}: log π of the actions sampled at {@code s'} (evaluated by Q at {@code s}). */
    public double[] logProbNext() {
        return logProbNext;
    }

    /** {@code [B, N]}: log π of the actions sampled at {@code s}. */
    public double[] logProbCurrent() {
        return logProbCurrent;
    }

    /** {@code [B]}: {@code V_ref(s)}, the calibration bound. */
    public double[] referenceValues() {
        return referenceValues;
    }
}
