package org.calql.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.calql.critic.CriticEnsemble;
import org.calql.critic.CriticLayout;
import org.calql.data.ObservationNormalizer;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.ReplayBuffer;
import org.calql.data.TransitionBatch;
import org.calql.discrete.DiscreteConfig;
import org.calql.discrete.DiscreteUpdateResult;
import org.calql.discrete.DiscreteUpdateState;
import org.calql.discrete.DiscreteUpdateStep;
import org.calql.env.DiscreteSpace;
import org.calql.env.Environment;
import org.calql.policy.EpsilonGreedyPolicy;
import org.calql.policy.GreedyPolicy;
import org.calql.policy.LinearDecay;
import org.calql.random.Rng;
import org.calql.reference.ReferenceData;
import org.calql.reference.ReferencePolicy;
import org.calql.regularizer.ReferenceValues;
import org.calql.spi.Backend;
import org.calql.train.EvaluationResult;
import org.calql.train.Phase;
import org.calql.train.TrainableAgent;
import org.calql.train.Trainer;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingListener;
import org.calql.train.TrainingState;
import org.calql.update.UpdateResult;

/**
 * A discrete-action Cal-QL / CQL agent: K critics mapping an observation to one Q-value per action
 * ({@link DiscreteUpdateStep}), a greedy policy over them for acting, and ε-greedy exploration online. It trains on
 * the same {@link Trainer} as the continuous {@link Agent} — offline, then online with the mixing ratio, UTD,
 * online CQL α and calibration online of its {@link TrainingConfig} — and shares its data handling: datasets with
 * one action column holding indices, the normaliser, returns-to-go, the sparse rule, replay.
 *
 * <pre>{@code
 * DiscreteAgent agent = DiscreteAgent.create(config, training, new LinearDecay(1.0, 0.05, 10_000), backend);
 * agent.pretrain(dataset, 20_000, listener);
 * agent.finetune(environment, 20_000, listener);
 * int action = agent.act(observation);
 * }</pre>
 *
 * <p>Fine-tuning explores uniformly at random for {@link TrainingConfig#randomExplorationSteps()}, then
 * ε-greedily with ε decaying by the given schedule over fine-tuning steps. Evaluation is greedy. Each update's
 * {@link UpdateResult} carries the discrete metrics: {@code conservativeGap} the unweighted term,
 * {@code conservativeLoss} it times CQL α, {@code boundRateCurrent} the share of all actions' Q-values below
 * {@code V_ref}; the entries a discrete update has no counterpart for (policy, temperature, Lagrange, next-action
 * bound rate, log π) are NaN. Not thread-safe, except {@link #act}.
 *
 * <p>{@link #save(Path)} writes a checkpoint that {@link #load(Path, Backend)} reads back (the same file format as
 * the continuous agent's, with an {@code agent-kind} section saying it holds a discrete agent): training resumed
 * from it continues bit for bit as training that never stopped, fine-tuning at an episode boundary.
 */
public final class DiscreteAgent implements TrainableAgent {
    private DiscreteConfig config;
    private final TrainingConfig training;
    private final DiscreteUpdateStep step;
    private final GreedyPolicy greedy;
    private final EpsilonGreedyPolicy exploration;
    private final TrainingState state;
    private final AgentData data;
    private final Evaluator evaluator;
    private final double[] explorationObservation;
    private final double[] explorationAction = new double[1];
    private final ThreadLocal<double[]> actObservation;

    private DiscreteAgent(DiscreteConfig config, TrainingConfig training, LinearDecay epsilon, Backend backend) {
        this.config = config;
        this.training = training;
        Rng root = new Rng(config.seed());
        this.state = new TrainingState(root.split(), root.split());
        this.step = new DiscreteUpdateStep(config, backend);
        this.greedy = GreedyPolicy.of(step.critics());
        this.exploration = new EpsilonGreedyPolicy(greedy, epsilon);
        this.data = new AgentData(config.observationDim(), 1, config.discount(), training, state,
                this::checkActions);
        this.evaluator = new Evaluator(step.critics(), CriticLayout.STATE_TO_ACTION_VALUES, config.seed(),
                config.discount(), training);
        this.explorationObservation = new double[config.observationDim()];
        this.actObservation = ThreadLocal.withInitial(() -> new double[config.observationDim()]);
    }

    /**
     * An agent whose critics run on {@code backend}, initialised from {@code config.seed()}, exploring online with
     * ε from {@code epsilon} over fine-tuning steps.
     */
    public static DiscreteAgent create(DiscreteConfig config, TrainingConfig training, LinearDecay epsilon,
                                       Backend backend) {
        if (config == null || training == null || epsilon == null || backend == null) {
            throw new IllegalArgumentException("config, training, epsilon and backend must not be null");
        }
        config.requireFitsHeap(training.replayBytes(config.observationDim(), 1), Runtime.getRuntime().maxMemory());
        return new DiscreteAgent(config, training, epsilon, backend);
    }

    /**
     * Loads an agent saved with {@link #save(Path)}; its critics run on {@code backend}.
     *
     * @throws IOException if the file is missing, truncated, corrupt, of another format version, holds a continuous
     *                     agent (the message says so and names {@link Agent#load(Path, Backend)}), holds a value
     *                     that does not fit the config or its rules, or needs a config (a custom regularizer or
     *                     reference) — the message names the file, the section, the value and the rule; no other
     *                     exception escapes for a bad file, and nothing is half-loaded
     */
    public static DiscreteAgent load(Path directory, Backend backend) throws IOException {
        return Checkpoints.loadDiscrete(directory, backend, null);
    }

    /**
     * Loads an agent saved with {@link #save(Path)}, using {@code config}: needed when the agent used a custom
     * regularizer or reference values. Its structural fields (observationDim, numActions, batchSize, criticCount,
     * the critic spec, initialization, seed, doubleDqn, the target rule) must equal the saved ones, else the load
     * fails naming the first that differs; the other settings (learning rate, discount, CQL α, TD loss, regularizer,
     * reference) are taken from {@code config}. The learned values, counters, ε schedule and training config always
     * come from the file.
     *
     * @throws IOException if the file cannot be read or does not fit {@code config}; nothing is half-loaded
     */
    public static DiscreteAgent load(Path directory, Backend backend, DiscreteConfig config) throws IOException {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null; load(directory, backend) uses the saved one");
        }
        return Checkpoints.loadDiscrete(directory, backend, config);
    }

    /**
     * Writes everything needed to resume (configs, ε schedule, critics with targets and optimizer states, update
     * count, normaliser, replay, random generator states, counters, offline data's fingerprint) to
     * {@code directory/agent.calql}, atomically, exactly as {@link Agent#save(Path)} does: a failure leaves any
     * earlier file in place, no temporary file and no directory this call created.
     *
     * @throws IOException naming the directory and the reason (not a directory, not writable, disk full, …)
     */
    public void save(Path directory) throws IOException {
        Checkpoints.save(this, directory);
    }

    /** The discrete update's configuration. */
    public DiscreteConfig config() {
        return config;
    }

    /** The ε schedule of fine-tuning. */
    public LinearDecay epsilon() {
        return exploration.epsilon();
    }

    /** The critics and their targets. */
    public CriticEnsemble critics() {
        return step.critics();
    }

    /**
     * The greedy action for a raw observation: {@code argmax_a mean_k Q_k(normalise(s), a)}, the lowest index on
     * ties. Thread-safe.
     *
     * @throws IllegalArgumentException if the observation is null, of the wrong length or not finite
     */
    public int act(double[] observation) {
        if (observation == null || observation.length != config.observationDim()) {
            throw new IllegalArgumentException("observation must have length " + config.observationDim() + ", found "
                    + (observation == null ? "null" : observation.length));
        }
        double[] s = actObservation.get();
        System.arraycopy(observation, 0, s, 0, s.length);
        data.normalizer().normalizeInPlace(s);
        return greedy.act(s);
    }

    /** Pre-trains on {@code dataset} for {@code steps} updates (see {@link Trainer#pretrain}). */
    public void pretrain(OfflineDataset dataset, long steps, TrainingListener listener) {
        Trainer.builder(this).listener(listener).build().pretrain(dataset, steps);
    }

    /** Fine-tunes on {@code environment}, mixing in {@code dataset} (see {@link Trainer#finetune}). */
    public void finetune(OfflineDataset dataset, Environment environment, long steps, TrainingListener listener) {
        Trainer.builder(this).listener(listener).build().finetune(dataset, environment, steps);
    }

    /**
     * The calibration diagnostic on data: mean over the dataset's episode start states of
     * {@code mean_k Q_k(s₀, greedy(s₀))} and their mean Monte-Carlo return (transformed rewards).
     */
    public double[] datasetStartValues(OfflineDataset dataset) {
        return evaluator.datasetStartValues(data.preparedForm(dataset), this::greedyAction, data.normalizer());
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
        return ReferenceData.discrete(prepared, data.normalizer(), config.numActions());
    }

    /**
     * Calibrates the following updates against {@code reference}, as {@link Agent#calibrateAgainst}: a fitted
     * reference is saved with the agent and restored on load.
     *
     * @throws IllegalArgumentException if the reference is null or a fitted part does not read the agent's
     *                                  observations through its normaliser
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

    /** The greedy policy ({@link #act}) as a deterministic reference policy over {@code Discrete(|A|)}. */
    public ReferencePolicy referencePolicy() {
        return ReferencePolicy.deterministic(config.observationDim(), new DiscreteSpace(config.numActions()),
                this::greedyAction);
    }

    private double[] greedyAction(double[] rawObservation) {
        return new double[] {act(rawObservation)};
    }

    // ---- TrainableAgent ----

    @Override
    public int observationDim() {
        return config.observationDim();
    }

    /** 1: an action is one index. */
    @Override
    public int actionDim() {
        return 1;
    }

    @Override
    public int batchSize() {
        return config.batchSize();
    }

    @Override
    public TrainingConfig trainingConfig() {
        return training;
    }

    @Override
    public TrainingState trainingState() {
        return state;
    }

    @Override
    public ObservationNormalizer normalizer() {
        return data.normalizer();
    }

    @Override
    public PreparedDataset useOfflineData(OfflineDataset dataset) {
        return data.use(dataset);
    }

    @Override
    public PreparedDataset lastOfflineData() {
        return data.lastOfflineData();
    }

    @Override
    public ReplayBuffer newReplayBuffer() {
        return data.newReplayBuffer();
    }

    /** The environment must have a {@link DiscreteSpace} of {@code numActions} and the config's observation width. */
    @Override
    public void checkEnvironment(Environment environment) {
        if (!(environment.actionSpace() instanceof DiscreteSpace space) || space.n() != config.numActions()) {
            throw new IllegalArgumentException("this agent chooses among " + config.numActions()
                    + " actions, but the environment's action space is " + environment.actionSpace());
        }
        if (environment.observationDim() != config.observationDim()) {
            throw new IllegalArgumentException("environment has observationDim " + environment.observationDim()
                    + " but the agent was configured with observationDim " + config.observationDim());
        }
    }

    /** Online CQL α and, unless calibration stays on online, CQL in place of Cal-QL (as the continuous agent). */
    @Override
    public void applyOnlineSettings() {
        step.reconfigure(config.toBuilder().cqlAlpha(data.onlineCqlAlpha(config.cqlAlpha()))
                .regularizer(data.onlineRegularizer(config.regularizer())).build());
    }

    /** Resets the critics' Adam states (moments and step count); parameters and targets are kept. */
    @Override
    public void resetCriticOptimizer() {
        DiscreteUpdateState s = step.exportState();
        step.importState(new DiscreteUpdateState(s.critics().withFreshOptimizers(), s.steps()));
    }

    @Override
    public UpdateResult update(TransitionBatch batch) {
        DiscreteUpdateResult r = step.update(batch);
        int k = r.tdLoss().length;
        double[] weighted = new double[k];
        double alpha = step.config().cqlAlpha();
        for (int i = 0; i < k; i++) {
            weighted[i] = alpha * r.conservative()[i];
        }
        double[] none = new double[k];
        Arrays.fill(none, Double.NaN);
        return new UpdateResult(r.step(), r.tdLoss(), r.conservative(), weighted, r.averageQ(), r.boundRate(), none,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, r.averageTargetQ(),
                r.reference());
    }

    @Override
    public EvaluationResult evaluate(Environment environment, Phase phase, long atStep) {
        checkEnvironment(environment);
        return evaluator.evaluate(environment, this::greedyAction, actionMapper(environment), data.normalizer(),
                phase, atStep);
    }

    /** A uniformly random index for the first random-exploration steps, then ε-greedy. */
    @Override
    public double[] explorationAction(double[] rawObservation, long stepsSoFar, Rng random) {
        if (stepsSoFar < training.randomExplorationSteps()) {
            explorationAction[0] = random.nextInt(config.numActions());
            return explorationAction;
        }
        System.arraycopy(rawObservation, 0, explorationObservation, 0, explorationObservation.length);
        data.normalizer().normalizeInPlace(explorationObservation);
        explorationAction[0] = exploration.act(explorationObservation,
                stepsSoFar - training.randomExplorationSteps(), random);
        return explorationAction;
    }

    /** Indices travel unchanged. */
    @Override
    public ActionMapper actionMapper(Environment environment) {
        checkEnvironment(environment);
        return (action, out) -> out[0] = action[0];
    }

    // --- state access for Checkpoints ---

    DiscreteUpdateStep updateStep() {
        return step;
    }

    Rng[] generators() {
        return new Rng[] {state.sampleRng(), state.environmentRng()};
    }

    void setNormalizer(ObservationNormalizer n) {
        data.setNormalizer(n);
    }

    /** Dataset actions must be indices in {@code [0, numActions)}. */
    private void checkActions(OfflineDataset dataset) {
        int n = config.numActions();
        AgentData.Outside outside = AgentData.scanActions(dataset, new DiscreteSpace(n)::contains);
        if (outside != null) {
            throw new IllegalArgumentException("dataset actions must be indices in [0, " + n + "); " + outside.count()
                    + " are not, the first at transition " + outside.first() + ": " + outside.firstValue());
        }
    }
}
