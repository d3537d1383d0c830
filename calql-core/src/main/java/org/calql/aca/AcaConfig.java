package org.calql.aca;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.calql.spi.Initialization;

/**
 * The settings of Actor-Critic Alignment, immutable; {@link #builder(int, int)} or
 * {@link #builder(int, int, Preset)}. Defaults are the authors' ({@code ZishunYu/ACA} on d3rlpy 1.1.0:
 * {@code run_sacml.py}, {@code run_aca.py}, d3rlpy's SAC defaults):
 *
 * <ul>
 *   <li>batch 256; 2 critics {@code R_i / Q_i(s,a)} and 2 state values {@code Z_i(s)}, all MLPs with hidden
 *       {@code [256, 256]} ReLU (critics and Z share the widths: alignment copies Z into R); policy a tanh-Gaussian
 *       with hidden {@code [256, 256]}, log-std clamped to {@code [−20, 2]};</li>
 *   <li>learning rates 3e-4 (actor, critics, Z, temperature), discount 0.99, soft target τ 0.005, initial
 *       temperature α 1;</li>
 *   <li>target entropy {@code −targetEntropyCoef·actionDim} (coef 1);</li>
 *   <li>offline actor: {@code λ·mean(α log π(ã|s) − min_i Q_i(s,ã)) − mean_D log π(a|s)},
 *       {@code λ = likelihoodWeight / mean|min_i Q_i(s,ã)|} (weight 30, their {@code alpha});</li>
 *   <li>online: floor width β 1, interpolation {@code (1, 100, 1)} (start, epochs, floor) with
 *       {@link #stepsPerEpoch()} 1000, actor gradient norm clipped at 0.25, reward shift 0, no top episodes.</li>
 * </ul>
 */
public final class AcaConfig {
    private final int observationDim;
    private final int actionDim;
    private final double maxAction;
    private final long seed;
    private final int batchSize;
    private final int criticCount;
    private final int[] criticHidden;
    private final int[] policyHidden;
    private final Initialization initialization;
    private final double actorLr;
    private final double criticLr;
    private final double zLr;
    private final double temperatureLr;
    private final double discount;
    private final double tau;
    private final double initialTemperature;
    private final double targetEntropyCoef;
    private final double likelihoodWeight;
    private final double beta;
    private final double interpolationStart;
    private final double interpolationEpochs;
    private final double interpolationFloor;
    private final int stepsPerEpoch;
    private final double actorGradClip;
    private final double onlineRewardShift;
    private final int topEpisodes;
    private final PolicyKind policy;

    private AcaConfig(Builder b) {
        observationDim = b.observationDim;
        actionDim = b.actionDim;
        maxAction = b.maxAction;
        seed = b.seed;
        batchSize = b.batchSize;
        criticCount = b.criticCount;
        criticHidden = b.criticHidden.clone();
        policyHidden = b.policyHidden.clone();
        initialization = b.initialization;
        actorLr = b.actorLr;
        criticLr = b.criticLr;
        zLr = b.zLr;
        temperatureLr = b.temperatureLr;
        discount = b.discount;
        tau = b.tau;
        initialTemperature = b.initialTemperature;
        targetEntropyCoef = b.targetEntropyCoef;
        likelihoodWeight = b.likelihoodWeight;
        beta = b.beta;
        interpolationStart = b.interpolationStart;
        interpolationEpochs = b.interpolationEpochs;
        interpolationFloor = b.interpolationFloor;
        stepsPerEpoch = b.stepsPerEpoch;
        actorGradClip = b.actorGradClip;
        onlineRewardShift = b.onlineRewardShift;
        topEpisodes = b.topEpisodes;
        policy = b.policy;
    }

    /** The policy's distribution. */
    public enum PolicyKind {
        /** {@link org.calql.policy.TanhGaussianPolicy}: a tanh-squashed Gaussian, log-std clamped to [−20, 2]. */
        TANH_GAUSSIAN,
        /**
         * {@link org.calql.policy.NonSquashedGaussianPolicy}: mean {@code tanh(μ_raw)}, state-independent log-std in
         * [−5, 0], actions not squashed (the authors' AntMaze policy).
         */
        NON_SQUASHED_GAUSSIAN
    }

    /**
     * The per-dataset settings of the authors' {@code configs/online} and {@code configs/offline} (their D4RL
     * families): β, interpolation {@code (start, epochs, floor)}, top episodes seeding the replay, target-entropy
     * coefficient and, for AntMaze, the online reward shift. The ML weight is 30 in every offline config.
     */
    public enum Preset {
        /** {@code mjc_r}: β 7, interpolation (1, 10, 0), no top episodes. */
        MUJOCO_RANDOM(7, 1, 10, 0, 0, 1.0, 0.0, PolicyKind.TANH_GAUSSIAN),
        /** {@code mjc_m}: β 7, interpolation (1, 40, 0.5), no top episodes. */
        MUJOCO_MEDIUM(7, 1, 40, 0.5, 0, 1.0, 0.0, PolicyKind.TANH_GAUSSIAN),
        /** {@code mjc_mr}: β 7, interpolation (1, 40, 0.5), 50 top episodes. */
        MUJOCO_MEDIUM_REPLAY(7, 1, 40, 0.5, 50, 1.0, 0.0, PolicyKind.TANH_GAUSSIAN),
        /** {@code mjc_me}: β 15, interpolation (1, 100, 1) (w stays 1), 50 top episodes. */
        MUJOCO_MEDIUM_EXPERT(15, 1, 100, 1, 50, 1.0, 0.0, PolicyKind.TANH_GAUSSIAN),
        /** {@code mjc_e}: β 15, interpolation (1, 100, 1) (w stays 1), 50 top episodes. */
        MUJOCO_EXPERT(15, 1, 100, 1, 50, 1.0, 0.0, PolicyKind.TANH_GAUSSIAN),
        /**
         * {@code antmaze}: β 3, interpolation (1, 200, 0.5), no top episodes, target entropy {@code −0.5·|A|}, and
         * the online reward shift −1 (their {@code ConstantShiftRewardScaler(−1)}, online only). Its policy is
         * their AntMaze policy, {@link PolicyKind#NON_SQUASHED_GAUSSIAN} (state-independent log-std in
         * {@code [−5, 0]}, actions not squashed).
         */
        ANTMAZE(3, 1, 200, 0.5, 0, 0.5, -1.0, PolicyKind.NON_SQUASHED_GAUSSIAN);

        private final double beta;
        private final double start;
        private final double epochs;
        private final double floor;
        private final int topEpisodes;
        private final double entropyCoef;
        private final double rewardShift;
        private final PolicyKind policy;

        Preset(double beta, double start, double epochs, double floor, int topEpisodes, double entropyCoef,
               double rewardShift, PolicyKind policy) {
            this.policy = policy;
            this.beta = beta;
            this.start = start;
            this.epochs = epochs;
            this.floor = floor;
            this.topEpisodes = topEpisodes;
            this.entropyCoef = entropyCoef;
            this.rewardShift = rewardShift;
        }

        /** The preset named {@code name}, case- and dash-insensitive ({@code mujoco-medium}, {@code antmaze}). */
        public static Preset named(String name) {
            String key = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Preset p : values()) {
                if (p.name().equals(key)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown ACA preset '" + name + "'; known: "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT).replace('_', '-'));
        }
    }

    /** A builder with the defaults for these dimensions. */
    public static Builder builder(int observationDim, int actionDim) {
        return new Builder(observationDim, actionDim);
    }

    /** A builder with the defaults and {@code preset}'s per-dataset settings. */
    public static Builder builder(int observationDim, int actionDim, Preset preset) {
        Objects.requireNonNull(preset, "preset");
        return new Builder(observationDim, actionDim).beta(preset.beta)
                .interpolation(preset.start, preset.epochs, preset.floor).topEpisodes(preset.topEpisodes)
                .targetEntropyCoef(preset.entropyCoef).onlineRewardShift(preset.rewardShift).policy(preset.policy);
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder(observationDim, actionDim);
        b.maxAction = maxAction;
        b.seed = seed;
        b.batchSize = batchSize;
        b.criticCount = criticCount;
        b.criticHidden = criticHidden.clone();
        b.policyHidden = policyHidden.clone();
        b.initialization = initialization;
        b.actorLr = actorLr;
        b.criticLr = criticLr;
        b.zLr = zLr;
        b.temperatureLr = temperatureLr;
        b.discount = discount;
        b.tau = tau;
        b.initialTemperature = initialTemperature;
        b.targetEntropyCoef = targetEntropyCoef;
        b.likelihoodWeight = likelihoodWeight;
        b.beta = beta;
        b.interpolationStart = interpolationStart;
        b.interpolationEpochs = interpolationEpochs;
        b.interpolationFloor = interpolationFloor;
        b.stepsPerEpoch = stepsPerEpoch;
        b.actorGradClip = actorGradClip;
        b.onlineRewardShift = onlineRewardShift;
        b.topEpisodes = topEpisodes;
        b.policy = policy;
        return b;
    }

    /** Width of an observation. */
    public int observationDim() {
        return observationDim;
    }

    /** Width of an action. */
    public int actionDim() {
        return actionDim;
    }

    /** Actions lie in {@code [−maxAction, maxAction]} (default 1). */
    public double maxAction() {
        return maxAction;
    }

    /** Seed of initial parameters and of every draw (default 0). */
    public long seed() {
        return seed;
    }

    /** Transitions per update (default 256). */
    public int batchSize() {
        return batchSize;
    }

    /** Critics {@code R_i} and state values {@code Z_i}, as many of each (default 2). */
    public int criticCount() {
        return criticCount;
    }

    /** Hidden widths of every critic and every {@code Z_i} (a copy; default {@code [256, 256]}). */
    public int[] criticHidden() {
        return criticHidden.clone();
    }

    /** Hidden widths of the policy (a copy; default {@code [256, 256]}). */
    public int[] policyHidden() {
        return policyHidden.clone();
    }

    /** Parameter initialisation (default PyTorch's, as d3rlpy's networks start). */
    public Initialization initialization() {
        return initialization;
    }

    /** Actor learning rate (default 3e-4). */
    public double actorLr() {
        return actorLr;
    }

    /** Critic learning rate (default 3e-4). */
    public double criticLr() {
        return criticLr;
    }

    /** Learning rate of the {@code Z_i} ensemble (default 3e-4, their {@code baseline_learning_rate}). */
    public double zLr() {
        return zLr;
    }

    /** Temperature learning rate (default 3e-4); 0 keeps α fixed. */
    public double temperatureLr() {
        return temperatureLr;
    }

    /** Discount γ (default 0.99). */
    public double discount() {
        return discount;
    }

    /** Soft target step τ after every update (default 0.005). */
    public double tau() {
        return tau;
    }

    /** α before any update (default 1). */
    public double initialTemperature() {
        return initialTemperature;
    }

    /** Target entropy {@code −coef·actionDim}: this coefficient (default 1; AntMaze 0.5). */
    public double targetEntropyCoef() {
        return targetEntropyCoef;
    }

    /** The temperature's target entropy, {@code −targetEntropyCoef·actionDim}. */
    public double targetEntropy() {
        return -targetEntropyCoef * actionDim;
    }

    /** {@code w_ML} in the offline actor's {@code λ = w_ML / mean|Q|} (default 30, their {@code alpha}). */
    public double likelihoodWeight() {
        return likelihoodWeight;
    }

    /** Width of the smooth floor: {@code c(s) = min log π₀(tanh(μ₀ ± β·σ₀) | s)} (default 1). */
    public double beta() {
        return beta;
    }

    /** w at the start of fine-tuning (default 1). */
    public double interpolationStart() {
        return interpolationStart;
    }

    /**
     * Epochs (of {@link #stepsPerEpoch()} updates) over which w would fall from its start to 0 (default 100): each
     * online update takes {@code start / (epochs·stepsPerEpoch)} off w, never below {@link #interpolationFloor()}.
     */
    public double interpolationEpochs() {
        return interpolationEpochs;
    }

    /** The floor of w (default 1: w stays at 1). */
    public double interpolationFloor() {
        return interpolationFloor;
    }

    /** Updates per epoch of the interpolation (default 1000, hard-coded in the authors' code). */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** Online actor gradient norm clip (default 0.25); infinite turns clipping off. */
    public double actorGradClip() {
        return actorGradClip;
    }

    /** Added to every reward of online updates (default 0; AntMaze −1). */
    public double onlineRewardShift() {
        return onlineRewardShift;
    }

    /** Highest-return offline episodes copied into the empty online replay at alignment (default 0). */
    public int topEpisodes() {
        return topEpisodes;
    }

    /** The policy's distribution (default {@link PolicyKind#TANH_GAUSSIAN}; AntMaze non-squashed). */
    public PolicyKind policy() {
        return policy;
    }

    @Override
    public String toString() {
        return "AcaConfig[obs " + observationDim + ", act " + actionDim + ", maxAction " + maxAction + ", seed "
                + seed + ", batch " + batchSize + ", critics " + criticCount + "x" + Arrays.toString(criticHidden)
                + ", policy " + Arrays.toString(policyHidden) + ", " + initialization + ", lr actor " + actorLr
                + " critic " + criticLr + " z " + zLr + " temperature " + temperatureLr + ", γ " + discount + ", τ "
                + tau + ", α0 " + initialTemperature + ", entropy coef " + targetEntropyCoef + ", w_ML "
                + likelihoodWeight + ", β " + beta + ", interpolation (" + interpolationStart + ", "
                + interpolationEpochs + ", " + interpolationFloor + ")/" + stepsPerEpoch + ", clip " + actorGradClip
                + ", online reward shift " + onlineRewardShift + ", top episodes " + topEpisodes + ", policy " + policy + "]";
    }

    /** Builder of an {@link AcaConfig}; {@link #build()} validates, naming the field, the value and the rule. */
    public static final class Builder {
        private final int observationDim;
        private final int actionDim;
        private double maxAction = 1.0;
        private long seed;
        private int batchSize = 256;
        private int criticCount = 2;
        private int[] criticHidden = {256, 256};
        private int[] policyHidden = {256, 256};
        private Initialization initialization = Initialization.PYTORCH_DEFAULT;
        private double actorLr = 3e-4;
        private double criticLr = 3e-4;
        private double zLr = 3e-4;
        private double temperatureLr = 3e-4;
        private double discount = 0.99;
        private double tau = 0.005;
        private double initialTemperature = 1.0;
        private double targetEntropyCoef = 1.0;
        private double likelihoodWeight = 30.0;
        private double beta = 1.0;
        private double interpolationStart = 1.0;
        private double interpolationEpochs = 100.0;
        private double interpolationFloor = 1.0;
        private int stepsPerEpoch = 1000;
        private double actorGradClip = 0.25;
        private double onlineRewardShift;
        private int topEpisodes;
        private PolicyKind policy = PolicyKind.TANH_GAUSSIAN;

        private Builder(int observationDim, int actionDim) {
            this.observationDim = observationDim;
            this.actionDim = actionDim;
        }

        /** See {@link AcaConfig#maxAction()}. */
        public Builder maxAction(double v) {
            maxAction = v;
            return this;
        }

        /** See {@link AcaConfig#seed()}. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** See {@link AcaConfig#batchSize()}. */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** See {@link AcaConfig#criticCount()}. */
        public Builder criticCount(int v) {
            criticCount = v;
            return this;
        }

        /** See {@link AcaConfig#criticHidden()}. */
        public Builder criticHidden(int... v) {
            criticHidden = v == null ? null : v.clone();
            return this;
        }

        /** See {@link AcaConfig#policyHidden()}. */
        public Builder policyHidden(int... v) {
            policyHidden = v == null ? null : v.clone();
            return this;
        }

        /** See {@link AcaConfig#initialization()}. */
        public Builder initialization(Initialization v) {
            initialization = v;
            return this;
        }

        /** See {@link AcaConfig#actorLr()}. */
        public Builder actorLr(double v) {
            actorLr = v;
            return this;
        }

        /** See {@link AcaConfig#criticLr()}. */
        public Builder criticLr(double v) {
            criticLr = v;
            return this;
        }

        /** See {@link AcaConfig#zLr()}. */
        public Builder zLr(double v) {
            zLr = v;
            return this;
        }

        /** See {@link AcaConfig#temperatureLr()}. */
        public Builder temperatureLr(double v) {
            temperatureLr = v;
            return this;
        }

        /** See {@link AcaConfig#discount()}. */
        public Builder discount(double v) {
            discount = v;
            return this;
        }

        /** See {@link AcaConfig#tau()}. */
        public Builder tau(double v) {
            tau = v;
            return this;
        }

        /** See {@link AcaConfig#initialTemperature()}. */
        public Builder initialTemperature(double v) {
            initialTemperature = v;
            return this;
        }

        /** See {@link AcaConfig#targetEntropyCoef()}. */
        public Builder targetEntropyCoef(double v) {
            targetEntropyCoef = v;
            return this;
        }

        /** See {@link AcaConfig#likelihoodWeight()}. */
        public Builder likelihoodWeight(double v) {
            likelihoodWeight = v;
            return this;
        }

        /** See {@link AcaConfig#beta()}. */
        public Builder beta(double v) {
            beta = v;
            return this;
        }

        /** The interpolation {@code (start, epochs, floor)} of w; see {@link AcaConfig#interpolationEpochs()}. */
        public Builder interpolation(double start, double epochs, double floor) {
            interpolationStart = start;
            interpolationEpochs = epochs;
            interpolationFloor = floor;
            return this;
        }

        /** See {@link AcaConfig#stepsPerEpoch()}. */
        public Builder stepsPerEpoch(int v) {
            stepsPerEpoch = v;
            return this;
        }

        /** See {@link AcaConfig#actorGradClip()}. */
        public Builder actorGradClip(double v) {
            actorGradClip = v;
            return this;
        }

        /** See {@link AcaConfig#onlineRewardShift()}. */
        public Builder onlineRewardShift(double v) {
            onlineRewardShift = v;
            return this;
        }

        /** See {@link AcaConfig#topEpisodes()}. */
        public Builder topEpisodes(int v) {
            topEpisodes = v;
            return this;
        }

        /** See {@link AcaConfig#policy()}. */
        public Builder policy(PolicyKind v) {
            policy = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the field, the value and the rule */
        public AcaConfig build() {
            if (policy == null) {
                throw new IllegalArgumentException("policy must not be null");
            }
            positive("observationDim", observationDim);
            positive("actionDim", actionDim);
            positiveFinite("maxAction", maxAction);
            positive("batchSize", batchSize);
            positive("criticCount", criticCount);
            hidden("criticHidden", criticHidden);
            hidden("policyHidden", policyHidden);
            if (initialization == null) {
                throw new IllegalArgumentException("initialization must not be null");
            }
            positiveFinite("actorLr", actorLr);
            positiveFinite("criticLr", criticLr);
            positiveFinite("zLr", zLr);
            nonNegativeFinite("temperatureLr", temperatureLr);
            if (!(discount >= 0 && discount < 1)) {
                throw new IllegalArgumentException("discount must be in [0, 1), found " + discount);
            }
            if (!(tau > 0 && tau <= 1)) {
                throw new IllegalArgumentException("tau must be in (0, 1], found " + tau);
            }
            positiveFinite("initialTemperature", initialTemperature);
            finite("targetEntropyCoef", targetEntropyCoef);
            positiveFinite("likelihoodWeight", likelihoodWeight);
            positiveFinite("beta", beta);
            positiveFinite("interpolationStart", interpolationStart);
            positiveFinite("interpolationEpochs", interpolationEpochs);
            nonNegativeFinite("interpolationFloor", interpolationFloor);
            if (interpolationFloor > interpolationStart) {
                throw new IllegalArgumentException("interpolationFloor must not exceed interpolationStart "
                        + interpolationStart + ", found " + interpolationFloor);
            }
            positive("stepsPerEpoch", stepsPerEpoch);
            if (!(actorGradClip > 0)) {
                throw new IllegalArgumentException("actorGradClip must be positive (infinite for no clipping), found "
                        + actorGradClip);
            }
            finite("onlineRewardShift", onlineRewardShift);
            if (topEpisodes < 0) {
                throw new IllegalArgumentException("topEpisodes must be >= 0, found " + topEpisodes);
            }
            return new AcaConfig(this);
        }

        private static void positive(String field, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(field + " must be positive, found " + v);
            }
        }

        private static void hidden(String field, int[] widths) {
            if (widths == null || widths.length == 0) {
                throw new IllegalArgumentException(field + " must hold at least one width, found "
                        + Arrays.toString(widths));
            }
            for (int i = 0; i < widths.length; i++) {
                if (widths[i] <= 0) {
                    throw new IllegalArgumentException(field + "[" + i + "] must be positive, found " + widths[i]);
                }
            }
        }

        private static void finite(String field, double v) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(field + " must be finite, found " + v);
            }
        }

        private static void positiveFinite(String field, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(field + " must be positive and finite, found " + v);
            }
        }

        private static void nonNegativeFinite(String field, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(field + " must be >= 0 and finite, found " + v);
            }
        }
    }
}
