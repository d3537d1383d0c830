package org.calql.policy;

/**
 * Actions a {@link Policy} sampled, {@code samplesPerRow()} per observation, with their log-probabilities and
 * whatever the policy needs to chain gradients back through them. Created by {@link Policy#newSamples}; not
 * thread-safe.
 */
public interface PolicySamples {
    /** Actions drawn for each observation. */
    int samplesPerRow();

    /** Observations of the last sampling. */
    int rows();

    /** {@code [rows, samplesPerRow, actionDim]}: the sampled actions. */
    double[] actions();

    /** {@code [rows, samplesPerRow]}: {@code log π(a | s)} of each sampled action. */
    double[] logProbs();

    /**
     * Checks a placement of {@code rows} blocks of {@code block} values at {@code offset + r·rowStride} in
     * {@code target} (see {@link Policy#sampleInto}).
     *
     * @throws IllegalArgumentException naming the value that does not fit
     */
    static void checkPlacement(int rows, int block, double[] target, int offset, int rowStride) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be non-negative, found " + offset);
        }
        if (rowStride < block) {
            throw new IllegalArgumentException("rowStride must be at least samplesPerRow × actionDim = " + block
                    + ", found " + rowStride);
        }
        long end = rows == 0 ? 0 : offset + (long) (rows - 1) * rowStride + block;
        if (target == null || target.length < end) {
            throw new IllegalArgumentException("target must hold at least " + end + " values, found "
                    + (target == null ? "null" : target.length));
        }
    }
}
