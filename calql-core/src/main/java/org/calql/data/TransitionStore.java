package org.calql.data;

import java.util.random.RandomGenerator;

/**
 * The online store that fine-tuning writes environment transitions into and draws batches from; the
 * seam for a user's own replay (a FIFO, a prioritised store, an external data source).
 * {@link ReplayBuffer} is the built-in one. Wrap a store in a {@link ReplaySampler} to get a
 * {@link TransitionSampler}, e.g. to mix it with offline data through {@link MixedSampler}.
 *
 * <p>The contract:
 * <ul>
 *   <li><b>Rewards.</b> {@link #add} takes the environment's <b>raw</b> reward. The store applies its
 *       own {@link RewardTransform} (to match offline data, the one its {@link PreparedDataset} used),
 *       and {@link #sample} writes <b>transformed</b> rewards, as offline samplers do.</li>
 *   <li><b>Episodes.</b> Added steps are staged in the current episode ({@link #pendingSize()}) and are
 *       <b>never sampled</b> while it is open. It is closed by a step that is terminated or truncated,
 *       or by {@link #endEpisode()} (a data break); closing commits its steps, which {@link #size()}
 *       then counts, with their Monte-Carlo returns-to-go over the whole episode. Returns-to-go are
 *       therefore known only once an episode is closed; the store computes them with its own discount
 *       and sparse rule, as {@link ReturnsToGo#episode} does: {@code G_t = r_t + γ·G_{t+1}·(1 −
 *       terminal_t)} on transformed rewards, so a truncation or break ends with {@code G = r}.</li>
 *   <li><b>Sampling.</b> {@link #sample} fills batch rows with committed transitions only: observations
 *       and next observations (normalised when a normaliser is given), actions, transformed rewards,
 *       done flags ({@code 1} = terminal) and returns-to-go. Which transitions are drawn is the store's
 *       choice (uniform, prioritised, ...), but the same store contents and random state must give the
 *       same rows, and all randomness must come from the given generator.</li>
 *   <li><b>Threads.</b> None: a store is not thread-safe, and must not be written while a batch is
 *       drawn.</li>
 * </ul>
 */
public interface TransitionStore {

    /** Width of an observation. */
    int observationDim();

    /** Width of an action. */
    int actionDim();

    /**
     * Stages one environment step in the current episode; if {@code terminated} or {@code truncated}
     * the episode is closed as by {@link #endEpisode()}. The store copies what it keeps: the caller may
     * reuse the arrays.
     *
     * @param observation the observation the action was taken in, raw (unnormalised)
     * @param action the action taken
     * @param rawReward the environment's reward, before the store's reward transform
     * @param nextObservation the observation after the step, raw
     * @param terminated the step reached a terminal state ({@code done = 1}, no bootstrap)
     * @param truncated the episode was cut (time limit); not a terminal
     * @throws IllegalArgumentException if a row has the wrong length or a value is not finite; nothing
     *     is stored then
     */
    void add(double[] observation, double[] action, double rawReward, double[] nextObservation, boolean terminated,
            boolean truncated);

    /**
     * Closes the current episode without a terminal (a data break, e.g. fine-tuning stopped
     * mid-episode): its steps are committed with their returns-to-go and become available to
     * {@link #sample}. No effect when no step is pending.
     */
    void endEpisode();

    /** Committed transitions that {@link #sample} can draw (the pending episode excluded). */
    int size();

    /** Steps of the current, open episode, held back from sampling. */
    int pendingSize();

    /**
     * Fills rows {@code [fromRow, fromRow + rows)} of {@code batch} with committed transitions drawn with
     * {@code random}; see the class contract for what each column holds.
     *
     * @param normalizer applied to observations and next observations ({@code (x − mean) / std}), or
     *     null to copy them unchanged
     * @throws IllegalArgumentException if the batch's or the normaliser's dimensions differ from the
     *     store's or the row range does not fit in the batch
     * @throws IllegalStateException if rows are requested and no transition is committed
     */
    void sample(TransitionBatch batch, int fromRow, int rows, RandomGenerator random,
            ObservationNormalizer normalizer);
}
