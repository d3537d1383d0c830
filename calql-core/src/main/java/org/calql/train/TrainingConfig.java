package org.calql.train;

/**
 * How an agent prepares data and runs its two phases. Immutable; build with {@link #builder()}.
 *
 * <p>Calibration during fine-tuning stays on by default, as in the Cal-QL authors' code: when an online
 * episode ends its transitions get their Monte-Carlo returns, so {@code V_ref} is known for online data
 * too. {@link Builder#calibrateOnline(boolean) calibrateOnline(false)} switches it off online instead
 * (CORL's choice), making fine-tuning plain CQL with the pre-trained initialisation.
 */
public final class TrainingConfig {
    private final double rewardScale;
    private final double rewardBias;
    private final double sparseFailureReward;
    private final boolean normalizeObservations;
    private final int replayCapacity;
    private final double mixingRatio;
    private final int updatesPerEnvironmentStep;
    private final double onlineCqlAlpha;
    private final boolean calibrateOnline;
    private final int randomExplorationSteps;
    private final int evaluationEpisodes;
    private final int pretrainEvaluationInterval;
    private final int finetuneEvaluationInterval;
    private final int maxEpisodeSteps;
    private final UpdateSchedule updateSchedule;
    private final boolean onlineConservative;
    private final boolean evaluateAtPhaseBoundaries;
    private final boolean resetCriticOptimizerOnline;
    private final boolean endEpisodeAtSuccess;

    private TrainingConfig(Builder b) {
        this.rewardScale = b.rewardScale;
        this.rewardBias = b.rewardBias;
        this.sparseFailureReward = b.sparseFailureReward;
        this.normalizeObservations = b.normalizeObservations;
        this.replayCapacity = b.replayCapacity;
        this.mixingRatio = b.mixingRatio;
        this.updatesPerEnvironmentStep = b.updatesPerEnvironmentStep;
        this.onlineCqlAlpha = b.onlineCqlAlpha;
        this.calibrateOnline = b.calibrateOnline;
        this.randomExplorationSteps = b.randomExplorationSteps;
        this.evaluationEpisodes = b.evaluationEpisodes;
        this.pretrainEvaluationInterval = b.pretrainEvaluationInterval;
        this.finetuneEvaluationInterval = b.finetuneEvaluationInterval;
        this.maxEpisodeSteps = b.maxEpisodeSteps;
        this.updateSchedule = b.updateSchedule;
        this.onlineConservative = b.onlineConservative;
        this.evaluateAtPhaseBoundaries = b.evaluateAtPhaseBoundaries;
        this.resetCriticOptimizerOnline = b.resetCriticOptimizerOnline;
        this.endEpisodeAtSuccess = b.endEpisodeAtSuccess;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static TrainingConfig defaults() {
        return builder().build();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.rewardScale = rewardScale;
        b.rewardBias = rewardBias;
        b.sparseFailureReward = sparseFailureReward;
        b.normalizeObservations = normalizeObservations;
        b.replayCapacity = replayCapacity;
        b.mixingRatio = mixingRatio;
        b.updatesPerEnvironmentStep = updatesPerEnvironmentStep;
        b.onlineCqlAlpha = onlineCqlAlpha;
        b.calibrateOnline = calibrateOnline;
        b.randomExplorationSteps = randomExplorationSteps;
        b.evaluationEpisodes = evaluationEpisodes;
        b.pretrainEvaluationInterval = pretrainEvaluationInterval;
        b.finetuneEvaluationInterval = finetuneEvaluationInterval;
        b.maxEpisodeSteps = maxEpisodeSteps;
        b.updateSchedule = updateSchedule;
        b.onlineConservative = onlineConservative;
        b.evaluateAtPhaseBoundaries = evaluateAtPhaseBoundaries;
        b.resetCriticOptimizerOnline = resetCriticOptimizerOnline;
        b.endEpisodeAtSuccess = endEpisodeAtSuccess;
        return b;
    }

    /** Reward scale {@code s} of {@code r' = s·r + b}, applied before returns (default 1). */
    public double rewardScale() {
        return rewardScale;
    }

    /** Reward bias {@code b} of {@code r' = s·r + b} (default 0). */
    public double rewardBias() {
        return rewardBias;
    }

    /**
     * Failure reward of the sparse-reward rule in transformed units (an episode whose every reward equals it
     * gets {@code r/(1−γ)} throughout), or NaN when the rule is off (default).
     */
    public double sparseFailureReward() {
        return sparseFailureReward;
    }

    /**
     * Normalise observations by the offline data's mean and std in training, fine-tuning and acting (default
     * true). The default is kept from CORL's {@code TrainConfig} ({@code normalize: bool = True},
     * {@code algorithms/finetune/cal_ql.py} line 62), which suits dense-reward tasks with unscaled state features
     * and the demo's environments; the Cal-QL authors never normalise ({@code JaxCQL/replay_buffer.py} has no such
     * step) and CORL's AntMaze and Adroit configs set {@code normalize: false}, so the presets in
     * {@link org.calql.config.Presets} switch it off.
     */
    public boolean normalizeObservations() {
        return normalizeObservations;
    }

    /** Capacity of the online replay ring (default 1,000,000). */
    public int replayCapacity() {
        return replayCapacity;
    }

    /**
     * Fraction of each fine-tuning batch drawn from the offline data, in [0, 1]; NaN means proportional to
     * the sizes of the offline data and the replay (default 0.5, as the authors' {@code run_antmaze.sh} and
     * {@code run_adroit.sh}; their code's own default, {@code mixing_ratio=-1}, is the proportional rule).
     */
    public double mixingRatio() {
        return mixingRatio;
    }

    /** Updates per environment step during fine-tuning, the UTD ratio (default 1). */
    public int updatesPerEnvironmentStep() {
        return updatesPerEnvironmentStep;
    }

    /** CQL α during fine-tuning; NaN keeps the pre-training value (default NaN). */
    public double onlineCqlAlpha() {
        return onlineCqlAlpha;
    }

    /** Keep Cal-QL's calibration on during fine-tuning (default true; see the class doc). */
    public boolean calibrateOnline() {
        return calibrateOnline;
    }

    /** Fine-tuning steps at the start that act uniformly at random (default 0). */
    public int randomExplorationSteps() {
        return randomExplorationSteps;
    }

    /** Episodes per evaluation (default 5). */
    public int evaluationEpisodes() {
        return evaluationEpisodes;
    }

    /** Evaluate every this many pre-training updates; 0 = never (default 0). */
    public int pretrainEvaluationInterval() {
        return pretrainEvaluationInterval;
    }

    /** Evaluate every this many fine-tuning environment steps; 0 = never (default 0). */
    public int finetuneEvaluationInterval() {
        return finetuneEvaluationInterval;
    }

    /**
     * The longest fine-tuning episode: an episode that reaches {@code min(maxEpisodeSteps, replayCapacity,
     * environment.maxEpisodeSteps())} steps without terminating is truncated there (it bootstraps, as a time limit
     * does), so an environment that never ends an episode still feeds the replay, and the staging of an unfinished
     * episode stays within the replay's capacity. Default 1000.
     */
    public int maxEpisodeSteps() {
        return maxEpisodeSteps;
    }

    /** When fine-tuning updates run (default {@link UpdateSchedule#PER_STEP}); see {@link UpdateSchedule}. */
    public UpdateSchedule updateSchedule() {
        return updateSchedule;
    }

    /**
     * Keep the conservative term during fine-tuning (default true). False is the authors' {@code
     * online_use_cql=False} ({@code JaxCQL/conservative_sac_main.py} lines 133-139): conservative pre-training,
     * then plain SAC online. At the switch the update's CQL α becomes 0 and the Lagrange multiplier stops
     * being tuned (the authors drop {@code log_alpha_prime} from the trained keys): the critic loss is the TD
     * loss alone, the actor and temperature losses are SAC's, and the reported α' is 0. The penalty's sampled
     * actions are still drawn and evaluated (they cost compute) but weigh nothing. Cannot be combined with a positive {@link #onlineCqlAlpha()}.
     */
    public boolean onlineConservative() {
        return onlineConservative;
    }

    /**
     * Also evaluate before the first pre-training update (step 0), after the last update of every {@code
     * pretrain} call, and before the first fine-tuning step of an agent that was never pre-trained, as the
     * authors' loop does at {@code epoch == 0} and {@code epoch == n_pretrain_epochs}
     * ({@code JaxCQL/conservative_sac_main.py} lines 141-149); an evaluation the interval already made at that
     * step is not repeated. Needs an evaluation environment (default false).
     */
    public boolean evaluateAtPhaseBoundaries() {
        return evaluateAtPhaseBoundaries;
    }

    /**
     * Reset the critics' Adam state (moments and step count) when fine-tuning starts, once, at the switch to
     * online (default false: the optimizer carries over, as in the authors' code and CORL). A checkpoint saved
     * online is not reset again when it is loaded and resumed.
     */
    public boolean resetCriticOptimizerOnline() {
        return resetCriticOptimizerOnline;
    }

    /**
     * End a fine-tuning episode as terminal on the first step whose {@link org.calql.env.StepResult#success()}
     * is set (default false). The authors' sampler does this for Adroit ({@code JaxCQL/sampler.py} lines 31-35:
     * {@code if env_infos['goal_achieved']: done=True}); the step is stored with {@code done = 1}.
     * Evaluation episodes are not affected.
     */
    public boolean endEpisodeAtSuccess() {
        return endEpisodeAtSuccess;
    }

    @Override
    public String toString() {
        return "TrainingConfig{rewardScale=" + rewardScale + ", rewardBias=" + rewardBias
                + ", sparseFailureReward=" + sparseFailureReward + ", normalizeObservations=" + normalizeObservations
                + ", replayCapacity=" + replayCapacity + ", mixingRatio=" + mixingRatio
                + ", updatesPerEnvironmentStep=" + updatesPerEnvironmentStep + ", onlineCqlAlpha=" + onlineCqlAlpha
                + ", calibrateOnline=" + calibrateOnline + ", randomExplorationSteps=" + randomExplorationSteps
                + ", evaluationEpisodes=" + evaluationEpisodes + ", pretrainEvaluationInterval="
                + pretrainEvaluationInterval + ", finetuneEvaluationInterval=" + finetuneEvaluationInterval
                + ", maxEpisodeSteps=" + maxEpisodeSteps + ", updateSchedule=" + updateSchedule
                + ", onlineConservative=" + onlineConservative + ", evaluateAtPhaseBoundaries="
                + evaluateAtPhaseBoundaries + ", resetCriticOptimizerOnline=" + resetCriticOptimizerOnline
                + ", endEpisodeAtSuccess=" + endEpisodeAtSuccess + "}";
    }

    /** Builder of a {@link TrainingConfig}; {@link #build()} validates. */
    public static final class Builder {
        private double rewardScale = 1.0;
        private double rewardBias = 0.0;
        private double sparseFailureReward = Double.NaN;
        private boolean normalizeObservations = true;
        private int replayCapacity = 1_000_000;
        private double mixingRatio = 0.5;
        private int updatesPerEnvironmentStep = 1;
        private double onlineCqlAlpha = Double.NaN;
        private boolean calibrateOnline = true;
        private int randomExplorationSteps = 0;
        private int evaluationEpisodes = 5;
        private int pretrainEvaluationInterval = 0;
        private int finetuneEvaluationInterval = 0;
        private int maxEpisodeSteps = 1000;
        private UpdateSchedule updateSchedule = UpdateSchedule.PER_STEP;
        private boolean onlineConservative = true;
        private boolean evaluateAtPhaseBoundaries = false;
        private boolean resetCriticOptimizerOnline = false;
        private boolean endEpisodeAtSuccess = false;

        private Builder() {
        }

        /** See {@link TrainingConfig#updateSchedule()}. */
        public Builder updateSchedule(UpdateSchedule v) {
            updateSchedule = v;
            return this;
        }

        /** See {@link TrainingConfig#onlineConservative()}. */
        public Builder onlineConservative(boolean v) {
            onlineConservative = v;
            return this;
        }

        /** See {@link TrainingConfig#evaluateAtPhaseBoundaries()}. */
        public Builder evaluateAtPhaseBoundaries(boolean v) {
            evaluateAtPhaseBoundaries = v;
            return this;
        }

        /** See {@link TrainingConfig#resetCriticOptimizerOnline()}. */
        public Builder resetCriticOptimizerOnline(boolean v) {
            resetCriticOptimizerOnline = v;
            return this;
        }

        /** See {@link TrainingConfig#endEpisodeAtSuccess()}. */
        public Builder endEpisodeAtSuccess(boolean v) {
            endEpisodeAtSuccess = v;
            return this;
        }

        /** See {@link TrainingConfig#rewardScale()}. */
        public Builder rewardScale(double v) {
            rewardScale = v;
            return this;
        }

        /** See {@link TrainingConfig#rewardBias()}. */
        public Builder rewardBias(double v) {
            rewardBias = v;
            return this;
        }

        /** See {@link TrainingConfig#sparseFailureReward()}. */
        public Builder sparseFailureReward(double v) {
            sparseFailureReward = v;
            return this;
        }

        /** See {@link TrainingConfig#normalizeObservations()}. */
        public Builder normalizeObservations(boolean v) {
            normalizeObservations = v;
            return this;
        }

        /** See {@link TrainingConfig#replayCapacity()}. */
        public Builder replayCapacity(int v) {
            replayCapacity = v;
            return this;
        }

        /** See {@link TrainingConfig#mixingRatio()}. */
        public Builder mixingRatio(double v) {
            mixingRatio = v;
            return this;
        }

        /** Draw offline and online rows in proportion to the two sizes. */
        public Builder proportionalMixing() {
            mixingRatio = Double.NaN;
            return this;
        }

        /** See {@link TrainingConfig#updatesPerEnvironmentStep()}. */
        public Builder updatesPerEnvironmentStep(int v) {
            updatesPerEnvironmentStep = v;
            return this;
        }

        /** See {@link TrainingConfig#onlineCqlAlpha()}. */
        public Builder onlineCqlAlpha(double v) {
            onlineCqlAlpha = v;
            return this;
        }

        /** See {@link TrainingConfig#calibrateOnline()}. */
        public Builder calibrateOnline(boolean v) {
            calibrateOnline = v;
            return this;
        }

        /** See {@link TrainingConfig#randomExplorationSteps()}. */
        public Builder randomExplorationSteps(int v) {
            randomExplorationSteps = v;
            return this;
        }

        /** See {@link TrainingConfig#evaluationEpisodes()}. */
        public Builder evaluationEpisodes(int v) {
            evaluationEpisodes = v;
            return this;
        }

        /** See {@link TrainingConfig#pretrainEvaluationInterval()}. */
        public Builder pretrainEvaluationInterval(int v) {
            pretrainEvaluationInterval = v;
            return this;
        }

        /** See {@link TrainingConfig#finetuneEvaluationInterval()}. */
        public Builder finetuneEvaluationInterval(int v) {
            finetuneEvaluationInterval = v;
            return this;
        }

        /** See {@link TrainingConfig#maxEpisodeSteps()}. */
        public Builder maxEpisodeSteps(int v) {
            maxEpisodeSteps = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field, the value and the rule
         */
        public TrainingConfig build() {
            finite("rewardScale", rewardScale);
            finite("rewardBias", rewardBias);
            if (Double.isInfinite(sparseFailureReward)) {
                throw new IllegalArgumentException("sparseFailureReward must be finite or NaN (off), found "
                        + sparseFailureReward);
            }
            positive("replayCapacity", replayCapacity);
            if (!Double.isNaN(mixingRatio) && !(mixingRatio >= 0 && mixingRatio <= 1)) {
                throw new IllegalArgumentException("mixingRatio must lie in [0, 1] (or be proportional), found "
                        + mixingRatio);
            }
            positive("updatesPerEnvironmentStep", updatesPerEnvironmentStep);
            if (!Double.isNaN(onlineCqlAlpha) && !(onlineCqlAlpha >= 0 && Double.isFinite(onlineCqlAlpha))) {
                throw new IllegalArgumentException("onlineCqlAlpha must be finite and not negative (or NaN to keep"
                        + " the offline value), found " + onlineCqlAlpha);
            }
            notNegative("randomExplorationSteps", randomExplorationSteps);
            positive("evaluationEpisodes", evaluationEpisodes);
            notNegative("pretrainEvaluationInterval", pretrainEvaluationInterval);
            notNegative("finetuneEvaluationInterval", finetuneEvaluationInterval);
            positive("maxEpisodeSteps", maxEpisodeSteps);
            if (updateSchedule == null) {
                throw new IllegalArgumentException("updateSchedule must not be null (PER_STEP or PER_EPISODE)");
            }
            if (!onlineConservative && !Double.isNaN(onlineCqlAlpha) && onlineCqlAlpha > 0) {
                throw new IllegalArgumentException("onlineConservative=false (plain SAC online) excludes a positive"
                        + " onlineCqlAlpha, found onlineCqlAlpha=" + onlineCqlAlpha);
            }
            return new TrainingConfig(this);
        }

        private static void finite(String field, double v) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(field + " must be finite, found " + v);
            }
        }

        private static void positive(String field, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(field + " must be positive, found " + v);
            }
        }

        private static void notNegative(String field, int v) {
            if (v < 0) {
                throw new IllegalArgumentException(field + " must not be negative, found " + v);
            }
        }
    }
}
