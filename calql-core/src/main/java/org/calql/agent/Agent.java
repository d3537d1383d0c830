package org.calql.agent;

import java.io.IOException;
import java.nio.file.Path;
import org.calql.config.CalQlConfig;
import org.calql.critic.CriticEnsemble;
import org.calql.critic.CriticLayout;
import org.calql.data.ObservationNormalizer;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.ReplayBuffer;
import org.calql.data.TransitionBatch;
import org.calql.env.ActionScaling;
import org.calql.env.BoxSpace;
import org.calql.env.Environment;
import org.calql.policy.Policy;
import org.calql.random.Rng;
import org.calql.reference.ReferenceData;
import org.calql.reference.ReferencePolicy;
import org.calql.regularizer.ReferenceValues;
import org.calql.random.UpdateDraws;
import org.calql.spi.Backend;
import org.calql.train.EvaluationResult;
import org.calql.train.Phase;
import org.calql.train.Trainer;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingListener;
import org.calql.train.TrainableAgent;
import org.calql.train.TrainingState;
import org.calql.update.ModelParameters;
import org.calql.update.UpdateResult;
import org.calql.update.UpdateStep;
import org.calql.update.UpdateStepState;

/**
 * A Cal-QL / CQL agent: the model state (policy, critics, temperatures, normaliser, where training stands),
 * acting, and checkpoints. The loops that train it are the {@link Trainer}'s; {@link #pretrain} and
 * {@link #finetune} are shortcuts to one.
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
public final class Agent implements TrainableAgent {
    private CalQlConfig config;
    private final TrainingConfig training;
    private final UpdateStep step;
    private final Rng drawRng;
    private final TrainingState state;
    private final InferencePolicy inference;
    private final Evaluator evaluator;
    private final AgentData data;
    private PolicyExplorer explorer;

    private Agent(CalQlConfig config, TrainingConfig training, Backend backend) {
        this.config = config;
        this.training = training;
        Rng root = new Rng(config.seed());
        this.drawRng = root.split();
        Rng sampleRng = root.split();
        Rng environmentRng = root.split();
        this.state = new TrainingState(sampleRng, environmentRng);
        this.step = new UpdateStep(config, backend.withPrecision(config.precision()), UpdateDraws.from(drawRng));
        this.data = new AgentData(config.observationDim(), config.actionDim(), config.discount(), training, state,
                this::checkActionRange);
        this.inference = new InferencePolicy(step.policy(), data.normalizer());
        this.evaluator = new Evaluator(step.critics(), CriticLayout.STATE_ACTION, config.seed(), config.discount(),
                training);
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
        config.requireFitsHeap(training.replayBytes(config.observationDim(), config.actionDim()),
                Runtime.getRuntime().maxMemory());
        return new Agent(config, training, backend);
    }

    /**
     * Loads an agent saved with {@link #save(Path)}; its networks run on {@code backend}.
     *
     * @throws IOException if the file is missing, truncated, corrupt, of another format version, holds a value
     *                     that does not fit the config or its rules, or needs a config (a custom regularizer,
     *                     reference or policy) — the message names the file, the section, the value and the rule;
     *                     no other exception escapes for a bad file, and nothing is half-loaded
     */
    public static Agent load(Path directory, Backend backend) throws IOException {
        return Checkpoints.load(directory, backend, null);
    }

    /**
     * Loads an agent saved with {@link #save(Path)}, using {@code config}: needed when the agent used a custom
     * regularizer, reference values or policy. Its {@link CalQlConfig#structure()} must equal the saved one's
     * (else the load fails naming the first field that differs); every other hyperparameter (learning rates, CQL
     * α, temperatures' settings, the regularizer, the reference) is taken from {@code config}, not from the file,
     * so a loaded agent can continue with new settings — except that a fitted reference saved in the file's
     * {@code reference} section is restored when {@code config} keeps the Monte-Carlo default. The learned values and
     * counters always come from the file.
     *
     * @throws IOException if the file cannot be read or does not fit {@code config}; nothing is half-loaded
     */
    public static Agent load(Path directory, Backend backend, CalQlConfig config) throws IOException {
        return Checkpoints.load(directory, backend, config);
    }

    /**
     * Writes everything needed to resume (config, networks, optimizer states, temperatures, normaliser, replay,
     * random generator states, counters) to {@code directory/agent.calql} (format 2, named sections; see the
     * package documentation), atomically: a failure leaves any earlier file in place, no temporary file and no
     * directory this call created. Missing directories are created ({@code directory} is normalised first, so
     * {@code a/missing/../b} creates only {@code a/b}); stale temporary files that killed saves left are removed.
     *
     * @throws IOException naming the directory and the reason (not a directory, not writable, disk full, …)
     */
    public void save(Path directory) throws IOException {
        Checkpoints.save(this, directory);
    }

    /**
     * Checks, creating nothing, that {@link #save(Path)} could write into {@code directory}: its nearest existing
     * ancestor (itself, or where the missing directories would be created) is a writable directory and
     * {@code directory/agent.calql} is not a directory. Lets a long run fail before it starts, not after.
     *
     * @throws IOException naming the path and the reason
     */
    public static void checkSaveDirectory(Path directory) throws IOException {
        Checkpoints.checkSavable(directory);
    }

    /** The validated configuration. */
    public CalQlConfig config() {
        return config;
    }

    /** The training settings. */
    @Override
    public TrainingConfig trainingConfig() {
        return training;
    }

    /** The deterministic, thread-safe policy for deployment. */
    public InferencePolicy policy() {
        return inference;
    }

    /** The policy being trained (its parameters change with every update; not for acting on other threads). */
    public Policy trainedPolicy() {
        return step.policy();
    }

    /** The critics being trained, with their targets (not for use on other threads while training). */
    public CriticEnsemble critics() {
        return step.critics();
    }

    /**
     * A copy of every learned value: critics, targets, the policy's parameters, {@code logAlpha} and
     * {@code logAlphaPrime} (see {@link ModelParameters}); for weight export, e.g.
     * {@link org.calql.interop.CorlWeights}.
     */
    public ModelParameters exportParameters() {
        return step.exportParameters();
    }

    /**
     * Replaces every learned value and the observation normaliser, keeping the optimizer states, the step count
     * and the counters; for weight import, e.g. {@link org.calql.interop.CorlWeights}. A later
     * {@link #useOfflineData} with {@link TrainingConfig#normalizeObservations()} refits the normaliser as usual.
     *
     * @param normalizer the normaliser of the observations the networks were trained on
     *                   ({@link ObservationNormalizer#identity} when they see raw observations)
     * @throws IllegalArgumentException if a layout does not match the config, a value is not finite or the
     *                                  normaliser's width is not the observation's; nothing changes then
     */
    public void importParameters(ModelParameters parameters, ObservationNormalizer normalizer) {
        if (normalizer == null || normalizer.observationDim() != config().observationDim()) {
            throw new IllegalArgumentException("normalizer must have width observationDim = "
                    + config().observationDim() + ", found " + (normalizer == null ? "null"
                    : normalizer.observationDim()));
        }
        step.importParameters(parameters);
        setNormalizer(normalizer);
    }

    /** The deterministic action for a raw observation (see {@link InferencePolicy#act(double[])}). */
    public double[] act(double[] observation) {
        return inference.act(observation);
    }

    /** The observation normaliser (identity until the first dataset is seen, unless disabled). */
    @Override
    public ObservationNormalizer normalizer() {
        return data.normalizer();
    }

    /** Where training stands: counters, generators, replay. */
    @Override
    public TrainingState trainingState() {
        return state;
    }

    /** Pre-training updates so far. */
    public long pretrainUpdates() {
        return state.pretrainUpdates();
    }

    /** Fine-tuning environment steps so far. */
    public long finetuneSteps() {
        return state.finetuneSteps();
    }

    /** Mean of {@code 1 − success} over fine-tuning episodes so far (NaN before the first). */
    public double cumulativeRegret() {
        return state.cumulativeRegret();
    }

    /**
     * One update on a batch the caller filled (observations already normalised as the caller wishes).
     *
     * @throws IllegalArgumentException if the batch does not fit the config or holds NaN/Inf (nothing changes)
     */
    @Override
    public UpdateResult update(TransitionBatch batch) {
        return step.update(batch);
    }

    /** Pre-trains on {@code dataset} for {@code steps} updates without evaluations (see {@link Trainer#pretrain}). */
    public void pretrain(OfflineDataset dataset, long steps, TrainingListener listener) {
        pretrain(dataset, steps, null, listener);
    }

    /**
     * Pre-trains on {@code dataset} for {@code steps} updates, evaluating on {@code evaluationEnvironment} (may
     * be null) every {@link TrainingConfig#pretrainEvaluationInterval()} updates (see {@link Trainer#pretrain}).
     *
     * @throws IllegalArgumentException if the dataset's or environment's dimensions do not match the config
     */
    public void pretrain(OfflineDataset dataset, long steps, Environment evaluationEnvironment,
                         TrainingListener listener) {
        Trainer.builder(this).listener(listener).evaluationEnvironment(evaluationEnvironment).build()
                .pretrain(dataset, steps);
    }

    /**
     * Fine-tunes on {@code environment} with the offline data of the last {@code pretrain} call (if any), without
     * evaluations (see {@link Trainer#finetune}).
     */
    public void finetune(Environment environment, long steps, TrainingListener listener) {
        finetune(null, environment, null, steps, listener);
    }

    /** As {@link Trainer#finetune}, without evaluations. */
    public void finetune(OfflineDataset dataset, Environment environment, long steps, TrainingListener listener) {
        finetune(dataset, environment, null, steps, listener);
    }

    /** As {@link Trainer#finetune}, evaluating on {@code evaluationEnvironment} (null: no evaluations). */
    public void finetune(OfflineDataset dataset, Environment environment, Environment evaluationEnvironment,
                         long steps, TrainingListener listener) {
        Trainer.builder(this).listener(listener).evaluationEnvironment(evaluationEnvironment).build()
                .finetune(dataset, environment, steps);
    }

    /**
     * Runs {@link TrainingConfig#evaluationEpisodes()} deterministic-policy episodes from fixed start seeds
     * (the same at every evaluation; training randomness is not touched).
     */
    @Override
    public EvaluationResult evaluate(Environment environment, Phase phase, long atStep) {
        checkEnvironment(environment);
        return evaluator.evaluate(environment, inference::act, actionMapper(environment), data.normalizer(), phase,
                atStep);
    }

    /**
     * The calibration diagnostic on data: mean over the dataset's episode start states of
     * {@code mean_k Q_k(s₀, π(s₀))}, and the mean Monte-Carlo return-to-go of those states
     * (transformed rewards), as {@code [meanQ, meanReturn]}.
     */
    public double[] datasetStartValues(OfflineDataset dataset) {
        return evaluator.datasetStartValues(data.preparedForm(dataset), inference::act, data.normalizer());
    }

    /**
     * Makes {@code dataset} the agent's offline data: checks its dimensions, prepares it (reward transform,
     * returns-to-go, both by the training config) once, and fits the observation normaliser to it if this is the
     * first data the agent sees and {@link TrainingConfig#normalizeObservations()} is on.
     *
     * @throws IllegalArgumentException if the dataset is null or its dimensions do not match the config
     */
    @Override
    public PreparedDataset useOfflineData(OfflineDataset dataset) {
        PreparedDataset prepared = data.use(dataset);
        inference.setNormalizer(data.normalizer());
        return prepared;
    }

    /**
     * The offline data as the estimators of {@code org.calql.reference} fit on it: {@code dataset} prepared by the
     * training config (reward transform, sparse rule, the config's discount) and paired with the agent's normaliser
     * and its action space. An agent that has not seen data yet first makes {@code dataset} its offline data
     * ({@link #useOfflineData}, which fits the normaliser), so call it before training, fit a reference on it and
     * {@link #calibrateAgainst} it; an agent that has (or a loaded one) only prepares {@code dataset}, e.g. to
     * evaluate its policy on other data.
     *
     * @throws IllegalArgumentException as {@link #useOfflineData}
     */
    public ReferenceData referenceData(OfflineDataset dataset) {
        PreparedDataset prepared = data.lastOfflineData() == null && state.pretrainUpdates() == 0
                && state.finetuneSteps() == 0 ? useOfflineData(dataset) : data.preparedForm(dataset);
        return ReferenceData.continuous(prepared, data.normalizer(), config.maxAction());
    }

    /**
     * Calibrates the following updates against {@code reference} ({@code V_ref} in the units the critic learns,
     * see {@link org.calql.reference.CriticUnits}): the config's {@link CalQlConfig#referenceValues()} becomes it, in
     * the offline and, with calibration online, the online phase. A fitted reference
     * ({@link org.calql.reference.ValueNetworkReference}, or a {@link org.calql.reference.MaxReference} of those and
     * the Monte-Carlo returns) is saved with the agent and restored by {@link #load(Path, Backend)}; another one makes
     * the checkpoint need the caller's config, as before.
     *
     * @throws IllegalArgumentException if the reference is null, or a fitted part reads observations of another
     *                                  width or through another normaliser than the agent's
     */
    public void calibrateAgainst(ReferenceValues reference) {
        AgentData.checkReference(reference, data.normalizer());
        config = config.toBuilder().referenceValues(reference).build();
        if (state.onlinePhase()) {
            applyOnlineSettings();
        } else {
            step.reconfigure(config);
        }
    }

    /** Restores a reference read from a checkpoint. */
    void restoreReference(ReferenceValues reference) {
        calibrateAgainst(reference);
    }

    /**
     * The agent's policy as a reference policy μ: its deterministic action ({@link #act}) or, when
     * {@code stochastic}, one sample of the tanh-Gaussian, in the policy's range {@code [−maxAction, maxAction]} (its
     * {@link ReferencePolicy#actionSpace()}, so the estimators' scaling is the identity). It reads the live
     * parameters: fit a reference from it before training further.
     */
    public ReferencePolicy referencePolicy(boolean stochastic) {
        BoxSpace box = BoxSpace.uniform(config.actionDim(), -config.maxAction(), config.maxAction());
        if (!stochastic) {
            return ReferencePolicy.deterministic(config.observationDim(), box, inference::act);
        }
        PolicyExplorer sampler = new PolicyExplorer(this, 0);
        return ReferencePolicy.stochastic(config.observationDim(), box, (o, r) -> sampler.action(o, 1, r).clone());
    }

    /**
     * Dataset actions must lie in the policy's range {@code [−maxAction, maxAction]} (box bounds of environments are
     * mapped to it; datasets are not rescaled): out-of-range actions would train the critics on actions the policy
     * can never take, and behaviour cloning on impossible log-likelihoods, so they are refused rather than clipped.
     */
    private void checkActionRange(OfflineDataset dataset) {
        double max = config.maxAction();
        AgentData.Outside outside = AgentData.scanActions(dataset, a -> Math.abs(a) <= max);
        if (outside != null) {
            int width = dataset.actionDim();
            throw new IllegalArgumentException("dataset actions must lie in [-maxAction, maxAction] = [" + -max + ", "
                    + max + "]; " + outside.count() + " values do not, the first at transition "
                    + outside.first() / width + ", action[" + outside.first() % width + "] = " + outside.firstValue()
                    + " (rescale the data, or set maxAction)");
        }
    }

    /** The prepared offline data of the last {@link #useOfflineData} call, or null (not saved in checkpoints). */
    @Override
    public PreparedDataset lastOfflineData() {
        return data.lastOfflineData();
    }

    /** An empty replay of the training config's capacity, reward transform and sparse rule. */
    @Override
    public ReplayBuffer newReplayBuffer() {
        return data.newReplayBuffer();
    }

    @Override
    public int observationDim() {
        return config.observationDim();
    }

    @Override
    public int actionDim() {
        return config.actionDim();
    }

    @Override
    public int batchSize() {
        return config.batchSize();
    }

    /**
     * Uniformly random actions in {@code [−maxAction, maxAction]} for the first
     * {@link TrainingConfig#randomExplorationSteps()}, then one sample of the stochastic policy.
     */
    @Override
    public double[] explorationAction(double[] rawObservation, long stepsSoFar, Rng random) {
        if (explorer == null) {
            explorer = new PolicyExplorer(this, training.randomExplorationSteps());
        }
        return explorer.action(rawObservation, stepsSoFar, random);
    }

    /** The box scaling from {@code [−maxAction, maxAction]} to the environment's bounds. */
    @Override
    public ActionMapper actionMapper(Environment environment) {
        checkEnvironment(environment);
        return new ActionScaling((BoxSpace) environment.actionSpace(), config.maxAction())::toEnvironment;
    }

    /**
     * Checks an environment's dimensions against the config.
     *
     * @throws IllegalArgumentException naming both sides when they differ
     */
    @Override
    public void checkEnvironment(Environment environment) {
        data.checkBoxEnvironment(environment);
    }

    /**
     * Switches the update to the fine-tuning settings of the training config: {@link
     * TrainingConfig#onlineCqlAlpha()} if set, calibration off unless {@link TrainingConfig#calibrateOnline()},
     * and with {@link TrainingConfig#onlineConservative() onlineConservative(false)} plain SAC: CQL α 0 and the
     * Lagrange multiplier no longer tuned. The trainer calls it once when fine-tuning starts; a checkpoint load
     * calls it for an agent saved online.
     */
    @Override
    public void applyOnlineSettings() {
        step.reconfigure(config.toBuilder().cqlAlpha(data.onlineCqlAlpha(config.cqlAlpha()))
                .lagrange(config.lagrange() && training.onlineConservative())
                .regularizer(data.onlineRegularizer(config.regularizer())).build());
    }

    /** Resets the critics' Adam states (moments and step count); parameters, targets and the rest are kept. */
    @Override
    public void resetCriticOptimizer() {
        UpdateStepState s = step.exportState();
        step.importState(new UpdateStepState(s.critics().withFreshOptimizers(), s.policy(), s.temperature(),
                s.lagrange(), s.steps()));
    }

        void setNormalizer(ObservationNormalizer n) {
        data.setNormalizer(n);
        inference.setNormalizer(n);
    }

    // --- state access for Checkpoints ---

    UpdateStep updateStep() {
        return step;
    }

    Rng[] generators() {
        return new Rng[] {drawRng, state.sampleRng(), state.environmentRng()};
    }
}
