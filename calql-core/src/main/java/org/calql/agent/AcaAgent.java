package org.calql.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.calql.aca.AcaConfig;
import org.calql.aca.AcaUpdate;
import org.calql.aca.AcaUpdateResult;
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
import org.calql.policy.PolicyPass;
import org.calql.policy.PolicySamples;
import org.calql.policy.GaussianPolicy;
import org.calql.random.Rng;
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
 * An Actor-Critic Alignment agent (Yu &amp; Zhang, ICML 2023) on the same {@link Trainer} as Cal-QL and CQL: offline it
 * trains SAC+ML with the {@code Z_i} ensemble; at the switch to fine-tuning ({@link #applyOnlineSettings()}) it aligns
 * (π₀ frozen, α reset to 1, {@code R_i ← Z_i} with zeroed action columns, targets hard-synced) and, with
 * {@link AcaConfig#topEpisodes()} above 0, seeds the empty online replay with the highest-return offline episodes;
 * online it runs SAC on the reparameterised critic {@code R_i + w·ℓ} (see {@link AcaUpdate}). Data handling (the
 * normaliser, returns-to-go, the replay, mixing offline data into online batches by the training config) is the other
 * agents'.
 *
 * <pre>{@code
 * AcaAgent agent = AcaAgent.create(AcaConfig.builder(obsDim, actDim, AcaConfig.Preset.MUJOCO_MEDIUM).build(),
 *         TrainingConfig.defaults(), Backends.best());
 * agent.pretrain(dataset, 100_000, listener);
 * agent.finetune(dataset, environment, 100_000, listener);
 * double[] action = agent.act(observation);
 * }</pre>
 *
 * <p>Each update's {@link UpdateResult} carries the TD losses, mean Q at data actions (online {@code R + w·ℓ}), the
 * actor and temperature losses, α and {@code mean log π}; the conservative entries are NaN (ACA has none);
 * {@link #lastResult()} adds the Z loss, w and the actor's gradient norm. Evaluation's Q at start states is
 * {@code mean_k} of the critics' output ({@code R_k} online, without {@code w·ℓ}). The whole model state is
 * {@link AcaUpdate#exportState()} / {@link AcaUpdate#importState}; {@link #save(Path)} writes it, with the training
 * state (normaliser, replay, generators, counters), as a checkpoint of kind {@code calql-aca} that
 * {@link #load(Path, Backend)} resumes bit for bit, offline, after alignment or online. Not thread-safe, except
 * {@link #act}.
 */
public final class AcaAgent implements TrainableAgent {
    private final AcaConfig config;
    private final TrainingConfig training;
    private final Rng drawRng;
    private final TrainingState state;
    private final AcaUpdate step;
    private final AgentData data;
    private final InferencePolicy inference;
    private final Evaluator evaluator;
    private final PolicyPass explorePass;
    private final PolicySamples exploreSample;
    private final double[] exploreObservation;
    private final double[] exploreNoise;
    private final double[] exploreAction;
    private AcaUpdateResult last;

    private AcaAgent(AcaConfig config, TrainingConfig training, Backend backend) {
        this.config = config;
        this.training = training;
        Rng root = new Rng(config.seed());
        this.drawRng = root.split();
        Rng sampleRng = root.split();
        Rng environmentRng = root.split();
        this.state = new TrainingState(sampleRng, environmentRng);
        this.step = new AcaUpdate(config, backend, drawRng);
        this.data = new AgentData(config.observationDim(), config.actionDim(), config.discount(), training, state,
                this::checkActionRange);
        this.inference = new InferencePolicy(step.policy(), data.normalizer());
        this.evaluator = new Evaluator(step.critics(), CriticLayout.STATE_ACTION, config.seed(), config.discount(),
                training);
        GaussianPolicy policy = step.policy();
        this.explorePass = policy.newPass(1);
        this.exploreSample = policy.newSamples(1, 1);
        this.exploreObservation = new double[config.observationDim()];
        this.exploreNoise = new double[policy.noiseDim()];
        this.exploreAction = new double[config.actionDim()];
    }

    /** An agent whose networks run on {@code backend}, initialised from {@code config.seed()}. */
    public static AcaAgent create(AcaConfig config, TrainingConfig training, Backend backend) {
        if (config == null || training == null || backend == null) {
            throw new IllegalArgumentException("config, training and backend must not be null");
        }
        return new AcaAgent(config, training, backend);
    }

    /**
     * Loads an agent saved with {@link #save(Path)} (the file format of {@link Agent#save(Path)}, kind
     * {@code calql-aca}); its networks run on {@code backend}. Training continues bit for bit as the saved agent
     * would have: offline, aligned or online, the saved phase is restored and alignment is not repeated.
     *
     * @throws java.nio.file.NoSuchFileException if {@code directory} holds no checkpoint
     * @throws IOException if the file is corrupt or truncated, holds another kind of agent (the message names the
     *                     kind and the method that loads it), or holds a value its section does not allow; nothing
     *                     is half-loaded
     */
    public static AcaAgent load(Path directory, Backend backend) throws IOException {
        if (directory == null || backend == null) {
            throw new IllegalArgumentException("directory and backend must not be null");
        }
        return Checkpoints.loadAca(directory, backend);
    }

    /**
     * Saves everything that resuming needs to {@code directory/agent.calql}, atomically, as
     * {@link Agent#save(Path)} does: the config, the training config, π and its Adam state, the critics and their
     * targets, the {@code Z_i}, {@code log α}, π₀ once aligned, w and the aligned flag, the normaliser, the replay,
     * the generators and the counters.
     *
     * @throws IOException if it cannot be written; an earlier checkpoint there is left in place
     */
    public void save(Path directory) throws IOException {
        if (directory == null) {
            throw new IllegalArgumentException("directory must not be null");
        }
        Checkpoints.save(this, directory);
    }

    /** The ACA settings. */
    public AcaConfig config() {
        return config;
    }

    /** The update rule and its model (policy, critics, Z, π₀). */
    public AcaUpdate updateRule() {
        return step;
    }

    /** The critics ({@code Q_i} offline, {@code R_i} online) and their targets. */
    public CriticEnsemble critics() {
        return step.critics();
    }

    /** The deterministic policy for raw observations (thread-safe). */
    public InferencePolicy policy() {
        return inference;
    }

    /** The deterministic action {@code maxAction·tanh(μ(normalise(s)))} (either policy kind). Thread-safe. */
    public double[] act(double[] observation) {
        return inference.act(observation);
    }

    /** The last update's ACA diagnostics, or null before any. */
    public AcaUpdateResult lastResult() {
        return last;
    }

    /** Pre-trains on {@code dataset} for {@code steps} updates (see {@link Trainer#pretrain}). */
    public void pretrain(OfflineDataset dataset, long steps, TrainingListener listener) {
        Trainer.builder(this).listener(listener).build().pretrain(dataset, steps);
    }

    /** Fine-tunes on {@code environment}, mixing in {@code dataset} (see {@link Trainer#finetune}). */
    public void finetune(OfflineDataset dataset, Environment environment, long steps, TrainingListener listener) {
        Trainer.builder(this).listener(listener).build().finetune(dataset, environment, steps);
    }

    /** Mean over the dataset's start states of {@code mean_k Q_k(s₀, π(s₀))} and their mean return-to-go. */
    public double[] datasetStartValues(OfflineDataset dataset) {
        return evaluator.datasetStartValues(data.preparedForm(dataset), inference::act, data.normalizer());
    }

    // ---- TrainableAgent ----

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
        PreparedDataset prepared = data.use(dataset);
        inference.setNormalizer(data.normalizer());
        return prepared;
    }

    @Override
    public PreparedDataset lastOfflineData() {
        return data.lastOfflineData();
    }

    @Override
    public ReplayBuffer newReplayBuffer() {
        return data.newReplayBuffer();
    }

    @Override
    public void checkEnvironment(Environment environment) {
        data.checkBoxEnvironment(environment);
    }

    /**
     * The alignment step ({@link AcaUpdate#align()}), once; then, with {@link AcaConfig#topEpisodes()} above 0, an
     * empty online replay is seeded with that many highest-return episodes (raw reward sums) of the offline data.
     */
    @Override
    public void applyOnlineSettings() {
        if (!step.online()) {
            step.align();
        }
        PreparedDataset offline = data.lastOfflineData();
        if (config.topEpisodes() > 0 && offline != null && state.replay() == null) {
            ReplayBuffer replay = data.newReplayBuffer();
            TopEpisodes.copy(offline.dataset(), config.topEpisodes(), replay);
            state.restore(state.counters(), replay, state.onlinePhase());
        }
    }

    /** Resets the critics' Adam states; everything else is kept. */
    @Override
    public void resetCriticOptimizer() {
        org.calql.aca.AcaUpdateState s = step.exportState();
        step.importState(new org.calql.aca.AcaUpdateState(s.policy(), s.critics().withFreshOptimizers(), s.z(),
                s.logAlpha(), s.reference(), s.weight(), s.online(), s.steps()));
    }

    @Override
    public UpdateResult update(TransitionBatch batch) {
        AcaUpdateResult r = step.update(batch);
        last = r;
        double[] none = new double[r.tdLoss().length];
        Arrays.fill(none, Double.NaN);
        return new UpdateResult(r.step(), r.tdLoss(), none, none.clone(), r.averageQ(), none.clone(), none.clone(),
                r.actorLoss(), r.alphaLoss(), 0.0, r.alpha(), 0.0, r.logPi(), r.averageTarget());
    }

    @Override
    public EvaluationResult evaluate(Environment environment, Phase phase, long atStep) {
        checkEnvironment(environment);
        return evaluator.evaluate(environment, inference::act, actionMapper(environment), data.normalizer(), phase,
                atStep);
    }

    /**
     * Uniformly random actions for the first {@link TrainingConfig#randomExplorationSteps()}, then one sample of π
     * (the authors' {@code fit_online} samples π from the first step: set randomExplorationSteps 0 for that).
     */
    @Override
    public double[] explorationAction(double[] rawObservation, long stepsSoFar, Rng random) {
        GaussianPolicy policy = step.policy();
        if (stepsSoFar < training.randomExplorationSteps()) {
            for (int j = 0; j < exploreAction.length; j++) {
                exploreAction[j] = config.maxAction() * (2.0 * random.nextDouble() - 1.0);
            }
            return exploreAction;
        }
        System.arraycopy(rawObservation, 0, exploreObservation, 0, exploreObservation.length);
        data.normalizer().normalizeInPlace(exploreObservation);
        policy.forward(explorePass, exploreObservation, 1);
        for (int j = 0; j < exploreNoise.length; j++) {
            exploreNoise[j] = random.nextGaussian();
        }
        policy.sample(explorePass, exploreNoise, exploreSample);
        System.arraycopy(exploreSample.actions(), 0, exploreAction, 0, exploreAction.length);
        return exploreAction;
    }

    @Override
    public ActionMapper actionMapper(Environment environment) {
        checkEnvironment(environment);
        return new ActionScaling((BoxSpace) environment.actionSpace(), config.maxAction())::toEnvironment;
    }

    private void checkActionRange(OfflineDataset dataset) {
        double max = config.maxAction();
        AgentData.Outside outside = AgentData.scanActions(dataset, v -> Math.abs(v) <= max);
        if (outside != null) {
            int width = dataset.actionDim();
            throw new IllegalArgumentException("dataset actions must lie in [-maxAction, maxAction] = [" + -max + ", "
                    + max + "]; " + outside.count() + " values do not, the first at transition "
                    + outside.first() / width + ", action[" + outside.first() % width + "] = " + outside.firstValue());
        }
    }

    // --- state access for Checkpoints ---

    Rng[] generators() {
        return new Rng[] {drawRng, state.sampleRng(), state.environmentRng()};
    }

    void setNormalizer(ObservationNormalizer n) {
        data.setNormalizer(n);
        inference.setNormalizer(n);
    }
}
