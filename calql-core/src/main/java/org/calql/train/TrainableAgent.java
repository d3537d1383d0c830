package org.calql.train;

import org.calql.data.ObservationNormalizer;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.ReplayBuffer;
import org.calql.data.TransitionBatch;
import org.calql.env.Environment;
import org.calql.random.Rng;
import org.calql.update.UpdateResult;

/**
 * What the {@link Trainer} drives: an agent's model and data handling, whatever its action space. The continuous
 * Cal-QL / CQL {@code Agent} and the {@code DiscreteAgent} implement it, so one trainer runs both loops; a new
 * algorithm implements it to get the trainer's offline and online loops, evaluation schedule and listener.
 *
 * <p>Observations in batches are normalised by {@link #normalizer()}; actions are in the agent's own units
 * (the policy's range, or action indices), mapped to an environment's by {@link #actionMapper}.
 */
public interface TrainableAgent {
    /** Width of an observation. */
    int observationDim();

    /** Width of an action array (1 for a discrete index). */
    int actionDim();

    /** Transitions per update. */
    int batchSize();

    /** The training settings. */
    TrainingConfig trainingConfig();

    /** Where training stands (counters, generators, replay); saved with the agent. */
    TrainingState trainingState();

    /** The observation normaliser batches and acting use. */
    ObservationNormalizer normalizer();

    /**
     * Makes {@code dataset} the offline data: checks its dimensions and actions, prepares it once, fits the
     * normaliser to the first data seen, and refuses data other than a loaded agent trained on.
     */
    PreparedDataset useOfflineData(OfflineDataset dataset);

    /** The prepared offline data of the last {@link #useOfflineData} call, or null. */
    PreparedDataset lastOfflineData();

    /** An empty replay of the training config's capacity, reward transform and sparse rule. */
    ReplayBuffer newReplayBuffer();

    /**
     * Checks that the agent can act in {@code environment} (dimensions and kind of action space).
     *
     * @throws IllegalArgumentException naming both sides when they do not fit
     */
    void checkEnvironment(Environment environment);

    /** Switches the update to the fine-tuning settings of the training config. */
    void applyOnlineSettings();

    /**
     * Resets the critics' optimizer states to a fresh start (zero moments, step count 0), keeping every
     * parameter; the trainer calls it at the switch to online when {@link TrainingConfig#resetCriticOptimizerOnline()}.
     *
     * @throws UnsupportedOperationException by default, for an agent that does not support it
     */
    default void resetCriticOptimizer() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot reset its critic optimizer:"
                + " TrainingConfig.resetCriticOptimizerOnline must be false for it");
    }

    /** One gradient update on {@code batch}. */
    UpdateResult update(TransitionBatch batch);

    /** Deterministic-policy evaluation episodes on {@code environment}. */
    EvaluationResult evaluate(Environment environment, Phase phase, long atStep);

    /**
     * The behaviour action of fine-tuning step {@code stepsSoFar} (0-based) for a raw observation, drawing from
     * {@code random}; the returned array is reused by the next call.
     */
    double[] explorationAction(double[] rawObservation, long stepsSoFar, Rng random);

    /** Maps the agent's actions to {@code environment}'s units: {@code mapper.map(action, out)}. */
    ActionMapper actionMapper(Environment environment);

    /** Maps an agent's action into an environment's units. */
    @FunctionalInterface
    interface ActionMapper {
        /** Writes the environment's action for {@code action} into {@code out}. */
        void map(double[] action, double[] out);
    }
}
