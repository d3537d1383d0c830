package org.calql.data;

import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.random.RandomGenerator;

/**
 * The built-in {@link TransitionStore}: a fixed-capacity ring of online transitions on primitive
 * arrays — observations, actions, transformed rewards, next observations, terminal flags and the
 * Monte-Carlo return-to-go of each transition (its reference value {@code V_ref(s)}), so calibration can
 * stay on during fine-tuning as in the Cal-QL authors' code.
 *
 * <p>Steps of the current episode are held in a staging area and are not sampled until the episode
 * ends (a terminated or truncated step, or {@link #endEpisode()}); then their returns-to-go are
 * computed with {@link ReturnsToGo#episode} — {@code G_t = r_t + γ·G_{t+1}·(1 − terminal_t)}, a
 * truncation being no terminal, with the sparse rule if configured — and the episode is written into
 * the ring. When the ring is full the oldest transitions are overwritten.
 *
 * <p>Rewards given to {@link #add} are <b>raw</b>; the buffer applies its {@link RewardTransform}, the
 * same one the offline data used. Observations are stored raw (samplers normalise). Storage is float,
 * returns double. {@link #sample} draws uniformly with replacement, one {@code nextInt(size)} per row.
 * After the staging area has grown to the longest episode, adding and sampling allocate nothing.
 * Not thread-safe.
 */
public final class ReplayBuffer implements TransitionStore {
    private final int capacity;
    private final int observationDim;
    private final int actionDim;
    private final RewardTransform rewardTransform;
    private final double discount;
    private final OptionalDouble sparseFailureReward;

    /** The ring: slots {@code [0, ring.size())} are filled; returns-to-go kept. */
    private final TransitionColumns ring;
    private int position;
    private long committedCount;
    /** The current episode, rows {@code [0, pending.size())}; its return column is scratch until commit. */
    private final TransitionColumns pending;

    /**
     * An empty buffer.
     *
     * @param capacity maximum transitions kept, positive
     * @param observationDim width of an observation, positive
     * @param actionDim width of an action, positive
     * @param rewardTransform applied to every added reward
     * @param discount {@code γ} of the returns-to-go, in {@code [0, 1)}
     * @param sparseFailureReward {@code R_f} in transformed units for the sparse rule, or empty
     * @throws IllegalArgumentException if a size is not positive, the discount is outside {@code [0, 1)}
     *     or the failure reward is not finite
     */
    public ReplayBuffer(int capacity, int observationDim, int actionDim, RewardTransform rewardTransform,
            double discount, OptionalDouble sparseFailureReward) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("replay capacity must be positive, found " + capacity);
        }
        TransitionColumns.checkDims(observationDim, actionDim);
        if (rewardTransform == null) {
            throw new IllegalArgumentException("rewardTransform must not be null");
        }
        ReturnsToGo.checkDiscount(discount);
        ReturnsToGo.checkFailureReward(sparseFailureReward);
        this.capacity = capacity;
        this.observationDim = observationDim;
        this.actionDim = actionDim;
        this.rewardTransform = rewardTransform;
        this.discount = discount;
        this.sparseFailureReward = sparseFailureReward;
        this.ring = TransitionColumns.allocate(observationDim, actionDim, capacity, false, true);
        this.pending = TransitionColumns.allocate(observationDim, actionDim, Math.min(capacity, 256), false, true);
    }

    /**
     * A buffer with the dimensions, reward transform, discount and sparse rule of a prepared offline
     * dataset, so online returns match offline ones.
     */
    public static ReplayBuffer matching(PreparedDataset dataset, int capacity) {
        return new ReplayBuffer(capacity, dataset.dataset().observationDim(), dataset.dataset().actionDim(),
                dataset.rewardTransform(), dataset.discount(), dataset.sparseFailureReward());
    }

    /** Maximum transitions kept. */
    public int capacity() {
        return capacity;
    }

    @Override
    public int observationDim() {
        return observationDim;
    }

    @Override
    public int actionDim() {
        return actionDim;
    }

    /** Transitions available for sampling (finished episodes only), at most {@link #capacity()}. */
    @Override
    public int size() {
        return ring.size();
    }

    /** The ring slot the next finished transition is written to. */
    public int position() {
        return position;
    }

    /** Steps of the current, unfinished episode (held back from sampling). */
    @Override
    public int pendingSize() {
        return pending.size();
    }

    /** Transitions written into the ring since creation (overwritten ones included). */
    public long committedCount() {
        return committedCount;
    }

    /** The reward transform applied to added rewards. */
    public RewardTransform rewardTransform() {
        return rewardTransform;
    }

    /** The discount of the returns-to-go. */
    public double discount() {
        return discount;
    }

    /** The sparse failure reward (transformed units), if the sparse rule is on. */
    public OptionalDouble sparseFailureReward() {
        return sparseFailureReward;
    }

    /**
     * Adds one environment step to the current episode; if {@code terminated} or {@code truncated} the
     * episode ends and is written into the ring with its returns-to-go.
     *
     * @param rawReward the environment's reward, before the transform
     * @param terminated the step reached a terminal state ({@code done = 1}, no bootstrap)
     * @param truncated the episode was cut (time limit); not a terminal
     * @throws IllegalArgumentException if a row has the wrong length or a value is not finite
     */
    @Override
    public void add(double[] observation, double[] action, double rawReward, double[] nextObservation,
            boolean terminated, boolean truncated) {
        pending.checkStep("pending step", pending.size(), observation, action, nextObservation);
        pending.append(observation, action, transformReward(rawReward), nextObservation, terminated);
        if (terminated || truncated) {
            endEpisode();
        }
    }

    /** {@link #add(double[], double[], double, double[], boolean, boolean)} from float rows. */
    public void add(float[] observation, float[] action, double rawReward, float[] nextObservation,
            boolean terminated, boolean truncated) {
        pending.checkStep("pending step", pending.size(), observation, action, nextObservation);
        pending.append(observation, action, transformReward(rawReward), nextObservation, terminated);
        if (terminated || truncated) {
            endEpisode();
        }
    }

    /**
     * Ends the current episode without a terminal (a data break, e.g. fine-tuning stopped mid-episode):
     * its returns-to-go are computed with {@code G = r} at its last step and it is written into the
     * ring. No effect when no step is pending.
     */
    @Override
    public void endEpisode() {
        int n = pending.size();
        if (n == 0) {
            return;
        }
        pending.computeReturns(0, n, discount, sparseFailureReward);
        // an episode longer than the ring keeps only its last `capacity` steps
        int first = Math.max(0, n - capacity);
        // skipped steps still advance the ring, so that position == committedCount mod capacity
        position = (int) ((position + (long) first) % capacity);
        int size = (int) Math.min(capacity, (long) ring.size() + first);
        for (int t = first; t < n; t++) {
            ring.copyRow(pending, t, position);
            position = position + 1 == capacity ? 0 : position + 1;
            if (size < capacity) {
                size++;
            }
        }
        ring.setSize(size);
        committedCount += n;
        pending.clear();
    }

    /** Drops the steps of the current episode without storing them. */
    public void discardPending() {
        pending.clear();
    }

    /**
     * Draws {@code rows} transitions uniformly, with replacement, from the ring (one
     * {@code random.nextInt(size())} per row); see {@link TransitionStore#sample}.
     */
    @Override
    public void sample(TransitionBatch batch, int fromRow, int rows, RandomGenerator random,
            ObservationNormalizer normalizer) {
        int n = ring.size();
        Sampling.checkNormalizer(normalizer, observationDim, "replay buffer");
        Sampling.checkBatch(batch, fromRow, rows, observationDim, actionDim, n, "replay buffer");
        Sampling.drawUniform(batch, fromRow, rows, random, n, ring, ring.rewards, ring.returnsToGo, normalizer);
    }

    /** Transformed reward at ring slot {@code i} in {@code [0, size)}. */
    public float reward(int i) {
        checkSlot(i);
        return ring.rewards[i];
    }

    /** Whether the transition at ring slot {@code i} is terminal. */
    public boolean isTerminal(int i) {
        checkSlot(i);
        return ring.terminals[i];
    }

    /** Return-to-go at ring slot {@code i}. */
    public double returnToGo(int i) {
        checkSlot(i);
        return ring.returnsToGo[i];
    }

    /** Copies the observation at ring slot {@code i} into {@code dst[offset ..)}. */
    public void copyObservation(int i, double[] dst, int offset) {
        checkSlot(i);
        ring.copyObservation(i, dst, offset);
    }

    /** Copies the action at ring slot {@code i} into {@code dst[offset ..)}. */
    public void copyAction(int i, double[] dst, int offset) {
        checkSlot(i);
        ring.copyAction(i, dst, offset);
    }

    /** Copies the next observation at ring slot {@code i} into {@code dst[offset ..)}. */
    public void copyNextObservation(int i, double[] dst, int offset) {
        checkSlot(i);
        ring.copyNextObservation(i, dst, offset);
    }

    /**
     * A snapshot of the whole buffer — stored slots in ring order, position, and the pending episode —
     * for checkpoints; the arrays are fresh copies.
     */
    public State exportState() {
        int n = ring.size();
        int p = pending.size();
        return new State(capacity, observationDim, actionDim, position, n, committedCount,
                Arrays.copyOf(ring.observations, n * observationDim), Arrays.copyOf(ring.actions, n * actionDim),
                Arrays.copyOf(ring.rewards, n), Arrays.copyOf(ring.nextObservations, n * observationDim),
                Arrays.copyOf(ring.terminals, n), Arrays.copyOf(ring.returnsToGo, n),
                Arrays.copyOf(pending.observations, p * observationDim), Arrays.copyOf(pending.actions, p * actionDim),
                Arrays.copyOf(pending.rewards, p), Arrays.copyOf(pending.nextObservations, p * observationDim),
                Arrays.copyOf(pending.terminals, p));
    }

    /**
     * Replaces this buffer's contents with a snapshot from {@link #exportState()}; sampling then draws
     * exactly what the exported buffer would have. The reward transform, discount and sparse rule are
     * this buffer's (configuration, not state). Validates everything before changing anything.
     *
     * @throws IllegalArgumentException if the snapshot's capacity or dimensions differ from this
     *     buffer's, or its arrays are inconsistent
     */
    public void importState(State state) {
        if (state.capacity() != capacity || state.observationDim() != observationDim
                || state.actionDim() != actionDim) {
            throw new IllegalArgumentException("replay state has capacity " + state.capacity() + ", observationDim "
                    + state.observationDim() + ", actionDim " + state.actionDim() + " but this buffer has "
                    + capacity + ", " + observationDim + ", " + actionDim);
        }
        ring.load(state.size(), state.observations(), state.actions(), state.rewards(), state.nextObservations(),
                state.terminals(), state.returnsToGo());
        pending.load(state.pendingRewards().length, state.pendingObservations(), state.pendingActions(),
                state.pendingRewards(), state.pendingNextObservations(), state.pendingTerminals(), null);
        position = state.position();
        committedCount = state.committedCount();
    }

    // --- helpers ---

    private float transformReward(double rawReward) {
        if (!Double.isFinite(rawReward)) {
            throw new IllegalArgumentException("reward at pending step " + pending.size() + " must be finite, found "
                    + rawReward);
        }
        float reward = rewardTransform.apply(rawReward);
        if (!Float.isFinite(reward)) {
            throw new IllegalArgumentException("transformed reward at pending step " + pending.size()
                    + " must be finite as a float, found " + reward + " from " + rawReward);
        }
        return reward;
    }

    private void checkSlot(int i) {
        if (i < 0 || i >= ring.size()) {
            throw new IndexOutOfBoundsException("replay slot must be in [0, " + ring.size() + "), found " + i);
        }
    }

    /**
     * Everything a {@link ReplayBuffer} holds, for checkpoints. The stored arrays cover ring slots
     * {@code [0, size)} in slot order (row-major, flat); the pending arrays hold the unfinished episode.
     * The record does not copy its arrays: whoever builds or reads one owns them.
     *
     * @param capacity ring capacity
     * @param observationDim width of an observation
     * @param actionDim width of an action
     * @param position next slot to write, in {@code [0, capacity)}
     * @param size stored transitions, in {@code [0, capacity]}
     * @param committedCount transitions ever written into the ring
     * @param observations {@code [size · observationDim]}
     * @param actions {@code [size · actionDim]}
     * @param rewards {@code [size]}, transformed
     * @param nextObservations {@code [size · observationDim]}
     * @param terminals {@code [size]}
     * @param returnsToGo {@code [size]}
     * @param pendingObservations {@code [p · observationDim]}
     * @param pendingActions {@code [p · actionDim]}
     * @param pendingRewards {@code [p]}, transformed
     * @param pendingNextObservations {@code [p · observationDim]}
     * @param pendingTerminals {@code [p]}
     */
    public record State(int capacity, int observationDim, int actionDim, int position, int size,
            long committedCount, float[] observations, float[] actions, float[] rewards, float[] nextObservations,
            boolean[] terminals, double[] returnsToGo, float[] pendingObservations, float[] pendingActions,
            float[] pendingRewards, float[] pendingNextObservations, boolean[] pendingTerminals) {

        /**
         * @throws IllegalArgumentException if sizes, positions or array lengths are inconsistent
         */
        public State {
            if (capacity <= 0 || observationDim <= 0 || actionDim <= 0) {
                throw new IllegalArgumentException("replay state capacity, observationDim and actionDim must be "
                        + "positive, found " + capacity + ", " + observationDim + ", " + actionDim);
            }
            if (size < 0 || size > capacity) {
                throw new IllegalArgumentException("replay state size must be in [0, " + capacity + "], found " + size);
            }
            if (position < 0 || position >= capacity || (size < capacity && position != size)) {
                throw new IllegalArgumentException("replay state position must be in [0, " + capacity
                        + ") and equal size while not full, found position " + position + " with size " + size);
            }
            if (committedCount < size) {
                throw new IllegalArgumentException("replay state committedCount must be at least size " + size
                        + ", found " + committedCount);
            }
            length("observations", observations, (long) size * observationDim);
            length("actions", actions, (long) size * actionDim);
            length("rewards", rewards, size);
            length("nextObservations", nextObservations, (long) size * observationDim);
            length("terminals", terminals, size);
            length("returnsToGo", returnsToGo, size);
            if (pendingRewards == null) {
                throw new IllegalArgumentException("replay state pendingRewards must not be null");
            }
            int p = pendingRewards.length;
            length("pendingObservations", pendingObservations, (long) p * observationDim);
            length("pendingActions", pendingActions, (long) p * actionDim);
            length("pendingNextObservations", pendingNextObservations, (long) p * observationDim);
            length("pendingTerminals", pendingTerminals, p);
            Rows.checkFinite("replay state observations", observations, observationDim);
            Rows.checkFinite("replay state actions", actions, actionDim);
            Rows.checkFinite("replay state rewards", rewards, 1);
            Rows.checkFinite("replay state nextObservations", nextObservations, observationDim);
            for (int i = 0; i < returnsToGo.length; i++) {
                if (!Double.isFinite(returnsToGo[i])) {
                    throw new IllegalArgumentException("replay state returnsToGo[" + i + "] must be finite, found "
                            + returnsToGo[i]);
                }
            }
            Rows.checkFinite("replay state pendingObservations", pendingObservations, observationDim);
            Rows.checkFinite("replay state pendingActions", pendingActions, actionDim);
            Rows.checkFinite("replay state pendingRewards", pendingRewards, 1);
            Rows.checkFinite("replay state pendingNextObservations", pendingNextObservations,
                    observationDim);
        }

        private static void length(String field, Object array, long expected) {
            if (array == null) {
                throw new IllegalArgumentException("replay state " + field + " must not be null");
            }
            int actual = java.lang.reflect.Array.getLength(array);
            if (actual != expected) {
                throw new IllegalArgumentException("replay state " + field + " must have length " + expected
                        + ", found " + actual);
            }
        }
    }
}
