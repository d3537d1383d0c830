package org.calql.config;

import java.util.Arrays;
import java.util.Objects;
import org.calql.critic.CriticSpec;
import org.calql.policy.PolicyFactory;
import org.calql.policy.TanhGaussianPolicy;
import org.calql.regularizer.ConservativeRegularizer;
import org.calql.regularizer.ReferenceValues;
import org.calql.regularizer.Regularizers;
import org.calql.spi.Initialization;

/**
 * Every hyperparameter of a Cal-QL / CQL agent, validated and immutable. Defaults follow the Cal-QL
 * reference implementation (CORL {@code cal_ql.py}) where it has one.
 *
 * <pre>{@code
 * CalQlConfig config = CalQlConfig.builder().observationDim(29).actionDim(8).build();
 * }</pre>
 *
 * <p>{@link Builder#build()} rejects every bad value with a message naming the field, the value and the
 * rule; nothing is checked later.
 */
public final class CalQlConfig {
    private final int observationDim;
    private final int actionDim;
    private final int batchSize;
    private final int criticEnsembleSize;
    private final CriticSpec critic;
    private final int[] policyHidden;
    private final Initialization initialization;
    private final double maxAction;
    private final double discount;
    private final double tau;
    private final int targetUpdatePeriod;
    private final double qfLr;
    private final double policyLr;
    private final double alphaMultiplier;
    private final boolean autoEntropy;
    private final double targetEntropy;
    private final double initLogAlpha;
    private final boolean backupEntropy;
    private final double logStdMultiplier;
    private final double logStdOffset;
    private final double cqlAlpha;
    private final int cqlNActions;
    private final boolean lagrange;
    private final double targetActionGap;
    private final double initLogAlphaPrime;
    private final boolean maxTargetBackup;
    private final int bcSteps;
    private final long seed;
    private final ConservativeRegularizer regularizer;
    private final ReferenceValues referenceValues;
    private final PolicyFactory policy;

    private CalQlConfig(Builder b) {
        this.observationDim = b.observationDim;
        this.actionDim = b.actionDim;
        this.batchSize = b.batchSize;
        this.criticEnsembleSize = b.criticEnsembleSize;
        this.critic = b.critic != null ? b.critic : CriticSpec.mlp(b.qHidden);
        this.policyHidden = b.policyHidden.clone();
        this.initialization = b.initialization;
        this.maxAction = b.maxAction;
        this.discount = b.discount;
        this.tau = b.tau;
        this.targetUpdatePeriod = b.targetUpdatePeriod;
        this.qfLr = b.qfLr;
        this.policyLr = b.policyLr;
        this.alphaMultiplier = b.alphaMultiplier;
        this.autoEntropy = b.autoEntropy;
        this.targetEntropy = b.targetEntropySet ? b.targetEntropy : -b.actionDim;
        this.initLogAlpha = b.initLogAlpha;
        this.backupEntropy = b.backupEntropy;
        this.logStdMultiplier = b.logStdMultiplier;
        this.logStdOffset = b.logStdOffset;
        this.cqlAlpha = b.cqlAlpha;
        this.cqlNActions = b.cqlNActions;
        this.lagrange = b.lagrange;
        this.targetActionGap = b.targetActionGap;
        this.initLogAlphaPrime = b.initLogAlphaPrime;
        this.maxTargetBackup = b.maxTargetBackup;
        this.bcSteps = b.bcSteps;
        this.seed = b.seed;
        this.regularizer = b.regularizer;
        this.referenceValues = b.referenceValues;
        this.policy = b.policy;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.observationDim = observationDim;
        b.actionDim = actionDim;
        b.batchSize = batchSize;
        b.criticEnsembleSize = criticEnsembleSize;
        b.qHidden = critic.hidden();
        b.critic = critic;
        b.policyHidden = policyHidden.clone();
        b.initialization = initialization;
        b.maxAction = maxAction;
        b.discount = discount;
        b.tau = tau;
        b.targetUpdatePeriod = targetUpdatePeriod;
        b.qfLr = qfLr;
        b.policyLr = policyLr;
        b.alphaMultiplier = alphaMultiplier;
        b.autoEntropy = autoEntropy;
        b.targetEntropy = targetEntropy;
        b.targetEntropySet = true;
        b.initLogAlpha = initLogAlpha;
        b.backupEntropy = backupEntropy;
        b.logStdMultiplier = logStdMultiplier;
        b.logStdOffset = logStdOffset;
        b.cqlAlpha = cqlAlpha;
        b.cqlNActions = cqlNActions;
        b.lagrange = lagrange;
        b.targetActionGap = targetActionGap;
        b.initLogAlphaPrime = initLogAlphaPrime;
        b.maxTargetBackup = maxTargetBackup;
        b.bcSteps = bcSteps;
        b.seed = seed;
        b.regularizer = regularizer;
        b.referenceValues = referenceValues;
        b.policy = policy;
        return b;
    }

    /** Width of an observation (required). */
    public int observationDim() {
        return observationDim;
    }

    /** Width of an action (required). */
    public int actionDim() {
        return actionDim;
    }

    /** Transitions per update, {@code B}. */
    public int batchSize() {
        return batchSize;
    }

    /** Number of critics {@code K}; targets use the minimum over them. */
    public int criticEnsembleSize() {
        return criticEnsembleSize;
    }

    /** Hidden widths of each critic ({@link #critic()}'s). */
    public int[] qHidden() {
        return critic.hidden();
    }

    /** The architecture of every critic (default {@code CriticSpec.mlp(256, 256)}, or {@code mlp(qHidden)}). */
    public CriticSpec critic() {
        return critic;
    }

    /**
     * The factory of the policy an agent trains: the one set with {@link Builder#policy(PolicyFactory)}, else the
     * reference code's tanh-Gaussian over {@link #policyHidden()} starting at
     * {@code (logStdMultiplier, logStdOffset)}.
     */
    public PolicyFactory policy() {
        return policy != null ? policy : TanhGaussianPolicy.factory(policyHidden, logStdMultiplier, logStdOffset);
    }

    /** Whether the policy comes from a factory the user set (it cannot be written into a checkpoint). */
    public boolean hasCustomPolicy() {
        return policy != null;
    }

    /** The fields that shape networks, buffers and draws: they must not change after an agent is created. */
    public ConfigStructure structure() {
        return new ConfigStructure(observationDim, actionDim, batchSize, criticEnsembleSize, cqlNActions, critic,
                policyHidden, policy != null ? "custom" : "tanhGaussian", maxTargetBackup,
                maxAction, initialization, seed);
    }

    /** Hidden widths of the policy network. */
    public int[] policyHidden() {
        return policyHidden.clone();
    }

    /** Parameter initialisation (the reference's {@code orthogonal_init=True}). */
    public Initialization initialization() {
        return initialization;
    }

    /** Policy actions lie in {@code [−maxAction, maxAction]}. */
    public double maxAction() {
        return maxAction;
    }

    /** Discount γ in [0, 1). */
    public double discount() {
        return discount;
    }

    /** Soft target update rate τ in (0, 1]: {@code θ̄ ← (1 − τ)·θ̄ + τ·θ}. */
    public double tau() {
        return tau;
    }

    /** Targets move every this many updates. */
    public int targetUpdatePeriod() {
        return targetUpdatePeriod;
    }

    /** Adam learning rate of the critics and of the Lagrange multiplier. */
    public double qfLr() {
        return qfLr;
    }

    /** Adam learning rate of the policy and of the temperature. */
    public double policyLr() {
        return policyLr;
    }

    /** Temperature α = exp(logAlpha)·alphaMultiplier with auto-tuning, else alphaMultiplier. */
    public double alphaMultiplier() {
        return alphaMultiplier;
    }

    /** Tune the temperature toward {@link #targetEntropy()}. */
    public boolean autoEntropy() {
        return autoEntropy;
    }

    /** Target entropy of the temperature loss; default (when never set) {@code −actionDim}. */
    public double targetEntropy() {
        return targetEntropy;
    }

    /** Initial log-temperature. */
    public double initLogAlpha() {
        return initLogAlpha;
    }

    /** Subtract {@code α·log π(a'|s')} in the TD target. */
    public boolean backupEntropy() {
        return backupEntropy;
    }

    /** Initial value of the policy's trainable log-std multiplier. */
    public double logStdMultiplier() {
        return logStdMultiplier;
    }

    /** Initial value of the policy's trainable log-std offset. */
    public double logStdOffset() {
        return logStdOffset;
    }

    /** Weight α of the conservative term (fixed, or scaled by the Lagrange multiplier). */
    public double cqlAlpha() {
        return cqlAlpha;
    }

    /** Sampled actions per state and kind, {@code N}. */
    public int cqlNActions() {
        return cqlNActions;
    }

    /** Tune a Lagrange multiplier α' so that the conservative gap approaches {@link #targetActionGap()}. */
    public boolean lagrange() {
        return lagrange;
    }

    /** Target of the conservative gap with {@link #lagrange()}. */
    public double targetActionGap() {
        return targetActionGap;
    }

    /** Initial log of the Lagrange multiplier. */
    public double initLogAlphaPrime() {
        return initLogAlphaPrime;
    }

    /** TD target: the max over N next-action samples of the min over target critics. */
    public boolean maxTargetBackup() {
        return maxTargetBackup;
    }

    /**
     * Behaviour-cloning warm-up: for the first this many updates the policy loss is
     * {@code α·log π − log π(a_data|s)}.
     */
    public int bcSteps() {
        return bcSteps;
    }

    /** Seed of initialisation and of the update's random draws. */
    public long seed() {
        return seed;
    }

    /** The conservative term (default Cal-QL). */
    public ConservativeRegularizer regularizer() {
        return regularizer;
    }

    /** {@code V_ref(s)} for the calibration (default: Monte-Carlo returns-to-go). */
    public ReferenceValues referenceValues() {
        return referenceValues;
    }

    @Override
    public String toString() {
        return "CalQlConfig{"
                + "observationDim=" + observationDim + ", "
                + "actionDim=" + actionDim + ", "
                + "batchSize=" + batchSize + ", "
                + "criticEnsembleSize=" + criticEnsembleSize + ", "
                + "critic=" + critic + ", "
                + "policyHidden=" + Arrays.toString(policyHidden) + ", "
                + "initialization=" + initialization + ", "
                + "maxAction=" + maxAction + ", "
                + "discount=" + discount + ", "
                + "tau=" + tau + ", "
                + "targetUpdatePeriod=" + targetUpdatePeriod + ", "
                + "qfLr=" + qfLr + ", "
                + "policyLr=" + policyLr + ", "
                + "alphaMultiplier=" + alphaMultiplier + ", "
                + "autoEntropy=" + autoEntropy + ", "
                + "targetEntropy=" + targetEntropy + ", "
                + "initLogAlpha=" + initLogAlpha + ", "
                + "backupEntropy=" + backupEntropy + ", "
                + "logStdMultiplier=" + logStdMultiplier + ", "
                + "logStdOffset=" + logStdOffset + ", "
                + "cqlAlpha=" + cqlAlpha + ", "
                + "cqlNActions=" + cqlNActions + ", "
                + "lagrange=" + lagrange + ", "
                + "targetActionGap=" + targetActionGap + ", "
                + "initLogAlphaPrime=" + initLogAlphaPrime + ", "
                + "maxTargetBackup=" + maxTargetBackup + ", "
                + "bcSteps=" + bcSteps + ", "
                + "seed=" + seed + ", "
                + "regularizer=" + regularizer + ", "
                + "referenceValues=" + referenceValues
                + (policy != null ? ", policy=" + policy : "")
                + "}";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CalQlConfig c)) {
            return false;
        }
        return observationDim == c.observationDim
                && actionDim == c.actionDim
                && batchSize == c.batchSize
                && criticEnsembleSize == c.criticEnsembleSize
                && critic.equals(c.critic)
                && Arrays.equals(policyHidden, c.policyHidden)
                && Objects.equals(initialization, c.initialization)
                && Double.compare(maxAction, c.maxAction) == 0
                && Double.compare(discount, c.discount) == 0
                && Double.compare(tau, c.tau) == 0
                && targetUpdatePeriod == c.targetUpdatePeriod
                && Double.compare(qfLr, c.qfLr) == 0
                && Double.compare(policyLr, c.policyLr) == 0
                && Double.compare(alphaMultiplier, c.alphaMultiplier) == 0
                && autoEntropy == c.autoEntropy
                && Double.compare(targetEntropy, c.targetEntropy) == 0
                && Double.compare(initLogAlpha, c.initLogAlpha) == 0
                && backupEntropy == c.backupEntropy
                && Double.compare(logStdMultiplier, c.logStdMultiplier) == 0
                && Double.compare(logStdOffset, c.logStdOffset) == 0
                && Double.compare(cqlAlpha, c.cqlAlpha) == 0
                && cqlNActions == c.cqlNActions
                && lagrange == c.lagrange
                && Double.compare(targetActionGap, c.targetActionGap) == 0
                && Double.compare(initLogAlphaPrime, c.initLogAlphaPrime) == 0
                && maxTargetBackup == c.maxTargetBackup
                && bcSteps == c.bcSteps
                && seed == c.seed
                && Objects.equals(regularizer, c.regularizer)
                && Objects.equals(referenceValues, c.referenceValues)
                && Objects.equals(policy, c.policy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observationDim, actionDim, batchSize, criticEnsembleSize, critic,
                Arrays.hashCode(policyHidden), initialization, maxAction, discount, tau,
                targetUpdatePeriod, qfLr, policyLr, alphaMultiplier, autoEntropy, targetEntropy,
                initLogAlpha, backupEntropy, logStdMultiplier, logStdOffset, cqlAlpha, cqlNActions,
                lagrange, targetActionGap, initLogAlphaPrime, maxTargetBackup, bcSteps, seed,
                regularizer, referenceValues, policy);
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
         * Validates every field and builds the config.
         *
         * @throws IllegalArgumentException naming the first bad field, its value and the rule
         */
        public CalQlConfig build() {
            Checks.positive("observationDim", observationDim);
            Checks.positive("actionDim", actionDim);
            Checks.positive("batchSize", batchSize);
            Checks.atLeast2("criticEnsembleSize", criticEnsembleSize);
            if (critic == null) {
                Checks.hidden("qHidden", qHidden);
            }
            Checks.hidden("policyHidden", policyHidden);
            Checks.nonNull("initialization", initialization);
            Checks.positiveFinite("maxAction", maxAction);
            Checks.discount("discount", discount);
            Checks.tau("tau", tau);
            Checks.positive("targetUpdatePeriod", targetUpdatePeriod);
            Checks.positiveFinite("qfLr", qfLr);
            Checks.positiveFinite("policyLr", policyLr);
            Checks.nonNegativeFinite("alphaMultiplier", alphaMultiplier);
            if (targetEntropySet) {
                Checks.finite("targetEntropy", targetEntropy);
            }
            Checks.finite("initLogAlpha", initLogAlpha);
            Checks.finite("logStdMultiplier", logStdMultiplier);
            Checks.finite("logStdOffset", logStdOffset);
            Checks.nonNegativeFinite("cqlAlpha", cqlAlpha);
            Checks.positive("cqlNActions", cqlNActions);
            Checks.finite("targetActionGap", targetActionGap);
            Checks.finite("initLogAlphaPrime", initLogAlphaPrime);
            Checks.nonNegative("bcSteps", bcSteps);
            Checks.nonNull("regularizer", regularizer);
            Checks.nonNull("referenceValues", referenceValues);
            return new CalQlConfig(this);
        }
    }
}
