package org.calql.spi;

import java.util.Arrays;

/**
 * The shape of a fully connected network: {@code y = x·Wᵀ + b} per layer (weight {@code [out, in]},
 * the PyTorch {@code Linear} layout), ReLU between layers, none after the last.
 *
 * <p>Immutable; create with {@link #of(int, int[], int)}.
 */
public final class NetworkSpec {
    private final int inputDim;
    private final int[] hidden;
    private final int outputDim;

    private NetworkSpec(int inputDim, int[] hidden, int outputDim) {
        this.inputDim = inputDim;
        this.hidden = hidden;
        this.outputDim = outputDim;
    }

    /**
     * A network {@code inputDim → hidden[0] → … → outputDim}.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public static NetworkSpec of(int inputDim, int[] hidden, int outputDim) {
        requirePositive("inputDim", inputDim);
        requirePositive("outputDim", outputDim);
        if (hidden == null) {
            throw new IllegalArgumentException("hidden must not be null (use an empty array for a linear network)");
        }
        for (int i = 0; i < hidden.length; i++) {
            requirePositive("hidden[" + i + "]", hidden[i]);
        }
        return new NetworkSpec(inputDim, hidden.clone(), outputDim);
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, found " + value);
        }
    }

    /** Width of an input row. */
    public int inputDim() {
        return inputDim;
    }

    /** Width of an output row. */
    public int outputDim() {
        return outputDim;
    }

    /** Hidden layer widths (a copy). */
    public int[] hidden() {
        return hidden.clone();
    }

    /** Number of linear layers ({@code hidden.length + 1}). */
    public int layerCount() {
        return hidden.length + 1;
    }

    /** Input width of linear layer {@code layer}. */
    public int layerInput(int layer) {
        return layer == 0 ? inputDim : hidden[layer - 1];
    }

    /** Output width of linear layer {@code layer}. */
    public int layerOutput(int layer) {
        return layer == hidden.length ? outputDim : hidden[layer];
    }

    /** Total number of scalar parameters (weights and biases). */
    public long parameterCount() {
        long n = 0;
        for (int l = 0; l < layerCount(); l++) {
            n += (long) layerInput(l) * layerOutput(l) + layerOutput(l);
        }
        return n;
    }

    /**
     * Checks that {@code params} has this spec's layout: {@code [w0, b0, w1, b1, …]} with
     * {@code w_l} row-major {@code [out, in]}.
     *
     * @throws IllegalArgumentException naming the first array whose length is wrong
     */
    public void checkParameterLayout(double[][] params) {
        if (params == null || params.length != 2 * layerCount()) {
            throw new IllegalArgumentException("parameters must hold " + 2 * layerCount()
                    + " arrays (weight and bias per layer), found " + (params == null ? "null" : params.length));
        }
        for (int l = 0; l < layerCount(); l++) {
            int w = layerInput(l) * layerOutput(l);
            if (params[2 * l] == null || params[2 * l].length != w) {
                throw new IllegalArgumentException("layer " + l + " weight must have " + w + " values ["
                        + layerOutput(l) + "x" + layerInput(l) + "], found "
                        + (params[2 * l] == null ? "null" : params[2 * l].length));
            }
            if (params[2 * l + 1] == null || params[2 * l + 1].length != layerOutput(l)) {
                throw new IllegalArgumentException("layer " + l + " bias must have " + layerOutput(l)
                        + " values, found " + (params[2 * l + 1] == null ? "null" : params[2 * l + 1].length));
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec s && s.inputDim == inputDim && s.outputDim == outputDim
                && Arrays.equals(s.hidden, hidden);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * inputDim + outputDim) + Arrays.hashCode(hidden);
    }

    @Override
    public String toString() {
        return "NetworkSpec" + inputDim + "→" + Arrays.toString(hidden) + "→" + outputDim;
    }
}
