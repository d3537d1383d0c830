package org.calql.nn;

import org.calql.spi.Workspace;

/**
 * Buffers of one {@link DenseNetwork} for passes of at most {@link #maxRows()} rows, allocated once:
 * a copy of the last input (head part, then tail part), the activations of every hidden layer (after
 * the nonlinearity), for any spec other than plain ReLU the pre-activations (the nonlinearity's input) and,
 * with LayerNorm, the normalised values and each row's {@code 1/sqrt(var + ε)}; a buffer of one row per group (the head's first-layer term in forward, the group sums of
 * the upstream gradient in backward) and two gradient buffers for backward.
 */
final class DenseWorkspace implements Workspace {
    final DenseNetwork owner;
    private final int maxRows;
    final double[] input;
    final double[][] activations;
    /** Per hidden layer, the nonlinearity's input {@code [rows, width]}; null for plain ReLU. */
    final double[][] preActivations;
    /** Per hidden layer, LayerNorm's {@code x̂ = (z − mean)/sqrt(var + ε)} {@code [rows, width]}; null without LayerNorm. */
    final double[][] normalized;
    /** Per hidden layer, each row's {@code 1/sqrt(var + ε)}; null without LayerNorm. */
    final double[][] inverseStd;
    final double[] groupBuffer;
    final double[] deltaA;
    final double[] deltaB;

    /** Whether a forward pass has filled the buffers (backward needs one). */
    boolean valid;
    int rows;
    int groups;
    int groupSize;
    int tailDim;

    DenseWorkspace(DenseNetwork owner, int maxRows) {
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must not be negative, found " + maxRows);
        }
        this.owner = owner;
        this.maxRows = maxRows;
        int layers = owner.layers;
        input = new double[size("input", maxRows, owner.in[0])];
        activations = new double[layers - 1][];
        boolean layerNorm = owner.spec().layerNorm();
        preActivations = owner.plainRelu ? null : new double[layers - 1][];
        normalized = layerNorm ? new double[layers - 1][] : null;
        inverseStd = layerNorm ? new double[layers - 1][] : null;
        int widest = 0;
        for (int l = 0; l < layers - 1; l++) {
            activations[l] = new double[size("activations", maxRows, owner.out[l])];
            if (preActivations != null) {
                preActivations[l] = new double[activations[l].length];
            }
            if (layerNorm) {
                normalized[l] = new double[activations[l].length];
                inverseStd[l] = new double[maxRows];
            }
            widest = Math.max(widest, owner.out[l]);
        }
        // with groupSize >= 2 there are at most maxRows / 2 groups; with groupSize 1 the buffer is not used
        groupBuffer = new double[size("group buffer", maxRows / 2, owner.out[0])];
        deltaA = new double[size("gradient buffer", maxRows, widest)];
        deltaB = new double[deltaA.length];
    }

    private static int size(String what, int rows, int width) {
        long n = (long) rows * width;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxRows = " + rows + " is too large: the " + what + " of "
                    + rows + " x " + width + " values exceeds a Java array");
        }
        return (int) n;
    }

    @Override
    public int maxRows() {
        return maxRows;
    }

    /** Activations (after the nonlinearity) of hidden layer {@code layer} from the last forward pass ({@code [rows, width]}). */
    double[] activations(int layer) {
        return activations[layer];
    }

    @Override
    public String toString() {
        return "DenseWorkspace[maxRows=" + maxRows + ", " + owner.spec() + "]";
    }
}
