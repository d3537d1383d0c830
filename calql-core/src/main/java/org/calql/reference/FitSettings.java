package org.calql.reference;

import java.util.Arrays;
import org.calql.spi.Activation;

/**
 * How the networks of this package are fitted: fitted Q evaluation ({@link FittedQEvaluation}) and value regression
 * ({@link FittedValue}). Immutable; {@link #defaults()} or {@link #builder()}.
 *
 * <p>Defaults, after d3rlpy's {@code FQEConfig} where it has one: hidden {@code [256, 256]} ReLU, 10 000 updates of
 * batches of 256 drawn uniformly with replacement, Adam with learning rate {@code 1e-4} (d3rlpy's), the target
 * network copied every 100 updates (d3rlpy's {@code target_update_interval}), 10 sampled actions for
 * {@code V^μ(s) = E_{a~μ}Q^μ(s, a)} of a stochastic μ (1 for a deterministic one), progress every 500 updates,
 * seed 0.
 */
public final class FitSettings {
    private final int[] hidden;
    private final Activation activation;
    private final int steps;
    private final int batchSize;
    private final double learningRate;
    private final int targetUpdatePeriod;
    private final int valueSamples;
    private final int progressInterval;
    private final long seed;

    private FitSettings(Builder b) {
        hidden = b.hidden.clone();
        activation = b.activation;
        steps = b.steps;
        batchSize = b.batchSize;
        learningRate = b.learningRate;
        targetUpdatePeriod = b.targetUpdatePeriod;
        valueSamples = b.valueSamples;
        progressInterval = b.progressInterval;
        seed = b.seed;
    }

    /** The defaults. */
    public static FitSettings defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.hidden = hidden.clone();
        b.activation = activation;
        b.steps = steps;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.targetUpdatePeriod = targetUpdatePeriod;
        b.valueSamples = valueSamples;
        b.progressInterval = progressInterval;
        b.seed = seed;
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

    /** Gradient updates. */
    public int steps() {
        return steps;
    }

    /** Rows per update. */
    public int batchSize() {
        return batchSize;
    }

    /** Adam's learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** Updates between hard copies of the Q network into its target (FQE only). */
    public int targetUpdatePeriod() {
        return targetUpdatePeriod;
    }

    /** Actions drawn from a stochastic μ to average {@code Q^μ(s, a)} over (FQE only). */
    public int valueSamples() {
        return valueSamples;
    }

    /** Updates between progress reports. */
    public int progressInterval() {
        return progressInterval;
    }

    /** Seed of the initialisation, the sampling and μ's generator. */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "FitSettings[hidden=" + Arrays.toString(hidden) + " " + activation + ", steps=" + steps + ", batchSize="
                + batchSize + ", learningRate=" + learningRate + ", targetUpdatePeriod=" + targetUpdatePeriod
                + ", valueSamples=" + valueSamples + ", seed=" + seed + "]";
    }

    /** Builder of {@link FitSettings}; {@link #build()} validates. */
    public static final class Builder {
        private int[] hidden = {256, 256};
        private Activation activation = Activation.RELU;
        private int steps = 10_000;
        private int batchSize = 256;
        private double learningRate = 1e-4;
        private int targetUpdatePeriod = 100;
        private int valueSamples = 10;
        private int progressInterval = 500;
        private long seed;

        private Builder() {
        }

        /** Hidden widths (default {@code [256, 256]}). */
        public Builder hidden(int... widths) {
            this.hidden = widths == null ? null : widths.clone();
            return this;
        }

        /** The activation after each hidden layer (default ReLU). */
        public Builder activation(Activation activation) {
            this.activation = activation;
            return this;
        }

        /** Gradient updates, {@code >= 1} (default 10 000). */
        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Rows per update, {@code >= 1} (default 256). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Adam's learning rate, finite and {@code > 0} (default 1e-4). */
        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Updates between target copies, {@code >= 1} (default 100). */
        public Builder targetUpdatePeriod(int period) {
            this.targetUpdatePeriod = period;
            return this;
        }

        /** Actions per state for a stochastic μ's value, {@code >= 1} (default 10). */
        public Builder valueSamples(int samples) {
            this.valueSamples = samples;
            return this;
        }

        /** Updates between progress reports, {@code >= 1} (default 500). */
        public Builder progressInterval(int interval) {
            this.progressInterval = interval;
            return this;
        }

        /** The seed (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @throws IllegalArgumentException naming the field, the value and the rule */
        public FitSettings build() {
            if (hidden == null || hidden.length == 0) {
                throw new IllegalArgumentException("hidden must not be empty, found " + Arrays.toString(hidden));
            }
            for (int i = 0; i < hidden.length; i++) {
                positive("hidden[" + i + "]", hidden[i]);
            }
            if (activation == null) {
                throw new IllegalArgumentException("activation must not be null");
            }
            positive("steps", steps);
            positive("batchSize", batchSize);
            positive("targetUpdatePeriod", targetUpdatePeriod);
            positive("valueSamples", valueSamples);
            positive("progressInterval", progressInterval);
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be finite and > 0, found " + learningRate);
            }
            return new FitSettings(this);
        }

        private static void positive(String field, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(field + " must be at least 1, found " + value);
            }
        }
    }
}
