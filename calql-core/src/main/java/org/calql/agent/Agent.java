package org.calql.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.calql.config.CalQlConfig;
import org.calql.data.MixedSampler;
import org.calql.data.ObservationNormalizer;
import org.calql.data.OfflineDataset;
import org.calql.data.OfflineSampler;
import org.calql.data.PreparedDataset;
import org.calql.data.ReplayBuffer;
import org.calql.data.ReplaySampler;
import org.calql.data.RewardTransform;
import org.calql.data.TransitionBatch;
import org.calql.data.TransitionSampler;
import org.calql.env.ActionScaling;
import org.calql.env.Environment;
import org.calql.env.StepResult;
import org.calql.policy.PolicyPass;
import org.calql.policy.TanhGaussian;
import org.calql.random.Rng;
import org.calql.random.UpdateDraws;
import org.calql.regularizer.Calibration;
import org.calql.regularizer.CqlRegularizer;
import org.calql.spi.Backend;
import org.calql.train.EpisodeResult;
import org.calql.train.EvaluationResult;
import org.calql.train.Phase;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingListener;
import org.calql.update.UpdateResult;
import org.calql.update.UpdateStep;

/**
 * A Cal-QL / CQL agent: offline pre-training, online fine-tuning, acting and checkpoints.
 *
 * <pre>{@code
 * Agent agent = Agent.create(config, Backends.best());
 * agent.pretrain(dataset, 100_000, listener);
 * agent.finetune(environment, 100_000, listener);
 * double[] action = agent.policy().act(observation);
 * agent.save(dir);
 * }</pre>
 *
 * <p>Datasets hold actions in the policy's range {@code [−maxAction, maxAction]}; environments' box bounds
 * are mapped to that range. Observations are normalised by the offline data's mean and std (when
 * {@link TrainingConfig#normalizeObservations()}), identically in training, fine-tuning and acting, and the
 * normaliser is saved with the agent. All randomness comes from generators seeded by
 * {@link CalQlConfig#seed()} and saved in checkpoints, so training resumed from a checkpoint continues bit
 * for bit as training that never stopped (fine-tuning resumes at an episode boundary: every
 * {@code finetune} call ends its last, unfinished episode as a data break).
 *
 * <p>Not thread-safe, except {@link #policy()}.
 */
public final class Agent {
    private final CalQlConfig config;
    private final TrainingConfig training;
    private final UpdateStep step;
    private final Rng drawRng;
    private final Rng sampleRng;
    private final Rng environmentRng;
    private final TransitionBatch batch;
    private final InferencePolicy inference;
    private final Evaluator evaluator;
    private ObservationNormalizer normalizer;
    private ReplayBuffer replay;
    private OfflineDataset offlineData;
    private PreparedDataset prepared;
    private boolean onlinePhase;
    private long pretrainUpdates;
    private long finetuneUpdates;
    private long finetuneSteps;
    private long finetuneEpisodes;
    private long finetuneFailures;

    private final PolicyPass actPass;
    private final double[] actObservation;
    private final double[] actNoise;
    private final double[] actAction;
    private final double[] actSquashed;
    private final double[] actLogProb = new double[1];

    private Agent(CalQlConfig config, TrainingConfig training, Backend backend) {
        this.config = config;
        this.training = training;
        Rng root = new Rng(config.seed());
        this.drawRng = root.split();
        this.sampleRng = root.split();
        this.environmentRng = root.split();
        this.step = new UpdateStep(config, backend, UpdateDraws.from(drawRng));
        this.batch = new TransitionBatch(config.batchSize(), config.observationDim(), config.actionDim());
        this.normalizer = ObservationNormalizer.identity(config.observationDim());
        this.inference = new InferencePolicy(step.policy(), normalizer);
        this.evaluator = new Evaluator(step, config, training);
        this.actPass = step.policy().newPass(1);
        this.actObservation = new double[config.observationDim()];
        this.actNoise = new double[config.actionDim()];
        this.actAction = new double[config.actionDim()];
        this.actSquashed = new double[config.actionDim()];
    }

    /** An agent with default training settings. */
    public static Agent create(CalQlConfig config, Backend backend) {
        return create(config, TrainingConfig.defaults(), backend);
    }

    /** An agent whose networks run on {@code backend}, initialised from {@code config.seed()}. */
    public static Agent create(CalQlConfig config, TrainingConfig training, Backend backend) {
        if (config == null || training == null || backend == null) {
            throw new IllegalArgumentException("config, training and backend must not be null");
        }
        return new Agent(config, training, backend);
    }

    /**
     * Loads an agent saved with {@link #save(Path)}; its networks run on {@code backend}.
     *
     * @throws IOException if the file is missing, truncated, corrupt, of another format version, or needs a
     *                     config (a custom regularizer or reference) — nothing is half-loaded
     */
    public static Agent load(Path directory, Backend backend) throws IOException {
        return Checkpoints.load(directory, backend, null);
    }

    /**
     * Loads an agent saved with {@link #save(Path)}, using {@code config} (which must have the saved one's
     * dimensions and network shapes) — needed when the agent used a custom regularizer or reference values.
     *
     * @throws IOException if the file cannot be read or does not fit {@code config}; nothing is half-loaded
     */
    public static Agent load(Path directory, Backend backend, CalQlConfig config) throws IOException {
        return Checkpoints.load(directory, backend, config);
    }

    /**
     * Writes everything needed to resume (config, networks, optimizer states, temperatures, normaliser, replay,
     * random generator states, counters) to {@code directory/agent.calql}, atomically: a failure leaves any
     * earlier file in place.
     */
    public void save(Path directory) throws IOException {
        Checkpoints.save(this, directory);
    }

    /** The validated configuration. */
    public CalQlConfig config() {
        return config;
    }

    /** The training settings. */
    public TrainingConfig trainingConfig() {
        return training;
    }

    /** The deterministic, thread-safe policy for deployment. */
    public InferencePolicy policy() {
        return inference;
    }

    /** The deterministic action for a raw observation (see {@link InferencePolicy#act(double[])}). */
    public double[] act(double[] observation) {
        return inference.act(observation);
    }

    /** The observation normaliser (identity until the first dataset is seen, unless disabled). */
    public ObservationNormalizer normalizer() {
        return normalizer;
    }

    /** Pre-training updates so far. */
    public long pretrainUpdates() {
        return pretrainUpdates;
    }

    /** Fine-tuning environment steps so far. */
    public long finetuneSteps() {
        return finetuneSteps;
    }

    /** Mean of {@code 1 − success} over fine-tuning episodes so far (NaN before the first). */
    public double cumulativeRegret() {
        return finetuneEpisodes == 0 ? Double.NaN : (double) finetuneFailures / finetuneEpisodes;
    }

    /**
     * One update on a batch the caller filled (observations already normalised as the caller wishes).
     *
     * @throws IllegalArgumentException if the batch does not fit the config or holds NaN/Inf (nothing changes)
     */
    public UpdateResult update(TransitionBatch batch) {
        return step.update(batch);
    }

    /** Pre-trains on {@code dataset} for {@code steps} updates without evaluations. */
    public void pretrain(OfflineDataset dataset, long steps, TrainingListener listener) {
        pretrain(dataset, steps, null, listener);
    }

    /**
     * Pre-trains on {@code dataset} for {@code steps} updates, evaluating on {@code evaluationEnvironment} (may
     * be null) every {@link TrainingConfig#pretrainEvaluationInterval()} updates.
     *
     * @throws IllegalArgumentException if the dataset's or environment's dimensions do not match the config
     */
    public void pretrain(OfflineDataset dataset, long steps, Environment evaluationEnvironment,
                         TrainingListener listener) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must not be negative, found " + steps);
        }
        useOfflineData(dataset);
        if (evaluationEnvironment != null) {
            checkEnvironment(evaluationEnvironment);
        }
        TrainingListener l = listener == null ? TrainingListener.none() : listener;
        OfflineSampler sampler = new OfflineSampler(prepared, normalizer);
        int interval = training.pretrainEvaluationInterval();
        for (long i = 0; i < steps; i++) {
            sampler.sample(batch, sampleRng);
            UpdateResult r = step.update(batch);
            pretrainUpdates++;
            l.onUpdate(Phase.PRETRAIN, pretrainUpdates, r);
            if (evaluationEnvironment != null && interval > 0 && pretrainUpdates % interval == 0) {
                l.onEvaluation(evaluate(evaluationEnvironment, Phase.PRETRAIN, pretrainUpdates));
            }
        }
    }

    /**
     * Fine-tunes on {@code environment} with the offline data of the last {@code pretrain} call (if any), without
     * evaluations.
     */
    public void finetune(Environment environment, long steps, TrainingListener listener) {
        finetune(offlineData, environment, steps, listener);
    }

    /**
     * Fine-tunes online for {@code steps} environment steps: acts with the stochastic policy (uniformly at
     * random for the first {@link TrainingConfig#randomExplorationSteps()}), stores transitions in the replay
     * (their Monte-Carlo returns are written when each episode ends), and after each step makes
     * {@link TrainingConfig#updatesPerEnvironmentStep()} updates on batches that mix offline data (when
     * {@code dataset} is not null) and replay by {@link TrainingConfig#mixingRatio()}. No evaluations: see the
     * overload with an evaluation environment.
     *
     * @throws IllegalArgumentException if the dataset's or environment's dimensions do not match the config
     */
    public void finetune(OfflineDataset dataset, Environment environment, long steps, TrainingListener listener) {
        finetune(dataset, environment, null, steps, listener);
    }

    /**
     * As {@link #finetune(OfflineDataset, Environment, long, TrainingListener)}, evaluating every
     * {@link TrainingConfig#finetuneEvaluationInterval()} steps on {@code evaluationEnvironment} — a separate
     * instance, since evaluation runs whole episodes while training is in the middle of one (null: no
     * evaluations).
     *
     * @throws IllegalArgumentException if a dimension does not match the config, or the evaluation
     *                                  environment is the training environment itself
     */
    public void finetune(OfflineDataset dataset, Environment environment, Environment evaluationEnvironment,
                         long steps, TrainingListener listener) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must not be negative, found " + steps);
        }
        if (environment == null) {
            throw new IllegalArgumentException("environment must not be null");
        }
        checkEnvironment(environment);
        if (evaluationEnvironment != null) {
            if (evaluationEnvironment == environment) {
                throw new IllegalArgumentException("evaluationEnvironment must be a separate instance from the"
                        + " training environment: evaluating would interrupt the training episode");
            }
            checkEnvironment(evaluationEnvironment);
        }
        if (dataset != null) {
            useOfflineData(dataset);
        }
        enterOnlinePhase();
        if (replay == null) {
            replay = new ReplayBuffer(training.replayCapacity(), config.observationDim(), config.actionDim(),
                    rewardTransform(), config.discount(), sparseFailureReward());
        }
        TrainingListener l = listener == null ? TrainingListener.none() : listener;
        ActionScaling scaling = new ActionScaling(environment.actionSpace(), config.maxAction());
        ReplaySampler online = new ReplaySampler(replay, normalizer);
        TransitionSampler offline = prepared == null ? null : new OfflineSampler(prepared, normalizer);
        TransitionSampler mixed = offline == null ? online
                : Double.isNaN(training.mixingRatio()) ? MixedSampler.proportional(offline, online)
                : MixedSampler.fixedRatio(offline, online, training.mixingRatio());
        double[] environmentAction = new double[config.actionDim()];
        double[] observation = null;
        double episodeReturn = 0.0;
        int episodeLength = 0;
        boolean episodeSuccess = false;
        int interval = training.finetuneEvaluationInterval();
        for (long i = 0; i < steps; i++) {
            if (observation == null) {
                observation = environment.reset(environmentRng.nextLong());
                episodeReturn = 0.0;
                episodeLength = 0;
                episodeSuccess = false;
            }
            double[] action = chooseAction(observation);
            scaling.toEnvironment(action, environmentAction);
            StepResult r = environment.step(environmentAction);
            replay.add(observation, action, r.reward(), r.observation(), r.terminated(), r.truncated());
            finetuneSteps++;
            episodeReturn += r.reward();
            episodeLength++;
            episodeSuccess |= r.success();
            if (r.terminated() || r.truncated()) {
                finetuneEpisodes++;
                if (!episodeSuccess) {
                    finetuneFailures++;
                }
                l.onEpisode(new EpisodeResult(finetuneSteps, episodeLength, episodeReturn, episodeSuccess,
                        cumulativeRegret()));
                observation = null;
            } else {
                observation = r.observation();
            }
            TransitionSampler sampler = replay.size() == 0 ? offline : mixed;
            if (sampler != null) {
                for (int u = 0; u < training.updatesPerEnvironmentStep(); u++) {
                    sampler.sample(batch, sampleRng);
                    UpdateResult result = step.update(batch);
                    finetuneUpdates++;
                    l.onUpdate(Phase.FINETUNE, finetuneUpdates, result);
                }
            }
            if (evaluationEnvironment != null && interval > 0 && finetuneSteps % interval == 0) {
                l.onEvaluation(evaluate(evaluationEnvironment, Phase.FINETUNE, finetuneSteps));
            }
        }
        if (replay.pendingSize() > 0) {
            replay.endEpisode();
        }
    }

    /**
     * Runs {@link TrainingConfig#evaluationEpisodes()} deterministic-policy episodes from fixed start seeds
     * (the same at every evaluation; training randomness is not touched).
     */
    public EvaluationResult evaluate(Environment environment, Phase phase, long atStep) {
        checkEnvironment(environment);
        return evaluator.evaluate(environment, inference, normalizer, phase, atStep);
    }

    /**
     * The calibration diagnostic on data: mean over the dataset's episode start states of
     * {@code mean_k Q_k(s₀, π(s₀))}, and the mean Monte-Carlo return-to-go of those states
     * (transformed rewards), as {@code [meanQ, meanReturn]}.
     */
    public double[] datasetStartValues(OfflineDataset dataset) {
        PreparedDataset p = dataset == offlineData ? prepared : prepare(dataset);
        return evaluator.datasetStartValues(p, inference, normalizer);
    }

    /** The action to take, in the reused buffer {@code actAction} (the replay copies what it stores). */
    private double[] chooseAction(double[] observation) {
        double max = config.maxAction();
        if (finetuneSteps < training.randomExplorationSteps()) {
            for (int j = 0; j < actAction.length; j++) {
                actAction[j] = max * (2.0 * environmentRng.nextDouble() - 1.0);
            }
            return actAction;
        }
        System.arraycopy(observation, 0, actObservation, 0, actObservation.length);
        normalizer.normalizeInPlace(actObservation);
        step.policy().forward(actPass, actObservation, 1);
        for (int j = 0; j < actNoise.length; j++) {
            actNoise[j] = environmentRng.nextGaussian();
        }
        TanhGaussian.sample(actPass.mean(), actPass.logStd(), 1, 1, config.actionDim(), actNoise, max, actAction,
                actSquashed, actLogProb);
        return actAction;
    }

    private void useOfflineData(OfflineDataset dataset) {
        if (dataset == null) {
            throw new IllegalArgumentException("dataset must not be null");
        }
        if (dataset.observationDim() != config.observationDim() || dataset.actionDim() != config.actionDim()) {
            throw new IllegalArgumentException("dataset has observationDim " + dataset.observationDim()
                    + " and actionDim " + dataset.actionDim() + " but the agent was configured with observationDim "
                    + config.observationDim() + " and actionDim " + config.actionDim());
        }
        if (dataset != offlineData) {
            prepared = prepare(dataset);
            offlineData = dataset;
        }
        if (normalizer.isIdentity() && training.normalizeObservations() && pretrainUpdates == 0
                && finetuneSteps == 0) {
            setNormalizer(ObservationNormalizer.fit(dataset));
        }
    }

    private PreparedDataset prepare(OfflineDataset dataset) {
        return PreparedDataset.prepare(dataset, rewardTransform(), config.discount(), sparseFailureReward());
    }

    private RewardTransform rewardTransform() {
        return new RewardTransform(training.rewardScale(), training.rewardBias());
    }

    private OptionalDouble sparseFailureReward() {
        return Double.isNaN(training.sparseFailureReward()) ? OptionalDouble.empty()
                : OptionalDouble.of(training.sparseFailureReward());
    }

    private void checkEnvironment(Environment environment) {
        if (environment.observationDim() != config.observationDim()
                || environment.actionSpace().dim() != config.actionDim()) {
            throw new IllegalArgumentException("environment has observationDim " + environment.observationDim()
                    + " and actionDim " + environment.actionSpace().dim()
                    + " but the agent was configured with observationDim " + config.observationDim()
                    + " and actionDim " + config.actionDim());
        }
    }

    /** Switches the update step to the fine-tuning settings (once). */
    void enterOnlinePhase() {
        if (onlinePhase) {
            return;
        }
        CalQlConfig.Builder online = config.toBuilder();
        if (!Double.isNaN(training.onlineCqlAlpha())) {
            online.cqlAlpha(training.onlineCqlAlpha());
        }
        if (!training.calibrateOnline() && config.regularizer() instanceof CqlRegularizer cql) {
            online.regularizer(cql.toBuilder().calibration(Calibration.none()).build());
        }
        step.reconfigure(online.build());
        onlinePhase = true;
    }

    void setNormalizer(ObservationNormalizer n) {
        this.normalizer = n;
        inference.setNormalizer(n);
    }

    // --- state access for Checkpoints ---

    UpdateStep updateStep() {
        return step;
    }

    Rng[] generators() {
        return new Rng[] {drawRng, sampleRng, environmentRng};
    }

    ReplayBuffer replay() {
        return replay;
    }

    void restoreReplay(ReplayBuffer buffer) {
        this.replay = buffer;
    }

    boolean onlinePhase() {
        return onlinePhase;
    }

    long[] counters() {
        return new long[] {pretrainUpdates, finetuneUpdates, finetuneSteps, finetuneEpisodes, finetuneFailures};
    }

    void restoreCounters(long[] c) {
        pretrainUpdates = c[0];
        finetuneUpdates = c[1];
        finetuneSteps = c[2];
        finetuneEpisodes = c[3];
        finetuneFailures = c[4];
    }
}
