package org.calql.data;

/**
 * A batch of transitions in preallocated row-major arrays, filled in place by samplers so that an
 * update allocates nothing: observations and next observations {@code [size, observationDim]},
 * actions {@code [size, actionDim]}, and per row the reward, the done flag (1 = terminal, 0 =
 * bootstrap) and the Monte-Carlo return-to-go (the default reference value {@code V_ref}).
 *
 * <p>The arrays are exposed, not copied: this is a buffer, not a value.
 */
public final class TransitionBatch {
    private final int size;
    private final int observationDim;
    private final int actionDim;
    private final double[] observations;
    private final double[] actions;
    private final double[] rewards;
    private final double[] nextObservations;
    private final double[] dones;
    private final double[] returnsToGo;

    /**
     * An all-zero batch.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public TransitionBatch(int size, int observationDim, int actionDim) {
        if (size <= 0 || observationDim <= 0 || actionDim <= 0) {
            throw new IllegalArgumentException("batch size, observationDim and actionDim must be positive, found "
                    + size + ", " + observationDim + ", " + actionDim);
        }
        this.size = size;
        this.observationDim = observationDim;
        this.actionDim = actionDim;
        this.observations = new double[size * observationDim];
        this.actions = new double[size * actionDim];
        this.rewards = new double[size];
        this.nextObservations = new double[size * observationDim];
        this.dones = new double[size];
        this.returnsToGo = new double[size];
    }

    /** Rows in the batch. */
    public int size() {
        return size;
    }

    /** Width of an observation. */
    public int observationDim() {
        return observationDim;
    }

    /** Width of an action. */
    public int actionDim() {
        return actionDim;
    }

    /** {@code [size, observationDim]}, row-major. */
    public double[] observations() {
        return observations;
    }

    /** {@code [size, actionDim]}, row-major. */
    public double[] actions() {
        return actions;
    }

    /** {@code [size]}: rewards after any reward transform. */
    public double[] rewards() {
        return rewards;
    }

    /** {@code [size, observationDim]}, row-major. */
    public double[] nextObservations() {
        return nextObservations;
    }

    /** {@code [size]}: 1 where the transition ended in a terminal state, else 0. */
    public double[] dones() {
        return dones;
    }

    /** {@code [size]}: the Monte-Carlo return-to-go of each transition (the default {@code V_ref(s)}). */
    public double[] returnsToGo() {
        return returnsToGo;
    }

    /**
     * Checks every value is finite and every done flag is 0 or 1.
     *
     * @throws IllegalArgumentException naming the array, the row and the value
     */
    public void validate() {
        checkFinite("observations", observations, observationDim);
        checkFinite("actions", actions, actionDim);
        checkFinite("rewards", rewards, 1);
        checkFinite("nextObservations", nextObservations, observationDim);
        checkFinite("returnsToGo", returnsToGo, 1);
        for (int i = 0; i < size; i++) {
            if (dones[i] != 0.0 && dones[i] != 1.0) {
                throw new IllegalArgumentException("dones[" + i + "] must be 0 or 1, found " + dones[i]);
            }
        }
    }

    private static void checkFinite(String field, double[] values, int width) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("batch " + field + " row " + (i / width)
                        + (width > 1 ? " column " + (i % width) : "") + " must be finite, found " + values[i]);
            }
        }
    }
}
