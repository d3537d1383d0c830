package org.calql.regularizer;

/**
 * What a {@link ConservativeRegularizer} sees besides the Q-values of one critic: the {@link QLayout} of those
 * Q-values, the batch size {@code B}, the reference values {@code V_ref(s)}, the per-entry log-densities of the
 * layout's {@link QLayout.Correction#PER_ENTRY} groups, and, for a layout whose data entry varies by row, each
 * row's data offset. Arrays are preallocated buffers that the update step fills each step.
 *
 * <p>The continuous update uses {@link #PenaltyInputs(int, int, int)} ({@link QLayout#sampledActions}); the
 * discrete one {@link #allActions(int, int)} ({@link QLayout#allActions}).
 */
public final class PenaltyInputs {
    private final QLayout layout;
    private final int batchSize;
    private final int actionDim;
    private final boolean sampled;
    private final double[][] corrections;
    private final double[] referenceValues;
    private final int[] dataIndices;

    /**
     * Zeroed buffers for batches of {@code batchSize} states with {@code samples} sampled actions of width
     * {@code actionDim} each: the continuous {@link QLayout#sampledActions(int, int)} layout.
     */
    public PenaltyInputs(int batchSize, int samples, int actionDim) {
        this(checkedSampled(batchSize, samples, actionDim), batchSize, actionDim);
    }

    private PenaltyInputs(QLayout layout, int batchSize, int actionDim) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, found " + batchSize);
        }
        this.layout = layout;
        this.batchSize = batchSize;
        this.actionDim = actionDim;
        this.sampled = actionDim > 0;
        this.corrections = new double[layout.groupCount()][];
        for (int g = 0; g < corrections.length; g++) {
            QLayout.Group group = layout.group(g);
            corrections[g] = group.correction() == QLayout.Correction.PER_ENTRY
                    ? new double[batchSize * group.count()] : null;
        }
        this.referenceValues = new double[batchSize];
        this.dataIndices = layout.dataPerRow() ? new int[batchSize] : null;
    }

    private static QLayout checkedSampled(int batchSize, int samples, int actionDim) {
        if (batchSize <= 0 || samples <= 0 || actionDim <= 0) {
            throw new IllegalArgumentException("batchSize, samples and actionDim must be positive, found "
                    + batchSize + ", " + samples + ", " + actionDim);
        }
        return QLayout.sampledActions(samples, actionDim);
    }

    /**
     * Zeroed buffers for batches of {@code batchSize} states with {@code numActions} discrete actions: the
     * {@link QLayout#allActions(int)} layout; the caller writes each row's action into {@link #dataIndices()}.
     *
     * @throws IllegalArgumentException if {@code batchSize < 1} or {@code numActions < 2}
     */
    public static PenaltyInputs allActions(int batchSize, int numActions) {
        return new PenaltyInputs(QLayout.allActions(numActions), batchSize, 0);
    }

    /** The layout of the Q-values. */
    public QLayout layout() {
        return layout;
    }

    /** {@code B}. */
    public int batchSize() {
        return batchSize;
    }

    /** Entries per state in the Q-value layout: {@code 1 + 3N} (continuous) or {@code |A|} (discrete). */
    public int stride() {
        return layout.stride();
    }

    /**
     * {@code N}, sampled actions per state and per kind.
     *
     * @throws IllegalStateException unless the layout is {@link QLayout#sampledActions}
     */
    public int samples() {
        requireSampled("samples");
        return layout.group(0).count();
    }

    /**
     * {@code A}, the width of a continuous action.
     *
     * @throws IllegalStateException unless the layout is {@link QLayout#sampledActions}
     */
    public int actionDim() {
        requireSampled("actionDim");
        return actionDim;
    }

    /**
     * {@code [B, N]}: log π of the actions sampled at {@code s'} (evaluated by Q at {@code s}).
     *
     * @throws IllegalStateException unless the layout is {@link QLayout#sampledActions}
     */
    public double[] logProbNext() {
        requireSampled("logProbNext");
        return corrections[1];
    }

    /**
     * {@code [B, N]}: log π of the actions sampled at {@code s}.
     *
     * @throws IllegalStateException unless the layout is {@link QLayout#sampledActions}
     */
    public double[] logProbCurrent() {
        requireSampled("logProbCurrent");
        return corrections[2];
    }

    /**
     * {@code [B, count]}: the log-densities subtracted from group {@code g}'s entries when importance-sampling,
     * or {@code null} for a group that is not {@link QLayout.Correction#PER_ENTRY}.
     */
    public double[] corrections(int g) {
        return corrections[g];
    }

    /** {@code [B]}: {@code V_ref(s)}, the calibration bound. */
    public double[] referenceValues() {
        return referenceValues;
    }

    /**
     * {@code [B]}: each row's data-entry offset within its block (the discrete data action), or {@code null} when
     * the layout's data entry has a fixed offset.
     */
    public int[] dataIndices() {
        return dataIndices;
    }

    /** Offset of row {@code b}'s data entry within its block. */
    public int dataIndex(int b) {
        return dataIndices == null ? layout.dataOffset() : dataIndices[b];
    }

    /**
     * The fraction of group {@code g}'s {@code B·count} Q-values strictly below their state's {@code V_ref(s)}:
     * Cal-QL's bound rate, measured before any calibration.
     */
    public double boundRate(double[] q, int g) {
        int stride = layout.stride();
        int offset = layout.offsets[g];
        int count = layout.counts[g];
        int below = 0;
        for (int b = 0; b < batchSize; b++) {
            int base = b * stride + offset;
            double v = referenceValues[b];
            for (int j = 0; j < count; j++) {
                if (q[base + j] < v) {
                    below++;
                }
            }
        }
        return (double) below / (batchSize * count);
    }

    private void requireSampled(String what) {
        if (!sampled) {
            throw new IllegalStateException(what + " exists only for the sampled-actions layout, not " + layout);
        }
    }
}
