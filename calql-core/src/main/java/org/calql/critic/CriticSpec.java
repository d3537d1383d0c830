package org.calql.critic;

import java.util.Arrays;
import java.util.Objects;
import org.calql.spi.Activation;
import org.calql.spi.NetworkSpec;

/**
 * The architecture of every critic of an ensemble, a value a user passes instead of code they fork: hidden
 * widths layer by layer, the activation after each hidden layer, and optionally LayerNorm after each hidden
 * layer's linear map (before the activation), as RLPD-style fine-tuning uses. The input and output widths follow
 * from the {@link CriticLayout} the update rule chooses. Immutable; {@link #mlp(int...)} or {@link #builder()}.
 *
 * <p>Defaults: hidden {@code [256, 256]}, ReLU, no LayerNorm (the reference code's critic); LayerNorm ε
 * {@link NetworkSpec#DEFAULT_LAYER_NORM_EPSILON}. Both backends run every such spec.
 */
public final class CriticSpec {
    private final int[] hidden;
    private final Activation activation;
    private final boolean layerNorm;
    private final double layerNormEpsilon;

    private CriticSpec(Builder b) {
        this.hidden = b.hidden.clone();
        this.activation = b.activation;
        this.layerNorm = b.layerNorm;
        this.layerNormEpsilon = b.layerNormEpsilon;
    }

    /**
     * A fully connected ReLU critic with these hidden widths.
     *
     * @throws IllegalArgumentException if there are no widths or a width is not positive
     */
    public static CriticSpec mlp(int... hidden) {
        return builder().hidden(hidden).build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.hidden = hidden.clone();
        b.activation = activation;
        b.layerNorm = layerNorm;
        b.layerNormEpsilon = layerNormEpsilon;
        return b;
    }

    /** Hidden widths (a copy). */
    public int[] hidden() {
        return hidden.clone();
    }

    /** The activation after each hidden layer. */
    public Activation activation() {
        return activation;
    }

    /** Whether LayerNorm follows each hidden layer's linear map. */
    public boolean layerNorm() {
        return layerNorm;
    }

    /** LayerNorm's ε (meaningful with {@link #layerNorm()}). */
    public double layerNormEpsilon() {
        return layerNormEpsilon;
    }

    /**
     * The network of one critic.
     *
     * @param actionWidth the action's width ({@link CriticLayout#STATE_ACTION}) or the number of actions
     *                    ({@link CriticLayout#STATE_TO_ACTION_VALUES})
     */
    public NetworkSpec networkSpec(CriticLayout layout, int observationDim, int actionWidth) {
        NetworkSpec.Builder b = switch (layout) {
            case STATE_ACTION -> NetworkSpec.builder(observationDim + actionWidth, 1);
            case STATE_TO_ACTION_VALUES -> NetworkSpec.builder(observationDim, actionWidth);
        };
        b.hidden(hidden).activation(activation).layerNorm(layerNorm);
        if (layerNorm) {
            b.layerNormEpsilon(layerNormEpsilon);
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CriticSpec c && Arrays.equals(c.hidden, hidden) && c.activation == activation
                && c.layerNorm == layerNorm && Double.compare(c.layerNormEpsilon, layerNormEpsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(hidden), activation, layerNorm, layerNormEpsilon);
    }

    /** {@code CriticSpec[256, 256]} for the default; activation and LayerNorm appended when they differ. */
    @Override
    public String toString() {
        return "CriticSpec" + Arrays.toString(hidden) + (activation != Activation.RELU ? " " + activation : "")
                + (layerNorm ? " LayerNorm(ε=" + layerNormEpsilon + ")" : "");
    }

    /** Builder of a {@link CriticSpec}; {@link #build()} validates. */
    public static final class Builder {
        private int[] hidden = {256, 256};
        private Activation activation = Activation.RELU;
        private boolean layerNorm;
        private double layerNormEpsilon = NetworkSpec.DEFAULT_LAYER_NORM_EPSILON;

        private Builder() {
        }

        /** Hidden widths, layer by layer (default {@code [256, 256]}). */
        public Builder hidden(int... widths) {
            this.hidden = widths == null ? null : widths.clone();
            return this;
        }

        /** The activation after each hidden layer (default ReLU). */
        public Builder activation(Activation activation) {
            this.activation = activation;
            return this;
        }

        /** LayerNorm after each hidden layer's linear map, before the activation (default off). */
        public Builder layerNorm(boolean layerNorm) {
            this.layerNorm = layerNorm;
            return this;
        }

        /** LayerNorm's ε, finite and positive (default 1e-5, PyTorch's). */
        public Builder layerNormEpsilon(double epsilon) {
            this.layerNormEpsilon = epsilon;
            return this;
        }

        /** @throws IllegalArgumentException naming the field, the value and the rule */
        public CriticSpec build() {
            if (hidden == null || hidden.length == 0) {
                throw new IllegalArgumentException("critic hidden widths must not be empty, found "
                        + Arrays.toString(hidden));
            }
            for (int i = 0; i < hidden.length; i++) {
                if (hidden[i] <= 0) {
                    throw new IllegalArgumentException("critic hidden[" + i + "] must be positive, found "
                            + hidden[i]);
                }
            }
            if (activation == null) {
                throw new IllegalArgumentException("critic activation must not be null");
            }
            if (!(layerNormEpsilon > 0) || Double.isInfinite(layerNormEpsilon)) {
                throw new IllegalArgumentException("critic layerNormEpsilon must be finite and positive, found "
                        + layerNormEpsilon);
            }
            return new CriticSpec(this);
        }
    }
}
