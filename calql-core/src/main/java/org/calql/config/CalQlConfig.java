package org.calql.config;

import java.util.Objects;
import org.calql.critic.CriticSpec;
import org.calql.policy.PolicyFactory;
import org.calql.policy.TanhGaussianPolicy;
import org.calql.regularizer.ConservativeRegularizer;
import org.calql.regularizer.ReferenceValues;
import org.calql.regularizer.Regularizers;
import org.calql.spi.Initialization;
import org.calql.spi.Precision;

/**
 * Every hyperparameter of a Cal-QL / CQL agent, validated and immutable, in groups: {@link #model()} (dimensions,
 * critics, policy), {@link #optimizer()} (batch, discount, learning rates, targets), {@link #entropy()} (the
 * temperature) and {@link #conservative()} (the conservative term and its calibration), plus {@link #bcSteps()}
 * and {@link #seed()}. Each group's record states its defaults; the flat accessors below read the groups.
 * {@link #structure()} is the one definition of the fields that may not change after an agent is created.
 *
 * <pre>{@code
 * CalQlConfig config = CalQlConfig.builder().observationDim(29).actionDim(8).build();
 * }</pre>
 *
 * <p>{@link Builder#build()} rejects every bad value with a message naming the field, the value and the
 * rule, including values that could not run: buffers that exceed a Java array or the fixed ceiling
 * {@link Limits#MAX_FOOTPRINT_BYTES}, and ranges with no sane use (the bounds and why are in {@link Limits}).
 * Only the heap is checked later, when an agent is created ({@link #requireFitsHeap}), because a config built on
 * one machine may run on another.
 */
public final class CalQlConfig {
    private final ModelSettings model;
    private final OptimizerSettings optimizer;
    private final EntropySettings entropy;
    private final ConservativeSettings conservative;
    private final int bcSteps;
    private final long seed;
    private final Precision precision;
    private final double estimatedBytes;

    private CalQlConfig(ModelSettings model, OptimizerSettings optimizer, EntropySettings entropy,
                        ConservativeSettings conservative, int bcSteps, long seed, Precision precision,
                        double estimatedBytes) {
        this.estimatedBytes = estimatedBytes;
        this.precision = precision;
        this.model = model;
        this.optimizer = optimizer;
        this.entropy = entropy;
        this.conservative = conservative;
        this.bcSteps = bcSteps;
        this.seed = seed;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.observationDim = model.observationDim();
        b.actionDim = model.actionDim();
        b.maxAction = model.maxAction();
        b.criticEnsembleSize = model.criticEnsembleSize();
        b.qHidden = model.critic().hidden();
        b.critic = model.critic();
        b.policyHidden = model.policyHidden();
        b.logStdMultiplier = model.logStdMultiplier();
        b.logStdOffset = model.logStdOffset();
        b.initialization = model.initialization();
        b.policy = model.policy();
        b.batchSize = optimizer.batchSize();
        b.discount = optimizer.discount();
        b.qfLr = optimizer.qfLr();
        b.policyLr = optimizer.policyLr();
        b.tau = optimizer.tau();
        b.targetUpdatePeriod = optimizer.targetUpdatePeriod();
        b.autoEntropy = entropy.autoEntropy();
        b.alphaMultiplier = entropy.alphaMultiplier();
        b.targetEntropy = entropy.targetEntropy();
        b.targetEntropySet = true;
        b.initLogAlpha = entropy.initLogAlpha();
        b.backupEntropy = entropy.backupEntropy();
        b.cqlAlpha = conservative.cqlAlpha();
        b.cqlNActions = conservative.cqlNActions();
        b.lagrange = conservative.lagrange();
        b.targetActionGap = conservative.targetActionGap();
        b.initLogAlphaPrime = conservative.initLogAlphaPrime();
        b.maxTargetBackup = conservative.maxTargetBackup();
        b.regularizer = conservative.regularizer();
        b.referenceValues = conservative.referenceValues();
        b.bcSteps = bcSteps;
        b.seed = seed;
        b.precision = precision;
        return b;
    }

    /** Dimensions, action scale, critics and policy. */
    public ModelSettings model() {
        return model;
    }

    /** Batch, discount, learning rates and target updates. */
    public OptimizerSettings optimizer() {
        return optimizer;
    }

    /** The entropy temperature. */
    public EntropySettings entropy() {
        return entropy;
    }

    /** The conservative term and its calibration. */
    public ConservativeSettings conservative() {
        return conservative;
    }

    /**
     * Behaviour-cloning warm-up: for the first this many updates the policy loss is
     * {@code α·log π − log π(a_data|s)} (default 0).
     */
    public int bcSteps() {
        return bcSteps;
    }

    /** Seed of initialisation and of the update's random draws (default 0). */
    public long seed() {
        return seed;
    }

    /**
     * The precision of the networks' matrix products (default {@link Precision#FP32}). With {@link Precision#BF16}
     * the products take bfloat16-rounded inputs and accumulate in float32, while parameters, Adam moments and all
     * of core's math stay float32/float64; an agent applies it with {@link org.calql.spi.Backend#withPrecision},
     * which refuses a backend or CPU without bf16 support. Not a structural field: a checkpoint records it only
     * when it is not FP32, and a loaded agent may run at either precision.
     */
    public Precision precision() {
        return precision;
    }

    /**
     * An estimate from above of the bytes an agent of this config allocates for its networks (parameters,
     * transposed copies, targets, gradients, Adam moments) and its update's buffers; see {@link Limits}. At most
     * {@link Limits#MAX_FOOTPRINT_BYTES}. A custom policy is not counted.
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
        Limits.requireHeap("the networks (qHidden = " + java.util.Arrays.toString(qHidden()) + ", criticEnsembleSize = "
                + criticEnsembleSize() + "), the update's buffers (batchSize = " + batchSize() + ", cqlNActions = "
                + cqlNActions() + ") and the replay (replayCapacity)", estimatedBytes + extraBytes, heapBytes);
    }

    /** The fields that shape networks, buffers and draws: they must not change after an agent is created. */
    public ConfigStructure structure() {
        return new ConfigStructure(model.observationDim(), model.actionDim(), optimizer.batchSize(),
                model.criticEnsembleSize(), conservative.cqlNActions(), model.critic(), model.policyHidden(),
                model.policy() != null ? "custom" : "tanhGaussian", conservative.maxTargetBackup(),
                model.maxAction(), model.initialization(), seed);
    }

    /**
     * The factory of the policy an agent trains: the one set with {@link Builder#policy(PolicyFactory)}, else the
     * reference code's tanh-Gaussian over {@link ModelSettings#policyHidden()} starting at
     * {@code (logStdMultiplier, logStdOffset)}.
     */
    public PolicyFactory policy() {
        return model.policy() != null ? model.policy()
                : TanhGaussianPolicy.factory(model.policyHidden(), model.logStdMultiplier(), model.logStdOffset());
    }

    /** Whether the policy comes from a factory the user set (it cannot be written into a checkpoint). */
    public boolean hasCustomPolicy() {
        return model.policy() != null;
    }

    // ---- flat accessors: each reads its group (see the group records for the rules and defaults) ----

    /** {@link ModelSettings#observationDim()}. */
    public int observationDim() {
        return model.observationDim();
    }

    /** {@link ModelSettings#actionDim()}. */
    public int actionDim() {
        return model.actionDim();
    }

    /** {@link OptimizerSettings#batchSize()}. */
    public int batchSize() {
        return optimizer.batchSize();
    }

    /** {@link ModelSettings#criticEnsembleSize()}. */
    public int criticEnsembleSize() {
        return model.criticEnsembleSize();
    }

    /** Hidden widths of each critic ({@link #critic()}'s). */
    public int[] qHidden() {
        return model.critic().hidden();
    }

    /** {@link ModelSettings#critic()}. */
    public CriticSpec critic() {
        return model.critic();
    }

    /** {@link ModelSettings#policyHidden()}. */
    public int[] policyHidden() {
        return model.policyHidden();
    }

    /** {@link ModelSettings#initialization()}. */
    public Initialization initialization() {
        return model.initialization();
    }

    /** {@link ModelSettings#maxAction()}. */
    public double maxAction() {
        return model.maxAction();
    }

    /** {@link OptimizerSettings#discount()}. */
    public double discount() {
        return optimizer.discount();
    }

    /** {@link OptimizerSettings#tau()}. */
    public double tau() {
        return optimizer.tau();
    }

    /** {@link OptimizerSettings#targetUpdatePeriod()}. */
    public int targetUpdatePeriod() {
        return optimizer.targetUpdatePeriod();
    }

    /** {@link OptimizerSettings#qfLr()}. */
    public double qfLr() {
        return optimizer.qfLr();
    }

    /** {@link OptimizerSettings#policyLr()}. */
    public double policyLr() {
        return optimizer.policyLr();
    }

    /** {@link EntropySettings#alphaMultiplier()}. */
    public double alphaMultiplier() {
        return entropy.alphaMultiplier();
    }

    /** {@link EntropySettings#autoEntropy()}. */
    public boolean autoEntropy() {
        return entropy.autoEntropy();
    }

    /** {@link EntropySettings#targetEntropy()}. */
    public double targetEntropy() {
        return entropy.targetEntropy();
    }

    /** {@link EntropySettings#initLogAlpha()}. */
    public double initLogAlpha() {
        return entropy.initLogAlpha();
    }

    /** {@link EntropySettings#backupEntropy()}. */
    public boolean backupEntropy() {
        return entropy.backupEntropy();
    }

    /** {@link ModelSettings#logStdMultiplier()}. */
    public double logStdMultiplier() {
        return model.logStdMultiplier();
    }

    /** {@link ModelSettings#logStdOffset()}. */
    public double logStdOffset() {
        return model.logStdOffset();
    }

    /** {@link ConservativeSettings#cqlAlpha()}. */
    public double cqlAlpha() {
        return conservative.cqlAlpha();
    }

    /** {@link ConservativeSettings#cqlNActions()}. */
    public int cqlNActions() {
        return conservative.cqlNActions();
    }

    /** {@link ConservativeSettings#lagrange()}. */
    public boolean lagrange() {
        return conservative.lagrange();
    }

    /** {@link ConservativeSettings#targetActionGap()}. */
    public double targetActionGap() {
        return conservative.targetActionGap();
    }

    /** {@link ConservativeSettings#initLogAlphaPrime()}. */
    public double initLogAlphaPrime() {
        return conservative.initLogAlphaPrime();
    }

    /** {@link ConservativeSettings#maxTargetBackup()}. */
    public boolean maxTargetBackup() {
        return conservative.maxTargetBackup();
    }

    /** {@link ConservativeSettings#regularizer()}. */
    public ConservativeRegularizer regularizer() {
        return conservative.regularizer();
    }

    /** {@link ConservativeSettings#referenceValues()}. */
    public ReferenceValues referenceValues() {
        return conservative.referenceValues();
    }

    @Override
    public String toString() {
        return "CalQlConfig{model{" + model + "}, optimizer" + optimizer + ", entropy" + entropy + ", conservative"
                + conservative + ", bcSteps=" + bcSteps + ", seed=" + seed
                + (precision != Precision.FP32 ? ", precision=" + precision : "") + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CalQlConfig c && model.equals(c.model) && optimizer.equals(c.optimizer)
                && entropy.equals(c.entropy) && conservative.equals(c.conservative) && bcSteps == c.bcSteps
                && seed == c.seed && precision == c.precision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, optimizer, entropy, conservative, bcSteps, seed, precision);
    }

    /** Builder of a {@link CalQlConfig}; setters store, {@link #build()} validates. */
    public static final class Builder {
        private int observationDim = 0;
        private int actionDim = 0;
        private int batchSize = 256;
        private int criticEnsembleSize = 2;
        private int[] qHidden = new int[] {256, 256};
        private CriticSpec critic;
        private PolicyFactory policy;
        private int[] policyHidden = new int[] {256, 256};
        private Initialization initialization = Initialization.ORTHOGONAL;
        private double maxAction = 1.0;
        private double discount = 0.99;
        private double tau = 5e-3;
        private int targetUpdatePeriod = 1;
        private double qfLr = 3e-4;
        private double policyLr = 1e-4;
        private double alphaMultiplier = 1.0;
        private boolean autoEntropy = true;
        private double targetEntropy = Double.NaN;
        private boolean targetEntropySet;
        private double initLogAlpha = 0.0;
        private boolean backupEntropy = false;
        private double logStdMultiplier = 1.0;
        private double logStdOffset = -1.0;
        private double cqlAlpha = 5.0;
        private int cqlNActions = 10;
        private boolean lagrange = false;
        private double targetActionGap = 0.8;
        private double initLogAlphaPrime = 1.0;
        private boolean maxTargetBackup = false;
        private int bcSteps = 0;
        private long seed = 0L;
        private Precision precision = Precision.FP32;
        private ConservativeRegularizer regularizer = Regularizers.calQl();
        private ReferenceValues referenceValues = ReferenceValues.monteCarlo();

        private Builder() {
        }

        /** Width of an observation (required). */
        public Builder observationDim(int observationDim) {
            this.observationDim = observationDim;
            return this;
        }

        /** Width of an action (required). */
        public Builder actionDim(int actionDim) {
            this.actionDim = actionDim;
            return this;
        }

        /** Transitions per update, {@code B}. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Number of critics {@code K}; targets use the minimum over them. */
        public Builder criticEnsembleSize(int criticEnsembleSize) {
            this.criticEnsembleSize = criticEnsembleSize;
            return this;
        }

        /** Hidden widths of each critic: {@code critic(CriticSpec.mlp(qHidden))} (default {@code [256, 256]}). */
        public Builder qHidden(int... qHidden) {
            this.qHidden = qHidden == null ? null : qHidden.clone();
            this.critic = null;
            return this;
        }

        /** The architecture of every critic (default {@code CriticSpec.mlp(256, 256)}); replaces {@code qHidden}. */
        public Builder critic(CriticSpec critic) {
            this.critic = critic;
            if (critic != null) {
                this.qHidden = critic.hidden();
            }
            return this;
        }

        /**
         * The policy to train, from a factory (default: the reference code's tanh-Gaussian over
         * {@code policyHidden}). {@code policyHidden}, {@code logStdMultiplier} and {@code logStdOffset} configure
         * the default only. An agent with a custom policy is loaded with a config that holds the factory.
         */
        public Builder policy(PolicyFactory policy) {
            this.policy = policy;
            return this;
        }

        /** Hidden widths of the policy network. */
        public Builder policyHidden(int... policyHidden) {
            this.policyHidden = policyHidden == null ? null : policyHidden.clone();
            return this;
        }

        /** Parameter initialisation (the reference's {@code orthogonal_init=True}). */
        public Builder initialization(Initialization initialization) {
            this.initialization = initialization;
            return this;
        }

        /** Policy actions lie in {@code [−maxAction, maxAction]}. */
        public Builder maxAction(double maxAction) {
            this.maxAction = maxAction;
            return this;
        }

        /** Discount γ in [0, 1). */
        public Builder discount(double discount) {
            this.discount = discount;
            return this;
        }

        /** Soft target update rate τ in (0, 1]: {@code θ̄ ← (1 − τ)·θ̄ + τ·θ}. */
        public Builder tau(double tau) {
            this.tau = tau;
            return this;
        }

        /** Targets move every this many updates. */
        public Builder targetUpdatePeriod(int targetUpdatePeriod) {
            this.targetUpdatePeriod = targetUpdatePeriod;
            return this;
        }

        /** Adam learning rate of the critics and of the Lagrange multiplier. */
        public Builder qfLr(double qfLr) {
            this.qfLr = qfLr;
            return this;
        }

        /** Adam learning rate of the policy and of the temperature. */
        public Builder policyLr(double policyLr) {
            this.policyLr = policyLr;
            return this;
        }

        /** Temperature α = exp(logAlpha)·alphaMultiplier with auto-tuning, else alphaMultiplier. */
        public Builder alphaMultiplier(double alphaMultiplier) {
            this.alphaMultiplier = alphaMultiplier;
            return this;
        }

        /** Tune the temperature toward {@link #targetEntropy()}. */
        public Builder autoEntropy(boolean autoEntropy) {
            this.autoEntropy = autoEntropy;
            return this;
        }

        /** Target entropy of the temperature loss; default (when never set) {@code −actionDim}. */
        public Builder targetEntropy(double targetEntropy) {
            this.targetEntropy = targetEntropy;
            this.targetEntropySet = true;
            return this;
        }

        /** Initial log-temperature. */
        public Builder initLogAlpha(double initLogAlpha) {
            this.initLogAlpha = initLogAlpha;
            return this;
        }

        /** Subtract {@code α·log π(a'|s')} in the TD target. */
        public Builder backupEntropy(boolean backupEntropy) {
            this.backupEntropy = backupEntropy;
            return this;
        }

        /** Initial value of the policy's trainable log-std multiplier. */
        public Builder logStdMultiplier(double logStdMultiplier) {
            this.logStdMultiplier = logStdMultiplier;
            return this;
        }

        /** Initial value of the policy's trainable log-std offset. */
        public Builder logStdOffset(double logStdOffset) {
            this.logStdOffset = logStdOffset;
            return this;
        }

        /** Weight α of the conservative term (fixed, or scaled by the Lagrange multiplier). */
        public Builder cqlAlpha(double cqlAlpha) {
            this.cqlAlpha = cqlAlpha;
            return this;
        }

        /** Sampled actions per state and kind, {@code N}. */
        public Builder cqlNActions(int cqlNActions) {
            this.cqlNActions = cqlNActions;
            return this;
        }

        /** Tune a Lagrange multiplier α' so that the conservative gap approaches {@link #targetActionGap()}. */
        public Builder lagrange(boolean lagrange) {
            this.lagrange = lagrange;
            return this;
        }

        /** Target of the conservative gap with {@link #lagrange()}. */
        public Builder targetActionGap(double targetActionGap) {
            this.targetActionGap = targetActionGap;
            return this;
        }

        /** Initial log of the Lagrange multiplier. */
        public Builder initLogAlphaPrime(double initLogAlphaPrime) {
            this.initLogAlphaPrime = initLogAlphaPrime;
            return this;
        }

        /** TD target: the max over N next-action samples of the min over target critics. */
        public Builder maxTargetBackup(boolean maxTargetBackup) {
            this.maxTargetBackup = maxTargetBackup;
            return this;
        }

        /**
     * Behaviour-cloning warm-up: for the first this many updates the policy loss is
     * {@code α·log π − log π(a_data|s)}.
     */
        public Builder bcSteps(int bcSteps) {
            this.bcSteps = bcSteps;
            return this;
        }

        /** Seed of initialisation and of the update's random draws. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Precision of the networks' matrix products (default FP32); see {@link CalQlConfig#precision()}. */
        public Builder precision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /** The conservative term (default Cal-QL). */
        public Builder regularizer(ConservativeRegularizer regularizer) {
            this.regularizer = regularizer;
            return this;
        }

        /** {@code V_ref(s)} for the calibration (default: Monte-Carlo returns-to-go). */
        public Builder referenceValues(ReferenceValues referenceValues) {
            this.referenceValues = referenceValues;
            return this;
        }

        /**
         * Validates every field, then that the buffers fit Java arrays and {@link Limits#MAX_FOOTPRINT_BYTES}, and
         * builds the config.
         *
         * @throws IllegalArgumentException naming the first bad field, its value and the rule
         */
        public CalQlConfig build() {
            CriticSpec criticSpec = critic;
            if (criticSpec == null) {
                Checks.hidden("qHidden", qHidden);
                criticSpec = CriticSpec.mlp(qHidden);
            }
            ModelSettings model = new ModelSettings(observationDim, actionDim, maxAction, criticEnsembleSize,
                    criticSpec, policyHidden, logStdMultiplier, logStdOffset, initialization, policy);
            OptimizerSettings optimizer = new OptimizerSettings(batchSize, discount, qfLr, policyLr, tau,
                    targetUpdatePeriod);
            if (targetEntropySet) {
                Checks.finite("targetEntropy", targetEntropy);
            }
            EntropySettings entropy = new EntropySettings(autoEntropy, alphaMultiplier,
                    targetEntropySet ? targetEntropy : -actionDim, initLogAlpha, backupEntropy);
            ConservativeSettings conservative = new ConservativeSettings(cqlAlpha, cqlNActions, lagrange,
                    targetActionGap, initLogAlphaPrime, maxTargetBackup, regularizer, referenceValues);
            Checks.nonNegative("bcSteps", bcSteps);
            Checks.nonNull("precision", precision);
            double bytes = Footprint.check(model, optimizer, conservative);
            return new CalQlConfig(model, optimizer, entropy, conservative, bcSteps, seed, precision, bytes);
        }
    }
}
