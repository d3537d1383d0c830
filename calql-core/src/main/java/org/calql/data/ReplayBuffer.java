package org.calql.data;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * A fixed-capacity ring buffer of online transitions on primitive arrays: observations, actions,
 * transformed rewards, next observations, terminal flags and the Monte-Carlo return-to-go of each
 * transition (its reference value {@code V_ref(s)}), so calibration can stay on during fine-tuning as in
 * the Cal-QL authors' code.
 *
 * <p>Steps of the current episode are held in a staging area and are not sampled until the episode
 * ends (a terminated or truncated step, or {@link #endEpisode()}); then their returns-to-go are
 * computed with {@link ReturnsToGo#episode} — {@code G_t = r_t + γ·G_{t+1}·(1 − terminal_t)}, a
 * truncation being no terminal, with the sparse rule if configured — and the episode is written into
 * the ring. When the ring is full the oldest transitions are overwritten.
 *
 * <p>Rewards given to {@link #add} are <b>raw</b>; the buffer applies its {@link RewardTransform}, the
 * same one the offline data used. Observations are stored raw (samplers normalise). Storage is float,
 * returns double. After the staging area has grown to the longest episode, adding allocates nothing.
 * Not thread-safe.
 */
public final class ReplayBuffer {
    private final int capacity;
    private final int observationDim;
    private final int actionDim;
    private final RewardTransform rewardTransform;
    private final double discount;
    private final OptionalDouble sparseFailureReward;

    private final float[] observations;
    private final float[] actions;
    private final float[] rewards;
    private final float[] nextObservations;
    private final boolean[] terminals;
    private final double[] returnsToGo;
    private int position;
    private int size;
    private long committedCount;

    // staging area for the current episode
    private int pendingSize;
    private float[] pendingObservations;
    private float[] pendingActions;
    private float[] pendingRewards;
    private float[] pendingNextObservations;
    private boolean[] pendingTerminals;
    private double[] pendingReturns;

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
        if (observationDim <= 0) {
            throw new IllegalArgumentException("observationDim must be positive, found " + observationDim);
        }
        if (actionDim <= 0) {
            throw new IllegalArgumentException("actionDim must be positive, found " + actionDim);
        }
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
        this.observations = new float[Math.multiplyExact(capacity, observationDim)];
        this.actions = new float[Math.multiplyExact(capacity, actionDim)];
        this.rewards = new float[capacity];
        this.nextObservations = new float[Math.multiplyExact(capacity, observationDim)];
        this.terminals = new boolean[capacity];
        this.returnsToGo = new double[capacity];
        int initial = Math.min(capacity, 256);
        this.pendingObservations = new float[initial * observationDim];
        this.pendingActions = new float[initial * actionDim];
        this.pendingRewards = new float[initial];
        this.pendingNextObservations = new float[initial * observationDim];
        this.pendingTerminals = new boolean[initial];
        this.pendingReturns = new double[initial];
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

    /** Width of an observation. */
    public int observationDim() {
        return observationDim;
    }

    /** Width of an action. */
    public int actionDim() {
        return actionDim;
    }

    /** Transitions available for sampling (finished episodes only), at most {@link #capacity()}. */
    public int size() {
        return size;
    }

    /** The ring slot the next finished transition is written to. */
    public int position() {
        return position;
    }

    /** Steps of the current, unfinished episode (held back from sampling). */
    public int pendingSize() {
        return pendingSize;
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
    public void add(double[] observation, double[] action, double rawReward, double[] nextObservation,
            boolean terminated, boolean truncated) {
        checkRow("observation", observation.length, observationDim);
        checkRow("action", action.length, actionDim);
        checkRow("nextObservation", nextObservation.length, observationDim);
        checkFinite("observation", observation);
        checkFinite("action", action);
        checkFinite("nextObservation", nextObservation);
        int t = stage(rawReward, terminated);
        Rows.store(observation, pendingObservations, t * observationDim);
        Rows.store(nextObservation, pendingNextObservations, t * observationDim);
        Rows.store(action, pendingActions, t * actionDim);
        if (terminated || truncated) {
            endEpisode();
        }
    }

    /** {@link #add(double[], double[], double, double[], boolean, boolean)} from float rows. */
    public void add(float[] observation, float[] action, double rawReward, float[] nextObservation,
            boolean terminated, boolean truncated) {
        checkRow("observation", observation.length, observationDim);
        checkRow("action", action.length, actionDim);
        checkRow("nextObservation", nextObservation.length, observationDim);
        checkFinite("observation", observation);
        checkFinite("action", action);
        checkFinite("nextObservation", nextObservation);
        int t = stage(rawReward, terminated);
        System.arraycopy(observation, 0, pendingObservations, t * observationDim, observationDim);
        System.arraycopy(nextObservation, 0, pendingNextObservations, t * observationDim, observationDim);
        System.arraycopy(action, 0, pendingActions, t * actionDim, actionDim);
        if (terminated || truncated) {
            endEpisode();
        }
    }

    /**
     * Ends the current episode without a terminal (a data break, e.g. fine-tuning stopped mid-episode):
     * its returns-to-go are computed with {@code G = r} at its last step and it is written into the
     * ring. No effect when no step is pending.
     */
    public void endEpisode() {
        int n = pendingSize;
        if (n == 0) {
            return;
        }
        ReturnsToGo.episode(pendingRewards, pendingTerminals, 0, n, discount, sparseFailureReward, pendingReturns, 0);
        // an episode longer than the ring keeps only its last `capacity` steps
        int first = Math.max(0, n - capacity);
        // skipped steps still advance the ring, so that position == committedCount mod capacity
        position = (int) ((position + (long) first) % capacity);
        size = (int) Math.min(capacity, (long) size + first);
        for (int t = first; t < n; t++) {
            int slot = position;
            System.arraycopy(pendingObservations, t * observationDim, observations, slot * observationDim,
                    observationDim);
            System.arraycopy(pendingNextObservations, t * observationDim, nextObservations, slot * observationDim,
                    observationDim);
            System.arraycopy(pendingActions, t * actionDim, actions, slot * actionDim, actionDim);
            rewards[slot] = pendingRewards[t];
            terminals[slot] = pendingTerminals[t];
            returnsToGo[slot] = pendingReturns[t];
            position = slot + 1 == capacity ? 0 : slot + 1;
            if (size < capacity) {
                size++;
            }
        }
        committedCount += n;
        pendingSize = 0;
    }

    /** Drops the steps of the current episode without storing them. */
    public void discardPending() {
        pendingSize = 0;
    }

    /** Transformed reward at ring slot {@code i} in {@code [0, size)}. */
    public float reward(int i) {
        checkSlot(i);
        return rewards[i];
    }

    /** Whether the transition at ring slot {@code i} is terminal. */
    public boolean isTerminal(int i) {
        checkSlot(i);
        return terminals[i];
    }

    /** Return-to-go at ring slot {@code i}. */
    public double returnToGo(int i) {
        checkSlot(i);
        return returnsToGo[i];
    }

    /** Copies the observation at ring slot {@code i} into {@code dst[offset ..)}. */
    public void copyObservation(int i, double[] dst, int offset) {
        checkSlot(i);
        Rows.copy(observations, i, observationDim, dst, offset);
    }

    /** Copies the action at ring slot {@code i} into {@code dst[offset ..)}. */
    public void copyAction(int i, double[] dst, int offset) {
        checkSlot(i);
        Rows.copy(actions, i, actionDim, dst, offset);
    }

    /** Copies the next observation at ring slot {@code i} into {@code dst[offset ..)}. */
    public void copyNextObservation(int i, double[] dst, int offset) {
        checkSlot(i);
        Rows.copy(nextObservations, i, observationDim, dst, offset);
    }

    /**
     * A snapshot of the whole buffer — stored slots in ring order, position, and the pending episode —
     * for checkpoints; the arrays are fresh copies.
     */
    public State exportState() {
        int p = pendingSize;
        return new State(capacity, observationDim, actionDim, position, size, committedCount,
                Arrays.copyOf(observations, size * observationDim), Arrays.copyOf(actions, size * actionDim),
                Arrays.copyOf(rewards, size), Arrays.copyOf(nextObservations, size * observationDim),
                Arrays.copyOf(terminals, size), Arrays.copyOf(returnsToGo, size),
                Arrays.copyOf(pendingObservations, p * observationDim), Arrays.copyOf(pendingActions, p * actionDim),
                Arrays.copyOf(pendingRewards, p), Arrays.copyOf(pendingNextObservations, p * observationDim),
                Arrays.copyOf(pendingTerminals, p));
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
        int n = state.size();
        int p = state.pendingRewards().length;
        System.arraycopy(state.observations(), 0, observations, 0, n * observationDim);
        System.arraycopy(state.actions(), 0, actions, 0, n * actionDim);
        System.arraycopy(state.rewards(), 0, rewards, 0, n);
        System.arraycopy(state.nextObservations(), 0, nextObservations, 0, n * observationDim);
        System.arraycopy(state.terminals(), 0, terminals, 0, n);
        System.arraycopy(state.returnsToGo(), 0, returnsToGo, 0, n);
        ensurePending(p);
        System.arraycopy(state.pendingObservations(), 0, pendingObservations, 0, p * observationDim);
        System.arraycopy(state.pendingActions(), 0, pendingActions, 0, p * actionDim);
        System.arraycopy(state.pendingRewards(), 0, pendingRewards, 0, p);
        System.arraycopy(state.pendingNextObservations(), 0, pendingNextObservations, 0, p * observationDim);
        System.arraycopy(state.pendingTerminals(), 0, pendingTerminals, 0, p);
        position = state.position();
        size = n;
        committedCount = state.committedCount();
        pendingSize = p;
    }

    // --- package-private access for samplers ---

    float[] observationArray() {
        return observations;
    }

    float[] actionArray() {
        return actions;
    }

    float[] rewardArray() {
        return rewards;
    }

    float[] nextObservationArray() {
        return nextObservations;
    }

    boolean[] terminalArray() {
        return terminals;
    }

    double[] returnsToGoArray() {
        return returnsToGo;
    }

    // --- helpers ---

    private int stage(double rawReward, boolean terminated) {
        if (!Double.isFinite(rawReward)) {
            throw new IllegalArgumentException("reward at pending step " + pendingSize + " must be finite, found "
                    + rawReward);
        }
        float reward = rewardTransform.apply(rawReward);
        if (!Float.isFinite(reward)) {
            throw new IllegalArgumentException("transformed reward at pending step " + pendingSize
                    + " must be finite as a float, found " + reward + " from " + rawReward);
        }
        ensurePending(pendingSize + 1);
        int t = pendingSize++;
        pendingRewards[t] = reward;
        pendingTerminals[t] = terminated;
        return t;
    }

    private void ensurePending(int steps) {
        if (steps <= pendingRewards.length) {
            return;
        }
        int n = Math.max(steps, pendingRewards.length * 2);
        pendingObservations = Arrays.copyOf(pendingObservations, Math.multiplyExact(n, observationDim));
        pendingNextObservations = Arrays.copyOf(pendingNextObservations, Math.multiplyExact(n, observationDim));
        pendingActions = Arrays.copyOf(pendingActions, Math.multiplyExact(n, actionDim));
        pendingRewards = Arrays.copyOf(pendingRewards, n);
        pendingTerminals = Arrays.copyOf(pendingTerminals, n);
        pendingReturns = Arrays.copyOf(pendingReturns, n);
    }

    private void checkSlot(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("replay slot must be in [0, " + size + "), found " + i);
        }
    }

    private void checkRow(String field, int length, int width) {
        if (length != width) {
            throw new IllegalArgumentException(field + " at pending step " + pendingSize + " must have length "
                    + width + ", found " + length);
        }
    }

    private void checkFinite(String field, double[] row) {
        int j = Rows.firstNonFiniteAsFloat(row);
        if (j >= 0) {
            throw new IllegalArgumentException(field + "[" + j + "] at pending step " + pendingSize
                    + " must be finite, found " + row[j]);
        }
    }

    private void checkFinite(String field, float[] row) {
        int j = Rows.firstNonFinite(row);
        if (j >= 0) {
            throw new IllegalArgumentException(field + "[" + j + "] at pending step " + pendingSize
                    + " must be finite, found " + row[j]);
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
            OfflineDataset.checkFinite("replay state observations", observations, observationDim);
            OfflineDataset.checkFinite("replay state actions", actions, actionDim);
            OfflineDataset.checkFinite("replay state rewards", rewards, 1);
            OfflineDataset.checkFinite("replay state nextObservations", nextObservations, observationDim);
            for (int i = 0; i < returnsToGo.length; i++) {
                if (!Double.isFinite(returnsToGo[i])) {
                    throw new IllegalArgumentException("replay state returnsToGo[" + i + "] must be finite, found "
                            + returnsToGo[i]);
                }
            }
            OfflineDataset.checkFinite("replay state pendingObservations", pendingObservations, observationDim);
            OfflineDataset.checkFinite("replay state pendingActions", pendingActions, actionDim);
            OfflineDataset.checkFinite("replay state pendingRewards", pendingRewards, 1);
            OfflineDataset.checkFinite("replay state pendingNextObservations", pendingNextObservations,
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
