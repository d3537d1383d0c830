package org.calql.spi;

import java.util.Arrays;
import java.util.Locale;

/**
 * The shape of a fully connected network: linear layers {@code y = x·Wᵀ + b} (weight {@code [out, in]},
 * the PyTorch {@code Linear} layout), and after every hidden layer an optional LayerNorm followed by an
 * {@link Activation}; nothing after the last layer. Hidden layer {@code l} computes, per row,
 * <pre>
 * z = x·W_lᵀ + b_l
 * u = layerNorm ? γ_l ⊙ (z − mean(z)) / sqrt(var(z) + ε) + β_l : z
 * a = activation(u)
 * </pre>
 * where {@code mean} and {@code var} are over the row's {@code hidden[l]} units and {@code var} is biased
 * (divides by the width), as {@code torch.nn.LayerNorm(hidden[l], eps=ε)} computes it; γ (gain) and β
 * (shift) are learnable, one per hidden unit. This is the Dense → LayerNorm → activation block of
 * RLPD-style critics.
 *
 * <p>Defaults: {@link Activation#RELU}, no LayerNorm, ε = {@value #DEFAULT_LAYER_NORM_EPSILON} (PyTorch's).
 * {@link #of(int, int[], int)} makes the default MLP; {@link #builder(int, int)} chooses the rest.
 *
 * <p><b>Parameter layout</b> (of {@link Network#exportParameters()}, {@link ParameterGradients#export()},
 * the moments of {@link AdamState}, {@link #checkParameterLayout} and {@link #parameterCount()}): a list of
 * {@link #parameterArrayCount()} arrays,
 * <ul>
 *   <li>without LayerNorm {@code [w0, b0, w1, b1, …, w_L, b_L]} — exactly the layout of earlier releases,
 *       which checkpoints depend on;</li>
 *   <li>with LayerNorm, for each hidden layer {@code l} {@code [w_l, b_l, gain_l, shift_l]}, then the output
 *       layer's {@code [w_L, b_L]}.</li>
 * </ul>
 * {@code w_l} is row-major {@code [out, in]} ({@code layerOutput(l) × layerInput(l)} values), {@code b_l},
 * {@code gain_l} and {@code shift_l} have {@code layerOutput(l)} values. {@link #weightArray(int)},
 * {@link #biasArray(int)}, {@link #gainArray(int)} and {@link #shiftArray(int)} give the index of each
 * array in that list.
 *
 * <p>Immutable; equal specs describe the same network and parameter layout.
 */
public final class NetworkSpec {
    /** PyTorch's {@code nn.LayerNorm} default ε, the default of {@link Builder#layerNormEpsilon(double)}. */
    public static final double DEFAULT_LAYER_NORM_EPSILON = 1e-5;

    private final int inputDim;
    private final int[] hidden;
    private final int outputDim;
    private final Activation activation;
    private final boolean layerNorm;
    private final double layerNormEpsilon;

    private NetworkSpec(int inputDim, int[] hidden, int outputDim, Activation activation, boolean layerNorm,
                        double layerNormEpsilon) {
        this.inputDim = inputDim;
        this.hidden = hidden;
        this.outputDim = outputDim;
        this.activation = activation;
        this.layerNorm = layerNorm;
        this.layerNormEpsilon = layerNormEpsilon;
    }

    /**
     * A ReLU network {@code inputDim → hidden[0] → … → outputDim} without LayerNorm (the same as
     * {@code builder(inputDim, outputDim).hidden(hidden).build()}).
     *
     * @throws IllegalArgumentException if a size is not positive or {@code hidden} is null
     */
    public static NetworkSpec of(int inputDim, int[] hidden, int outputDim) {
        if (hidden == null) {
            throw new IllegalArgumentException("hidden must not be null (use an empty array for a linear network)");
        }
        return builder(inputDim, outputDim).hidden(hidden).build();
    }

    /**
     * A builder for a network {@code inputDim → … → outputDim}; sizes are checked by {@link Builder#build()}.
     * Starts with no hidden layers, {@link Activation#RELU}, no LayerNorm, ε = {@value #DEFAULT_LAYER_NORM_EPSILON}.
     */
    public static Builder builder(int inputDim, int outputDim) {
        return new Builder(inputDim, outputDim);
    }

    /** A builder that starts from this spec's values. */
    public Builder toBuilder() {
        Builder b = new Builder(inputDim, outputDim).hidden(hidden).activation(activation).layerNorm(layerNorm);
        if (layerNorm) {
            b.layerNormEpsilon(layerNormEpsilon);
        }
        return b;
    }

    /** Builds a {@link NetworkSpec}; every setter may be called again, {@link #build()} validates. */
    public static final class Builder {
        private final int inputDim;
        private final int outputDim;
        private int[] hidden = new int[0];
        private Activation activation = Activation.RELU;
        private boolean layerNorm;
        private double layerNormEpsilon = DEFAULT_LAYER_NORM_EPSILON;
        private boolean epsilonSet;

        private Builder(int inputDim, int outputDim) {
            this.inputDim = inputDim;
            this.outputDim = outputDim;
        }

        /** Hidden layer widths, input side first (default none: a linear network). The array is copied. */
        public Builder hidden(int... widths) {
            if (widths == null) {
                throw new IllegalArgumentException("hidden must not be null (use no widths for a linear network)");
            }
            this.hidden = widths.clone();
            return this;
        }

        /** The nonlinearity after every hidden layer (default {@link Activation#RELU}). */
        public Builder activation(Activation activation) {
            this.activation = activation;
            return this;
        }

        /**
         * Whether each hidden layer's linear map is followed by a LayerNorm with learnable gain and shift
         * before the activation (default {@code false}); needs at least one hidden layer.
         */
        public Builder layerNorm(boolean layerNorm) {
            this.layerNorm = layerNorm;
            return this;
        }

        /**
         * The ε added to the variance in every LayerNorm (default {@value #DEFAULT_LAYER_NORM_EPSILON}, PyTorch's);
         * finite and {@code > 0}, and only with {@link #layerNorm(boolean) layerNorm(true)}.
         */
        public Builder layerNormEpsilon(double epsilon) {
            this.layerNormEpsilon = epsilon;
            this.epsilonSet = true;
            return this;
        }

        /**
         * The spec.
         *
         * @throws IllegalArgumentException naming the field, its value and the rule when a size is not positive,
         *                                  the activation is null, LayerNorm is asked for without hidden layers,
         *                                  ε is not finite and positive, or ε is set without LayerNorm
         */
        public NetworkSpec build() {
            requirePositive("inputDim", inputDim);
            requirePositive("outputDim", outputDim);
            for (int i = 0; i < hidden.length; i++) {
                requirePositive("hidden[" + i + "]", hidden[i]);
            }
            if (activation == null) {
                throw new IllegalArgumentException("activation must not be null (one of "
                        + Arrays.toString(Activation.values()) + "), found null");
            }
            if (layerNorm && hidden.length == 0) {
                throw new IllegalArgumentException("layerNorm needs at least one hidden layer (it follows each hidden"
                        + " layer's linear map), found hidden = []");
            }
            if (!(layerNormEpsilon > 0.0) || Double.isInfinite(layerNormEpsilon)) {
                throw new IllegalArgumentException("layerNormEpsilon must be finite and > 0, found "
                        + layerNormEpsilon);
            }
            if (epsilonSet && !layerNorm) {
                throw new IllegalArgumentException("layerNormEpsilon = " + layerNormEpsilon
                        + " is only used with layerNorm(true), found layerNorm = false");
            }
            return new NetworkSpec(inputDim, hidden.clone(), outputDim, activation, layerNorm,
                    layerNorm ? layerNormEpsilon : DEFAULT_LAYER_NORM_EPSILON);
        }
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

    /** The nonlinearity after every hidden layer (default {@link Activation#RELU}). */
    public Activation activation() {
        return activation;
    }

    /** Whether every hidden layer has a LayerNorm between its linear map and its activation (default false). */
    public boolean layerNorm() {
        return layerNorm;
    }

    /**
     * The LayerNorm ε (default {@value #DEFAULT_LAYER_NORM_EPSILON}); the default when {@link #layerNorm()} is false.
     */
    public double layerNormEpsilon() {
        return layerNormEpsilon;
    }

    /** Whether this is the plain ReLU MLP of {@link #of(int, int[], int)}: ReLU and no LayerNorm. */
    public boolean isPlainRelu() {
        return activation == Activation.RELU && !layerNorm;
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

    /** Arrays per hidden layer in the parameter layout: 4 with LayerNorm, else 2. */
    private int hiddenStride() {
        return layerNorm ? 4 : 2;
    }

    /**
     * Number of arrays in the parameter layout: {@code 2·layerCount()}, plus {@code 2·hidden.length} with LayerNorm.
     */
    public int parameterArrayCount() {
        return hidden.length * hiddenStride() + 2;
    }

    /** Index of linear layer {@code layer}'s weight {@code w_l} in the parameter layout. */
    public int weightArray(int layer) {
        checkLayer(layer);
        return layer * hiddenStride();
    }

    /** Index of linear layer {@code layer}'s bias {@code b_l} in the parameter layout. */
    public int biasArray(int layer) {
        return weightArray(layer) + 1;
    }

    /**
     * Index of hidden layer {@code layer}'s LayerNorm gain γ in the parameter layout.
     *
     * @throws IllegalArgumentException without LayerNorm, or if {@code layer} is not a hidden layer
     */
    public int gainArray(int layer) {
        checkHiddenLayerWithNorm(layer);
        return layer * 4 + 2;
    }

    /**
     * Index of hidden layer {@code layer}'s LayerNorm shift β in the parameter layout.
     *
     * @throws IllegalArgumentException without LayerNorm, or if {@code layer} is not a hidden layer
     */
    public int shiftArray(int layer) {
        return gainArray(layer) + 1;
    }

    /** Number of values of array {@code index} of the parameter layout. */
    public int parameterArrayLength(int index) {
        if (index < 0 || index >= parameterArrayCount()) {
            throw new IllegalArgumentException("index must be in [0, " + parameterArrayCount() + "), found " + index);
        }
        int layer = index / hiddenStride();
        int kind = index % hiddenStride();
        return kind == 0 ? layerInput(layer) * layerOutput(layer) : layerOutput(layer);
    }

    /** What array {@code index} of the parameter layout holds, e.g. {@code "layer 1 weight"} or {@code "layer 0 LayerNorm gain"}. */
    public String parameterArrayName(int index) {
        parameterArrayLength(index);
        int layer = index / hiddenStride();
        return "layer " + layer + switch (index % hiddenStride()) {
            case 0 -> " weight";
            case 1 -> " bias";
            case 2 -> " LayerNorm gain";
            default -> " LayerNorm shift";
        };
    }

    /** Zeroed arrays in the parameter layout. */
    public double[][] zeroParameters() {
        double[][] arrays = new double[parameterArrayCount()][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = new double[parameterArrayLength(i)];
        }
        return arrays;
    }

    private void checkLayer(int layer) {
        if (layer < 0 || layer > hidden.length) {
            throw new IllegalArgumentException("layer must be in [0, " + layerCount() + "), found " + layer);
        }
    }

    private void checkHiddenLayerWithNorm(int layer) {
        if (!layerNorm) {
            throw new IllegalArgumentException("this spec has no LayerNorm, so no gain or shift arrays: " + this);
        }
        if (layer < 0 || layer >= hidden.length) {
            throw new IllegalArgumentException("hidden layer must be in [0, " + hidden.length + "), found " + layer);
        }
    }

    /**
     * Total number of scalar parameters: weights and biases, plus LayerNorm gains and shifts
     * ({@code 2·hidden[l]} per hidden layer) when the spec has LayerNorm.
     */
    public long parameterCount() {
        long n = 0;
        for (int l = 0; l < layerCount(); l++) {
            n += (long) layerInput(l) * layerOutput(l) + layerOutput(l);
            if (layerNorm && l < hidden.length) {
                n += 2L * layerOutput(l);
            }
        }
        return n;
    }

    /**
     * Checks that {@code params} has this spec's parameter layout (see the class documentation).
     *
     * @throws IllegalArgumentException naming the first array whose length is wrong, or the array count
     */
    public void checkParameterLayout(double[][] params) {
        int count = parameterArrayCount();
        if (params == null || params.length != count) {
            throw new IllegalArgumentException("parameters must hold " + count + " arrays (weight and bias per layer"
                    + (layerNorm ? ", then LayerNorm gain and shift per hidden layer: [w, b, gain, shift] per hidden"
                    + " layer, [w, b] for the output layer" : "") + "), found "
                    + (params == null ? "null" : params.length));
        }
        for (int i = 0; i < count; i++) {
            int length = parameterArrayLength(i);
            if (params[i] == null || params[i].length != length) {
                int layer = i / hiddenStride();
                String shape = i % hiddenStride() == 0 ? " [" + layerOutput(layer) + "x" + layerInput(layer) + "]" : "";
                throw new IllegalArgumentException("parameters[" + i + "] (" + parameterArrayName(i) + ") must have "
                        + length + " values" + shape + ", found " + (params[i] == null ? "null" : params[i].length));
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec s && s.inputDim == inputDim && s.outputDim == outputDim
                && Arrays.equals(s.hidden, hidden) && s.activation == activation && s.layerNorm == layerNorm
                && Double.compare(s.layerNormEpsilon, layerNormEpsilon) == 0;
    }

    @Override
    public int hashCode() {
        int h = 31 * (31 * inputDim + outputDim) + Arrays.hashCode(hidden);
        h = 31 * h + activation.ordinal();
        h = 31 * h + Boolean.hashCode(layerNorm);
        return 31 * h + Double.hashCode(layerNormEpsilon);
    }

    /** E.g. {@code NetworkSpec37→[256, 256]→1 relu} or {@code NetworkSpec37→[256, 256]→1 relu, LayerNorm(ε=1.0E-5)}. */
    @Override
    public String toString() {
        return "NetworkSpec" + inputDim + "→" + Arrays.toString(hidden) + "→" + outputDim + " "
                + activation.name().toLowerCase(Locale.ROOT)
                + (layerNorm ? ", LayerNorm(ε=" + layerNormEpsilon + ")" : "");
    }
}
