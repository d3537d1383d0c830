package org.calql.discrete;

import java.util.Objects;
import org.calql.config.Limits;
import org.calql.critic.CriticSpec;
import org.calql.critic.TargetUpdate;
import org.calql.regularizer.ConservativeRegularizer;
import org.calql.regularizer.ReferenceValues;
import org.calql.regularizer.Regularizers;
import org.calql.spi.Initialization;

/**
 * Every hyperparameter of a discrete-action CQL / Cal-QL update, validated and immutable. Defaults follow d3rlpy's
 * {@code DiscreteCQLConfig} ({@code d3rlpy/algos/qlearning/cql.py}: {@code learning_rate = 6.25e-5},
 * {@code batch_size = 32}, {@code gamma = 0.99}, {@code n_critics = 1}, {@code target_update_interval = 8000},
 * {@code alpha = 1.0}, a Double-DQN target with the Huber loss, hidden {@code [256, 256]} of its default vector
 * encoder, a hard target copy) where it has one; the calibration defaults to Cal-QL, which d3rlpy does not have.
 *
 * <pre>{@code
 * DiscreteConfig config = DiscreteConfig.builder().observationDim(2).numActions(3).build();
 * }</pre>
 *
 * <p>One update ({@link DiscreteUpdateStep}) minimises {@code Σ_k (TD_k + cqlAlpha·conservative_k)} with
 * <pre>
 *   a'_b  = argmax_a mean_k Q_k(s'_b, a)   (doubleDqn; else over the target critics Q̄_k), lowest index on ties
 *   y_b   = r_b + γ·(1 − done_b)·min_k Q̄_k(s'_b, a'_b)
 *   TD_k  = mean_b ℓ(y_b − Q_k(s_b, a_b))                                 ℓ = {@link TdLoss}
 *   conservative_k = regularizer over Q_k(s_b, ·)   (CQL: mean_b [logsumexp_a Q̃_k(s_b,a) − Q_k(s_b,a_b)],
 *                                                    Q̃ = max(Q, V_ref(s_b)) with Cal-QL, Q̃ = Q with CQL)
 * </pre>
 * then Adam with {@code lr} on every critic, and after update {@code t}, when {@code t mod targetUpdatePeriod = 0},
 * {@code θ̄ ← (1 − τ)·θ̄ + τ·θ}.
 *
 * <p>{@link Builder#build()} rejects every bad value with a message naming the field, the value and the rule,
 * including values that could not run (bounds and reasons in {@link Limits}): {@code criticCount} ≤ 64, {@code lr}
 * ≤ 1, {@code cqlAlpha} ≤ 1e6, at most 64 hidden layers, every buffer within a Java array and the estimated
 * footprint ({@link #estimatedBytes()}) within {@link Limits#MAX_FOOTPRINT_BYTES}; the heap is checked when an
 * agent is created ({@link #requireFitsHeap}).
 */
public final class DiscreteConfig {
    private final int observationDim;
    private final int numActions;
    private final int batchSize;
    private final CriticSpec critic;
    private final int criticCount;
    private final Initialization initialization;
    private final double discount;
    private final double lr;
    private final double cqlAlpha;
    private final TdLoss tdLoss;
    private final boolean doubleDqn;
    private final int targetUpdatePeriod;
    private final double tau;
    private final long seed;
    private final ConservativeRegularizer regularizer;
    private final ReferenceValues referenceValues;
    private final double estimatedBytes;

    private DiscreteConfig(Builder b, double estimatedBytes) {
        this.estimatedBytes = estimatedBytes;
        this.observationDim = b.observationDim;
        this.numActions = b.numActions;
        this.batchSize = b.batchSize;
        this.critic = b.critic;
        this.criticCount = b.criticCount;
        this.initialization = b.initialization;
        this.discount = b.discount;
        this.lr = b.lr;
        this.cqlAlpha = b.cqlAlpha;
        this.tdLoss = b.tdLoss;
        this.doubleDqn = b.doubleDqn;
        this.targetUpdatePeriod = b.targetUpdatePeriod;
        this.tau = b.tau;
        this.seed = b.seed;
        this.regularizer = b.regularizer;
        this.referenceValues = b.referenceValues;
    }

    /** A builder with the defaults; {@code observationDim} and {@code numActions} must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.observationDim = observationDim;
        b.numActions = numActions;
        b.batchSize = batchSize;
        b.critic = critic;
        b.criticCount = criticCount;
        b.initialization = initialization;
        b.discount = discount;
        b.lr = lr;
        b.cqlAlpha = cqlAlpha;
        b.tdLoss = tdLoss;
        b.doubleDqn = doubleDqn;
        b.targetUpdatePeriod = targetUpdatePeriod;
        b.tau = tau;
        b.seed = seed;
        b.regularizer = regularizer;
        b.referenceValues = referenceValues;
        return b;
    }

    /** Width of an observation. */
    public int observationDim() {
        return observationDim;
    }

    /** {@code |A|}, the number of actions (indices {@code 0 … |A|−1}). */
    public int numActions() {
        return numActions;
    }

    /** Transitions per update {@code B} (default 32). */
    public int batchSize() {
        return batchSize;
    }

    /** The critics' architecture (default hidden {@code [256, 256]}). */
    public CriticSpec critic() {
        return critic;
    }

    /** Critics in the ensemble {@code K} (default 1). */
    public int criticCount() {
        return criticCount;
    }

    /** Parameter initialisation (default {@link Initialization#PYTORCH_DEFAULT}). */
    public Initialization initialization() {
        return initialization;
    }

    /** {@code γ} (default 0.99). */
    public double discount() {
        return discount;
    }

    /** Adam learning rate of the critics (default 6.25e-5). */
    public double lr() {
        return lr;
    }

    /** Weight of the conservative term (default 1). */
    public double cqlAlpha() {
        return cqlAlpha;
    }

    /** The TD error's loss (default {@link TdLoss#HUBER}). */
    public TdLoss tdLoss() {
        return tdLoss;
    }

    /** Whether the online critics choose the next action (Double DQN, default) or the target critics (DQN). */
    public boolean doubleDqn() {
        return doubleDqn;
    }

    /** Updates between target moves {@code P} (default 8000). */
    public int targetUpdatePeriod() {
        return targetUpdatePeriod;
    }

    /** Step of a target move {@code τ} (default 1: a hard copy). */
    public double tau() {
        return tau;
    }

    /**
     * An estimate from above of the bytes an agent of this config allocates for its critics (online and target
     * networks with transposed copies, gradients, Adam moments) and the update's buffers; see {@link Limits}.
     */
    public long estimatedBytes() {
        return (long) Math.ceil(estimatedBytes);
    }

    /**
     * Checks, before an agent allocates anything, that {@link #estimatedBytes()} plus {@code extraBytes} (its replay)
     * fit a heap of {@code heapBytes} (pass {@code Runtime.getRuntime().maxMemory()}).
     *
     * @throws IllegalArgumentException naming the fields that drive the size, the estimate and the heap
     */
    public void requireFitsHeap(double extraBytes, long heapBytes) {
        Limits.requireHeap("the critics (critic = " + critic + ", criticCount = " + criticCount + ", numActions = "
                + numActions + "), the update's buffers (batchSize = " + batchSize + ") and the replay"
                + " (replayCapacity)", estimatedBytes + extraBytes, heapBytes);
    }

    /** The target rule {@code (τ, P)}. */
    public TargetUpdate targetUpdate() {
        return new TargetUpdate(tau, targetUpdatePeriod);
    }

    /** Seed of the critics' initialisation (default 0). */
    public long seed() {
        return seed;
    }

    /** The conservative regularizer (default {@link Regularizers#calQl()}; {@link Regularizers#cql()} is CQL). */
    public ConservativeRegularizer regularizer() {
        return regularizer;
    }

    /** {@code V_ref(s)} per transition (default {@link ReferenceValues#monteCarlo()}). */
    public ReferenceValues referenceValues() {
        return referenceValues;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiscreteConfig c && c.observationDim == observationDim && c.numActions == numActions
                && c.batchSize == batchSize && c.critic.equals(critic) && c.criticCount == criticCount
                && c.initialization == initialization && Double.compare(c.discount, discount) == 0
                && Double.compare(c.lr, lr) == 0 && Double.compare(c.cqlAlpha, cqlAlpha) == 0
                && c.tdLoss == tdLoss && c.doubleDqn == doubleDqn && c.targetUpdatePeriod == targetUpdatePeriod
                && Double.compare(c.tau, tau) == 0 && c.seed == seed && c.regularizer.equals(regularizer)
                && c.referenceValues.equals(referenceValues);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observationDim, numActions, batchSize, critic, criticCount, initialization, discount, lr,
                cqlAlpha, tdLoss, doubleDqn, targetUpdatePeriod, tau, seed, regularizer, referenceValues);
    }

    @Override
    public String toString() {
        return "DiscreteConfig[observationDim=" + observationDim + ", numActions=" + numActions + ", batchSize="
                + batchSize + ", critic=" + critic + ", criticCount=" + criticCount + ", initialization="
                + initialization + ", discount=" + discount + ", lr=" + lr + ", cqlAlpha=" + cqlAlpha + ", tdLoss="
                + tdLoss + ", doubleDqn=" + doubleDqn + ", targetUpdatePeriod=" + targetUpdatePeriod + ", tau=" + tau
                + ", seed=" + seed + ", regularizer=" + regularizer + ", referenceValues=" + referenceValues + "]";
    }

    /** Builder of a {@link DiscreteConfig}; every setter's doc gives the default. Not thread-safe. */
    public static final class Builder {
        private int observationDim;
        private int numActions;
        private int batchSize = 32;
        private CriticSpec critic = CriticSpec.mlp(256, 256);
        private int criticCount = 1;
        private Initialization initialization = Initialization.PYTORCH_DEFAULT;
        private double discount = 0.99;
        private double lr = 6.25e-5;
        private double cqlAlpha = 1.0;
        private TdLoss tdLoss = TdLoss.HUBER;
        private boolean doubleDqn = true;
        private int targetUpdatePeriod = 8000;
        private double tau = 1.0;
        private long seed = 0L;
        private ConservativeRegularizer regularizer = Regularizers.calQl();
        private ReferenceValues referenceValues = ReferenceValues.monteCarlo();

        private Builder() {
        }

        /** Width of an observation (required, positive). */
        public Builder observationDim(int observationDim) {
            this.observationDim = observationDim;
            return this;
        }

        /** Number of actions {@code |A|} (required, at least 2). */
        public Builder numActions(int numActions) {
            this.numActions = numActions;
            return this;
        }

        /** Transitions per update (default 32, d3rlpy's). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** The critics' architecture (default {@code CriticSpec.mlp(256, 256)}). */
        public Builder critic(CriticSpec critic) {
            this.critic = critic;
            return this;
        }

        /** Hidden widths of the critics: shorthand for {@code critic(CriticSpec.mlp(hidden))}. */
        public Builder criticHidden(int... hidden) {
            this.critic = CriticSpec.mlp(hidden);
            return this;
        }

        /** Critics in the ensemble, in [1, 64] (default 1, d3rlpy's {@code n_critics}). */
        public Builder criticCount(int criticCount) {
            this.criticCount = criticCount;
            return this;
        }

        /** Parameter initialisation (default {@link Initialization#PYTORCH_DEFAULT}). */
        public Builder initialization(Initialization initialization) {
            this.initialization = initialization;
            return this;
        }

        /** {@code γ} in {@code [0, 1)} (default 0.99). */
        public Builder discount(double discount) {
            this.discount = discount;
            return this;
        }

        /** Adam learning rate, in (0, 1] (default 6.25e-5, d3rlpy's). */
        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        /** Weight of the conservative term, in [0, 1e6] (default 1, d3rlpy's {@code alpha}). */
        public Builder cqlAlpha(double cqlAlpha) {
            this.cqlAlpha = cqlAlpha;
            return this;
        }

        /** TD loss (default {@link TdLoss#HUBER}). */
        public Builder tdLoss(TdLoss tdLoss) {
            this.tdLoss = tdLoss;
            return this;
        }

        /** Double DQN (default true) or DQN next action. */
        public Builder doubleDqn(boolean doubleDqn) {
            this.doubleDqn = doubleDqn;
            return this;
        }

        /** Updates between target moves, at least 1 (default 8000, d3rlpy's {@code target_update_interval}). */
        public Builder targetUpdatePeriod(int targetUpdatePeriod) {
            this.targetUpdatePeriod = targetUpdatePeriod;
            return this;
        }

        /** Step of a target move in {@code (0, 1]} (default 1, a hard copy). */
        public Builder tau(double tau) {
            this.tau = tau;
            return this;
        }

        /** Seed of the critics' initialisation (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The conservative regularizer, which sees the {@link org.calql.regularizer.QLayout#allActions} layout
         * (default {@link Regularizers#calQl()}; {@link Regularizers#cql()} for plain CQL).
         */
        public Builder regularizer(ConservativeRegularizer regularizer) {
            this.regularizer = regularizer;
            return this;
        }

        /** {@code V_ref(s)} per transition (default {@link ReferenceValues#monteCarlo()}). */
        public Builder referenceValues(ReferenceValues referenceValues) {
            this.referenceValues = referenceValues;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field, the value and the rule
         * @throws NullPointerException     naming a missing object
         */
        public DiscreteConfig build() {
            positive("observationDim", observationDim);
            if (numActions < 2) {
                throw new IllegalArgumentException("numActions must be at least 2, found " + numActions);
            }
            positive("batchSize", batchSize);
            Objects.requireNonNull(critic, "critic must not be null");
            positive("criticCount", criticCount);
            if (criticCount > Limits.MAX_ENSEMBLE) {
                throw new IllegalArgumentException("criticCount must be at most " + Limits.MAX_ENSEMBLE
                        + " (Limits.MAX_ENSEMBLE), found " + criticCount);
            }
            Objects.requireNonNull(initialization, "initialization must not be null");
            if (!(discount >= 0 && discount < 1)) {
                throw new IllegalArgumentException("discount must lie in [0, 1), found " + discount);
            }
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("lr must be positive and finite, found " + lr);
            }
            if (lr > Limits.MAX_LEARNING_RATE) {
                throw new IllegalArgumentException("lr must be at most " + Limits.MAX_LEARNING_RATE
                        + " (Limits.MAX_LEARNING_RATE), found " + lr);
            }
            if (!(cqlAlpha >= 0) || Double.isInfinite(cqlAlpha)) {
                throw new IllegalArgumentException("cqlAlpha must be finite and not negative, found " + cqlAlpha);
            }
            if (cqlAlpha > Limits.MAX_WEIGHT) {
                throw new IllegalArgumentException("cqlAlpha must be at most " + Limits.MAX_WEIGHT
                        + " (Limits.MAX_WEIGHT), found " + cqlAlpha);
            }
            Objects.requireNonNull(tdLoss, "tdLoss must not be null");
            positive("targetUpdatePeriod", targetUpdatePeriod);
            if (!(tau > 0 && tau <= 1)) {
                throw new IllegalArgumentException("tau must lie in (0, 1], found " + tau);
            }
            Objects.requireNonNull(regularizer, "regularizer must not be null");
            Objects.requireNonNull(referenceValues, "referenceValues must not be null");
            return new DiscreteConfig(this, footprint());
        }

        /** Checks every array length and the ceiling; returns the estimated bytes (see {@link Limits}). */
        private double footprint() {
            int[] hidden = critic.hidden();
            if (hidden.length > Limits.MAX_HIDDEN_LAYERS) {
                throw new IllegalArgumentException("critic must have at most " + Limits.MAX_HIDDEN_LAYERS
                        + " hidden layers (Limits.MAX_HIDDEN_LAYERS), found " + hidden.length);
            }
            String rows = "batchSize = " + batchSize + " rows";
            Limits.requireDenseArrays("critic hidden", observationDim, "observationDim = " + observationDim, hidden,
                    numActions, "numActions = " + numActions, batchSize, rows);
            Limits.requireArray("batchSize = " + batchSize + " and numActions = " + numActions,
                    (double) batchSize * numActions, "the Q values batchSize·numActions");
            double params = Limits.denseParameters(observationDim, hidden, numActions, critic.layerNorm());
            double networks = criticCount * 7 * params;
            double buffers = criticCount * (3 * Limits.denseWorkspace(batchSize, observationDim, hidden, numActions)
                    + 4.0 * batchSize * numActions) + (double) batchSize * (2.0 * observationDim + 6);
            double init = 0;
            if (initialization == Initialization.ORTHOGONAL) {
                init = Limits.orthogonalPeak(observationDim, hidden, numActions);
                Limits.requireOrthogonalCeiling("critic hidden", hidden, init);
            }
            double bytes = 8 * (networks + buffers + init);
            Limits.requireCeiling(networks >= buffers
                    ? "critic = " + critic + ", criticCount = " + criticCount + " with observationDim = "
                            + observationDim + " and numActions = " + numActions
                    : "batchSize = " + batchSize + " with critic = " + critic + " and numActions = " + numActions,
                    bytes);
            return bytes;
        }

        private static void positive(String field, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(field + " must be positive, found " + value);
            }
        }
    }
}
