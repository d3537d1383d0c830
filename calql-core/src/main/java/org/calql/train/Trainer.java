package org.calql.train;

import org.calql.data.MixedSampler;
import org.calql.data.OfflineDataset;
import org.calql.data.OfflineSampler;
import org.calql.data.PreparedDataset;
import org.calql.data.TransitionStore;
import org.calql.data.ReplaySampler;
import org.calql.data.TransitionBatch;
import org.calql.data.TransitionSampler;
import org.calql.env.Environment;
import org.calql.env.StepResult;
import org.calql.update.UpdateResult;

/**
 * The training loops: offline pre-training and online fine-tuning of a {@link TrainableAgent}, with the evaluation
 * schedule and the listener. The agent holds the model and where training stands ({@link TrainingState}); the
 * trainer holds only how to run, so one agent can be trained by several trainers in turn and resumes bit for bit
 * from a checkpoint.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(agent).listener(listener).evaluationEnvironment(evalEnv).build();
 * trainer.pretrain(dataset, 100_000);
 * trainer.finetune(dataset, environment, 100_000);
 * }</pre>
 *
 * <p>Settings come from the agent's {@link TrainingConfig}. Not thread-safe; {@code agent.policy()} may act on
 * other threads between calls.
 */
public final class Trainer {
    private final TrainableAgent agent;
    private final TrainingConfig training;
    private final TrainingListener listener;
    private final Environment evaluationEnvironment;
    private final TransitionStore store;
    private final TransitionBatch batch;

    private Trainer(Builder b) {
        this.agent = b.agent;
        this.training = b.agent.trainingConfig();
        this.listener = b.listener;
        this.evaluationEnvironment = b.evaluationEnvironment;
        this.store = b.store;
        this.batch = new TransitionBatch(agent.batchSize(), agent.observationDim(), agent.actionDim());
    }

    /** A builder for training {@code agent}. */
    public static Builder builder(TrainableAgent agent) {
        if (agent == null) {
            throw new IllegalArgumentException("agent must not be null");
        }
        return new Builder(agent);
    }

    /**
     * Pre-trains on {@code dataset} for {@code steps} updates, evaluating on the evaluation environment (if any)
     * every {@link TrainingConfig#pretrainEvaluationInterval()} updates, and with
     * {@link TrainingConfig#evaluateAtPhaseBoundaries()} also at step 0 (before the first update ever) and after
     * the call's last update.
     *
     * @throws IllegalArgumentException if the dataset's or environment's dimensions do not match the config
     */
    public void pretrain(OfflineDataset dataset, long steps) {
        requireSteps(steps);
        PreparedDataset prepared = agent.useOfflineData(dataset);
        TrainingState state = agent.trainingState();
        OfflineSampler sampler = new OfflineSampler(prepared, agent.normalizer());
        int interval = training.pretrainEvaluationInterval();
        boolean boundaries = evaluationEnvironment != null && training.evaluateAtPhaseBoundaries();
        if (boundaries && state.pretrainUpdates() == 0) {
            listener.onEvaluation(agent.evaluate(evaluationEnvironment, Phase.PRETRAIN, 0));
        }
        boolean evaluatedLast = false;
        for (long i = 0; i < steps; i++) {
            sampler.sample(batch, state.sampleRng());
            UpdateResult r = agent.update(batch);
            long done = state.countPretrainUpdate();
            listener.onUpdate(Phase.PRETRAIN, done, r);
            evaluatedLast = evaluationEnvironment != null && interval > 0 && done % interval == 0;
            if (evaluatedLast) {
                listener.onEvaluation(agent.evaluate(evaluationEnvironment, Phase.PRETRAIN, done));
            }
        }
        if (boundaries && steps > 0 && !evaluatedLast) {
            listener.onEvaluation(agent.evaluate(evaluationEnvironment, Phase.PRETRAIN, state.pretrainUpdates()));
        }
    }

    /**
     * Fine-tunes online for {@code steps} environment steps: acts with the stochastic policy (uniformly at random
     * for the first {@link TrainingConfig#randomExplorationSteps()}), stores transitions in the replay (their
     * Monte-Carlo returns are written when each episode ends), and after each step makes
     * {@link TrainingConfig#updatesPerEnvironmentStep()} updates on batches that mix offline data and replay by
     * {@link TrainingConfig#mixingRatio()} (or, with {@link UpdateSchedule#PER_EPISODE}, {@code length × UTD}
     * updates after each episode). Without any offline data (a fresh agent, {@code dataset} null) this is
     * online RL from scratch on the same loop: updates start once the first episode is in the replay, and a
     * config with CQL α 0 makes it the paper's SAC baseline. At the switch to online the agent takes the online
     * settings ({@link TrainingConfig#onlineConservative()}, {@link TrainingConfig#onlineCqlAlpha()}) and, with
     * {@link TrainingConfig#resetCriticOptimizerOnline()}, fresh critic optimizers. The offline data is {@code dataset}, or when it is null the data of the
     * agent's last offline use in this JVM; an agent loaded from a checkpoint that was trained on offline data must
     * be given that dataset again (checkpoints record its fingerprint, not its rows). Episodes are truncated at
     * {@link TrainingConfig#maxEpisodeSteps()}. Evaluates every {@link TrainingConfig#finetuneEvaluationInterval()}
     * steps. The last, unfinished episode is closed as a data break, also when the loop throws (an environment
     * failure, a listener's exception, a non-finite update), so the next call never continues a broken episode.
     *
     * @throws IllegalArgumentException if a dimension does not match the config, the evaluation environment is
     *                                  the training environment itself, or a loaded agent is resumed without
     *                                  (or with other) offline data than it trained on
     * @throws IllegalStateException    if the environment fails or returns a bad value; the message names the
     *                                  call and the step
     */
    public void finetune(OfflineDataset dataset, Environment environment, long steps) {
        requireSteps(steps);
        if (environment == null) {
            throw new IllegalArgumentException("environment must not be null");
        }
        agent.checkEnvironment(environment);
        if (evaluationEnvironment == environment) {
            throw new IllegalArgumentException("evaluationEnvironment must be a separate instance from the"
                    + " training environment: evaluating would interrupt the training episode");
        }
        PreparedDataset prepared = dataset != null ? agent.useOfflineData(dataset) : agent.lastOfflineData();
        TrainingState state = agent.trainingState();
        if (prepared == null && state.offlineDataFingerprint() != null) {
            throw new IllegalArgumentException("this agent was trained on offline data "
                    + state.offlineDataFingerprint() + ", which a checkpoint does not hold: pass that dataset to"
                    + " finetune(dataset, environment, steps) to resume, so batches keep mixing it in");
        }
        if (!state.onlinePhase()) {
            agent.applyOnlineSettings();
            if (training.resetCriticOptimizerOnline()) {
                agent.resetCriticOptimizer();
            }
            state.enterOnlinePhase();
        }
        TransitionStore replay = store;
        if (replay == null) {
            if (state.replay() == null) {
                state.useReplay(agent.newReplayBuffer());
            }
            replay = state.replay();
        }
        TrainableAgent.ActionMapper toEnvironment = agent.actionMapper(environment);
        ReplaySampler online = new ReplaySampler(replay, agent.normalizer());
        TransitionSampler offline = prepared == null ? null : new OfflineSampler(prepared, agent.normalizer());
        TransitionSampler mixed = offline == null ? online
                : Double.isNaN(training.mixingRatio()) ? MixedSampler.proportional(offline, online)
                : MixedSampler.fixedRatio(offline, online, training.mixingRatio());
        CheckedEnvironment env = new CheckedEnvironment(environment);
        int episodeCap = Math.min(Math.min(environment.maxEpisodeSteps(), training.maxEpisodeSteps()),
                training.replayCapacity());
        double[] environmentAction = new double[environment.actionSpace().dim()];
        double[] observation = null;
        double episodeReturn = 0.0;
        int episodeLength = 0;
        boolean episodeSuccess = false;
        int interval = training.finetuneEvaluationInterval();
        boolean perEpisode = training.updateSchedule() == UpdateSchedule.PER_EPISODE;
        if (evaluationEnvironment != null && training.evaluateAtPhaseBoundaries() && steps > 0
                && state.finetuneSteps() == 0 && state.pretrainUpdates() == 0) {
            listener.onEvaluation(agent.evaluate(evaluationEnvironment, Phase.FINETUNE, 0));
        }
        try {
            for (long i = 0; i < steps; i++) {
                if (observation == null) {
                    observation = env.reset(state.environmentRng().nextLong(), state.finetuneSteps());
                    episodeReturn = 0.0;
                    episodeLength = 0;
                    episodeSuccess = false;
                }
                double[] action = agent.explorationAction(observation, state.finetuneSteps(), state.environmentRng());
                toEnvironment.map(action, environmentAction);
                StepResult r = env.step(environmentAction, state.finetuneSteps(), episodeLength + 1);
                episodeLength++;
                boolean terminated = r.terminated() || (training.endEpisodeAtSuccess() && r.success());
                boolean truncated = r.truncated() || (!terminated && episodeLength >= episodeCap);
                replay.add(observation, action, r.reward(), r.observation(), terminated, truncated);
                long stepsDone = state.countFinetuneStep();
                episodeReturn += r.reward();
                episodeSuccess |= r.success();
                int endedLength = 0;
                if (terminated || truncated) {
                    endedLength = episodeLength;
                    state.countEpisode(episodeSuccess);
                    listener.onEpisode(new EpisodeResult(stepsDone, episodeLength, episodeReturn, episodeSuccess,
                            state.cumulativeRegret()));
                    observation = null;
                } else {
                    observation = r.observation();
                }
                if (!perEpisode) {
                    runUpdates(replay, offline, mixed, training.updatesPerEnvironmentStep());
                } else if (endedLength > 0) {
                    runUpdates(replay, offline, mixed, (long) endedLength * training.updatesPerEnvironmentStep());
                }
                if (evaluationEnvironment != null && interval > 0 && stepsDone % interval == 0) {
                    listener.onEvaluation(agent.evaluate(evaluationEnvironment, Phase.FINETUNE, stepsDone));
                }
            }
            if (perEpisode && observation != null) {
                // the budget ran out mid-episode: close it and give it its length × UTD updates
                replay.endEpisode();
                runUpdates(replay, offline, mixed, (long) episodeLength * training.updatesPerEnvironmentStep());
            }
        } finally {
            // the unfinished episode ends here as a data break, whether the loop finished or threw
            if (replay.pendingSize() > 0) {
                replay.endEpisode();
            }
        }
    }

    private void runUpdates(TransitionStore replay, TransitionSampler offline, TransitionSampler mixed, long count) {
        TransitionSampler sampler = replay.size() == 0 ? offline : mixed;
        if (sampler == null) {
            return;
        }
        TrainingState state = agent.trainingState();
        for (long u = 0; u < count; u++) {
            sampler.sample(batch, state.sampleRng());
            UpdateResult result = agent.update(batch);
            listener.onUpdate(Phase.FINETUNE, state.countFinetuneUpdate(), result);
        }
    }

    private static void requireSteps(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must not be negative, found " + steps);
        }
    }

    /** Builder of a {@link Trainer}. */
    public static final class Builder {
        private final TrainableAgent agent;
        private TrainingListener listener = TrainingListener.none();
        private Environment evaluationEnvironment;
        private TransitionStore store;

        private Builder(TrainableAgent agent) {
            this.agent = agent;
        }

        /** Receives every update, evaluation and episode (default: none). */
        public Builder listener(TrainingListener listener) {
            this.listener = listener == null ? TrainingListener.none() : listener;
            return this;
        }

        /**
         * Where evaluations run (default none: no evaluations). It must be a separate instance from a fine-tuning
         * environment, since evaluation runs whole episodes while training is in the middle of one.
         *
         * @throws IllegalArgumentException if its dimensions do not match the agent's config
         */
        public Builder evaluationEnvironment(Environment environment) {
            if (environment != null) {
                agent.checkEnvironment(environment);
            }
            this.evaluationEnvironment = environment;
            return this;
        }

        /**
         * The online store fine-tuning writes environment steps into and samples from (default: the agent's own
         * {@link org.calql.data.ReplayBuffer}, of {@link TrainingConfig#replayCapacity()}, which checkpoints save).
         * A store of the user's is theirs to keep and persist: checkpoints do not hold it. It must apply the same
         * reward transform, discount and sparse rule as the agent's training config if batches mixed from it and
         * from the offline data are to agree.
         *
         * @throws IllegalArgumentException if its dimensions do not match the agent's config
         */
        public Builder transitionStore(TransitionStore store) {
            if (store != null && (store.observationDim() != agent.observationDim()
                    || store.actionDim() != agent.actionDim())) {
                throw new IllegalArgumentException("transition store has observationDim " + store.observationDim()
                        + " and actionDim " + store.actionDim() + ", the agent observationDim "
                        + agent.observationDim() + " and actionDim " + agent.actionDim());
            }
            this.store = store;
            return this;
        }

        /** The trainer. */
        public Trainer build() {
            return new Trainer(this);
        }
    }
}
