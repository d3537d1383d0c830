package org.calql.data;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * An immutable offline-RL dataset of {@code size} transitions {@code (s, a, r, s', terminal)} held in
 * flat, row-major primitive arrays: observations and next observations {@code [size · observationDim]},
 * actions {@code [size · actionDim]}, raw rewards {@code [size]}, and two flags per transition:
 * <ul>
 *   <li>{@code terminal[t]}: the transition ended in a terminal state (no bootstrap, {@code done = 1});</li>
 *   <li>{@code episodeEnd[t]}: transition {@code t} is the last of its episode — a terminal, a timeout /
 *       truncation, or a break in the data. Every terminal is an episode end, and so is the last
 *       transition of the dataset.</li>
 * </ul>
 * Episodes are the maximal runs of transitions that end at an episode end; returns-to-go are computed
 * per episode (see {@link ReturnsToGo}).
 *
 * <p>Build one with {@link #fromArrays} (readers of stored data, which hand over their arrays) or with
 * {@link #builder} (environments that produce episodes step by step). Read it through the element
 * accessors, the row copies into {@code double[]} buffers, or the read-only {@link FloatBuffer} views,
 * none of which copy the whole dataset.
 */
public final class OfflineDataset {
    private final int observationDim;
    private final int actionDim;
    private final int size;
    private final float[] observations;
    private final float[] actions;
    private final float[] rewards;
    private final float[] nextObservations;
    private final boolean[] terminals;
    private final boolean[] episodeEnds;
    /** Index of the last transition of each episode, ascending. */
    private final int[] episodeLastIndices;
    private final int terminalCount;

    private OfflineDataset(int observationDim, int actionDim, float[] observations, float[] actions,
            float[] rewards, float[] nextObservations, boolean[] terminals, boolean[] episodeEnds) {
        this.observationDim = observationDim;
        this.actionDim = actionDim;
        this.size = rewards.length;
        this.observations = observations;
        this.actions = actions;
        this.rewards = rewards;
        this.nextObservations = nextObservations;
        this.terminals = terminals;
        this.episodeEnds = episodeEnds;
        int episodes = 0;
        int terms = 0;
        for (int t = 0; t < size; t++) {
            if (terminals[t]) {
                episodeEnds[t] = true;
                terms++;
            }
            if (t == size - 1) {
                episodeEnds[t] = true;
            }
            if (episodeEnds[t]) {
                episodes++;
            }
        }
        this.terminalCount = terms;
        this.episodeLastIndices = new int[episodes];
        int e = 0;
        for (int t = 0; t < size; t++) {
            if (episodeEnds[t]) {
                episodeLastIndices[e++] = t;
            }
        }
    }

    /**
     * A dataset over the given arrays, which it <b>takes ownership of</b>: they are not copied (so that a
     * million-transition dataset is never held twice) and the caller must not modify them afterwards.
     * {@code episodeEnds} is normalised in place: every terminal and the last transition are marked as
     * episode ends.
     *
     * @param observationDim width of an observation, positive
     * @param actionDim width of an action, positive
     * @param observations {@code [n · observationDim]}, row-major
     * @param actions {@code [n · actionDim]}, row-major
     * @param rewards {@code [n]}, raw (before any {@link RewardTransform})
     * @param nextObservations {@code [n · observationDim]}, row-major
     * @param terminals {@code [n]}: true where the transition ended in a terminal state
     * @param episodeEnds {@code [n]}: true where the transition is the last of its episode
     * @throws IllegalArgumentException if a dimension is not positive, the dataset is empty, an array is
     *     null or has the wrong length, or a value is NaN or infinite (naming the field, index and value)
     */
    public static OfflineDataset fromArrays(int observationDim, int actionDim, float[] observations,
            float[] actions, float[] rewards, float[] nextObservations, boolean[] terminals,
            boolean[] episodeEnds) {
        if (observationDim <= 0) {
            throw new IllegalArgumentException("observationDim must be positive, found " + observationDim);
        }
        if (actionDim <= 0) {
            throw new IllegalArgumentException("actionDim must be positive, found " + actionDim);
        }
        requireNonNull("rewards", rewards);
        int n = rewards.length;
        if (n == 0) {
            throw new IllegalArgumentException("an offline dataset must hold at least one transition, found 0 rewards");
        }
        checkLength("observations", observations, (long) n * observationDim, n, observationDim);
        checkLength("actions", actions, (long) n * actionDim, n, actionDim);
        checkLength("nextObservations", nextObservations, (long) n * observationDim, n, observationDim);
        requireNonNull("terminals", terminals);
        if (terminals.length != n) {
            throw new IllegalArgumentException("terminals must have length " + n + " (one per reward), found "
                    + terminals.length);
        }
        requireNonNull("episodeEnds", episodeEnds);
        if (episodeEnds.length != n) {
            throw new IllegalArgumentException("episodeEnds must have length " + n + " (one per reward), found "
                    + episodeEnds.length);
        }
        checkFinite("observations", observations, observationDim);
        checkFinite("actions", actions, actionDim);
        checkFinite("rewards", rewards, 1);
        checkFinite("nextObservations", nextObservations, observationDim);
        return new OfflineDataset(observationDim, actionDim, observations, actions, rewards, nextObservations,
                terminals, episodeEnds);
    }

    /**
     * A builder that collects episodes step by step, growing its arrays as needed.
     *
     * @param observationDim width of an observation, positive
     * @param actionDim width of an action, positive
     */
    public static Builder builder(int observationDim, int actionDim) {
        return new Builder(observationDim, actionDim, 1024);
    }

    /**
     * A builder whose arrays are sized for {@code expectedTransitions} up front; when exactly that many
     * steps are added, {@link Builder#build()} hands the arrays over without any copy.
     *
     * @param observationDim width of an observation, positive
     * @param actionDim width of an action, positive
     * @param expectedTransitions initial capacity, positive
     */
    public static Builder builder(int observationDim, int actionDim, int expectedTransitions) {
        return new Builder(observationDim, actionDim, expectedTransitions);
    }

    /** Width of an observation. */
    public int observationDim() {
        return observationDim;
    }

    /** Width of an action. */
    public int actionDim() {
        return actionDim;
    }

    /** Number of transitions. */
    public int size() {
        return size;
    }

    /** Number of episodes (runs of transitions ending at an episode end). */
    public int episodeCount() {
        return episodeLastIndices.length;
    }

    /** Length of each episode in order; a fresh array. */
    public int[] episodeLengths() {
        int[] lengths = new int[episodeLastIndices.length];
        int start = 0;
        for (int e = 0; e < lengths.length; e++) {
            lengths[e] = episodeLastIndices[e] + 1 - start;
            start = episodeLastIndices[e] + 1;
        }
        return lengths;
    }

    /** Index of the first transition of each episode, ascending; a fresh array. */
    public int[] episodeStarts() {
        int[] starts = new int[episodeLastIndices.length];
        for (int e = 1; e < starts.length; e++) {
            starts[e] = episodeLastIndices[e - 1] + 1;
        }
        return starts;
    }

    /** Number of transitions flagged terminal. */
    public int terminalCount() {
        return terminalCount;
    }

    /** Observation component {@code j} of transition {@code t}. */
    public float observation(int t, int j) {
        checkIndex(t);
        return observations[t * observationDim + checkColumn(j, observationDim)];
    }

    /** Action component {@code j} of transition {@code t}. */
    public float action(int t, int j) {
        checkIndex(t);
        return actions[t * actionDim + checkColumn(j, actionDim)];
    }

    /** Next-observation component {@code j} of transition {@code t}. */
    public float nextObservation(int t, int j) {
        checkIndex(t);
        return nextObservations[t * observationDim + checkColumn(j, observationDim)];
    }

    /** Raw reward of transition {@code t}. */
    public float reward(int t) {
        return rewards[t];
    }

    /** Whether transition {@code t} ended in a terminal state. */
    public boolean isTerminal(int t) {
        return terminals[t];
    }

    /** Whether transition {@code t} is the last of its episode (terminal, truncation or data break). */
    public boolean isEpisodeEnd(int t) {
        return episodeEnds[t];
    }

    /** Copies the observation of transition {@code t} into {@code dst[offset .. offset + observationDim)}. */
    public void copyObservation(int t, double[] dst, int offset) {
        Rows.copy(observations, t, observationDim, dst, offset);
    }

    /** Copies the next observation of transition {@code t} into {@code dst[offset .. offset + observationDim)}. */
    public void copyNextObservation(int t, double[] dst, int offset) {
        Rows.copy(nextObservations, t, observationDim, dst, offset);
    }

    /** Copies the action of transition {@code t} into {@code dst[offset .. offset + actionDim)}. */
    public void copyAction(int t, double[] dst, int offset) {
        Rows.copy(actions, t, actionDim, dst, offset);
    }

    /** Read-only view of the observations {@code [size · observationDim]}; no copy. */
    public FloatBuffer observationsView() {
        return FloatBuffer.wrap(observations).asReadOnlyBuffer();
    }

    /** Read-only view of the actions {@code [size · actionDim]}; no copy. */
    public FloatBuffer actionsView() {
        return FloatBuffer.wrap(actions).asReadOnlyBuffer();
    }

    /** Read-only view of the raw rewards {@code [size]}; no copy. */
    public FloatBuffer rewardsView() {
        return FloatBuffer.wrap(rewards).asReadOnlyBuffer();
    }

    /** Read-only view of the next observations {@code [size · observationDim]}; no copy. */
    public FloatBuffer nextObservationsView() {
        return FloatBuffer.wrap(nextObservations).asReadOnlyBuffer();
    }

    /** The terminal flags; a fresh copy. */
    public boolean[] terminals() {
        return terminals.clone();
    }

    /** The episode-end flags (every terminal and the last transition included); a fresh copy. */
    public boolean[] episodeEnds() {
        return episodeEnds.clone();
    }

    /** Sum of the raw rewards, accumulated in double. */
    public double rewardSum() {
        double sum = 0.0;
        for (float r : rewards) {
            sum += r;
        }
        return sum;
    }

    @Override
    public String toString() {
        return "OfflineDataset[size=" + size + ", observationDim=" + observationDim + ", actionDim=" + actionDim
                + ", episodes=" + episodeCount() + ", terminals=" + terminalCount + "]";
    }

    // --- package-private access for samplers and preparation (no copies) ---

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

    boolean[] episodeEndArray() {
        return episodeEnds;
    }

    // --- helpers ---

    private void checkIndex(int t) {
        if (t < 0 || t >= size) {
            throw new IndexOutOfBoundsException("transition index must be in [0, " + size + "), found " + t);
        }
    }

    private static int checkColumn(int j, int width) {
        if (j < 0 || j >= width) {
            throw new IndexOutOfBoundsException("column must be in [0, " + width + "), found " + j);
        }
        return j;
    }

    private static void requireNonNull(String field, Object array) {
        if (array == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
    }

    private static void checkLength(String field, float[] array, long expected, int n, int width) {
        requireNonNull(field, array);
        if (array.length != expected) {
            throw new IllegalArgumentException(field + " must have length " + expected + " (" + n + " transitions × "
                    + width + "), found " + array.length);
        }
    }

    static void checkFinite(String field, float[] values, int width) {
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(field + "[" + i + "]"
                        + (width > 1 ? " (transition " + (i / width) + ", column " + (i % width) + ")" : "")
                        + " must be finite, found " + v);
            }
        }
    }

    /**
     * Collects transitions episode by episode for {@link OfflineDataset}; for data generated by an
     * environment. An episode ends at a step that is terminated or truncated, or at {@link #endEpisode()}
     * (a break in the data); {@link #build()} ends any open episode.
     *
     * <p>Arrays grow by half when full, one at a time, so that peak memory stays well under twice the
     * final dataset; presize with {@link OfflineDataset#builder(int, int, int)} to avoid growth and the
     * final trim. Not thread-safe; single use.
     */
    public static final class Builder {
        private final int observationDim;
        private final int actionDim;
        private int capacity;
        private int size;
        private float[] observations;
        private float[] actions;
        private float[] rewards;
        private float[] nextObservations;
        private boolean[] terminals;
        private boolean[] episodeEnds;
        private boolean built;

        private Builder(int observationDim, int actionDim, int capacity) {
            if (observationDim <= 0) {
                throw new IllegalArgumentException("observationDim must be positive, found " + observationDim);
            }
            if (actionDim <= 0) {
                throw new IllegalArgumentException("actionDim must be positive, found " + actionDim);
            }
            if (capacity <= 0) {
                throw new IllegalArgumentException("expectedTransitions must be positive, found " + capacity);
            }
            this.observationDim = observationDim;
            this.actionDim = actionDim;
            this.capacity = capacity;
            this.observations = new float[Math.multiplyExact(capacity, observationDim)];
            this.actions = new float[Math.multiplyExact(capacity, actionDim)];
            this.rewards = new float[capacity];
            this.nextObservations = new float[Math.multiplyExact(capacity, observationDim)];
            this.terminals = new boolean[capacity];
            this.episodeEnds = new boolean[capacity];
        }

        /** Transitions added so far. */
        public int size() {
            return size;
        }

        /**
         * Adds one step. If {@code terminated} or {@code truncated}, the step ends its episode; a
         * truncated step is not a terminal (the value after it is bootstrapped).
         *
         * @throws IllegalArgumentException if a row has the wrong length or a value is not finite
         * @throws IllegalStateException after {@link #build()}
         */
        public Builder step(float[] observation, float[] action, double reward, float[] nextObservation,
                boolean terminated, boolean truncated) {
            checkRow("observation", observation == null ? -1 : observation.length, observationDim);
            checkRow("action", action == null ? -1 : action.length, actionDim);
            checkRow("nextObservation", nextObservation == null ? -1 : nextObservation.length, observationDim);
            checkStepFinite("observation", observation);
            checkStepFinite("action", action);
            checkStepFinite("nextObservation", nextObservation);
            int t = beginStep(reward, terminated, truncated);
            System.arraycopy(observation, 0, observations, t * observationDim, observationDim);
            System.arraycopy(action, 0, actions, t * actionDim, actionDim);
            System.arraycopy(nextObservation, 0, nextObservations, t * observationDim, observationDim);
            return this;
        }

        /**
         * Adds one step from {@code double[]} rows (stored as float). See
         * {@link #step(float[], float[], double, float[], boolean, boolean)}.
         */
        public Builder step(double[] observation, double[] action, double reward, double[] nextObservation,
                boolean terminated, boolean truncated) {
            checkRow("observation", observation == null ? -1 : observation.length, observationDim);
            checkRow("action", action == null ? -1 : action.length, actionDim);
            checkRow("nextObservation", nextObservation == null ? -1 : nextObservation.length, observationDim);
            checkStepFinite("observation", observation);
            checkStepFinite("action", action);
            checkStepFinite("nextObservation", nextObservation);
            int t = beginStep(reward, terminated, truncated);
            Rows.store(observation, observations, t * observationDim);
            Rows.store(action, actions, t * actionDim);
            Rows.store(nextObservation, nextObservations, t * observationDim);
            return this;
        }

        /**
         * Marks the last added step as the end of its episode (a break in the data, e.g. an episode cut
         * short without a timeout flag). No effect if nothing was added or the episode already ended.
         */
        public Builder endEpisode() {
            checkNotBuilt();
            if (size > 0) {
                episodeEnds[size - 1] = true;
            }
            return this;
        }

        /**
         * The dataset; the builder hands its arrays over (trimmed to size if presized too large) and
         * cannot be used again. The last step always ends an episode.
         *
         * @throws IllegalArgumentException if no step was added
         * @throws IllegalStateException if called twice
         */
        public OfflineDataset build() {
            checkNotBuilt();
            if (size == 0) {
                throw new IllegalArgumentException("an offline dataset must hold at least one transition, found 0 steps");
            }
            built = true;
            if (size != capacity) {
                observations = Arrays.copyOf(observations, size * observationDim);
                nextObservations = Arrays.copyOf(nextObservations, size * observationDim);
                actions = Arrays.copyOf(actions, size * actionDim);
                rewards = Arrays.copyOf(rewards, size);
                terminals = Arrays.copyOf(terminals, size);
                episodeEnds = Arrays.copyOf(episodeEnds, size);
            }
            OfflineDataset dataset = new OfflineDataset(observationDim, actionDim, observations, actions, rewards,
                    nextObservations, terminals, episodeEnds);
            observations = null;
            actions = null;
            rewards = null;
            nextObservations = null;
            terminals = null;
            episodeEnds = null;
            return dataset;
        }

        private int beginStep(double reward, boolean terminated, boolean truncated) {
            checkNotBuilt();
            if (!Double.isFinite(reward) || !Float.isFinite((float) reward)) {
                throw new IllegalArgumentException("reward at step " + size + " must be finite, found " + reward);
            }
            if (size == capacity) {
                grow();
            }
            int t = size++;
            rewards[t] = (float) reward;
            terminals[t] = terminated;
            episodeEnds[t] = terminated || truncated;
            return t;
        }

        private void grow() {
            int newCapacity = (int) Math.min(Integer.MAX_VALUE - 8L, capacity + (capacity >> 1) + 1L);
            if (newCapacity <= capacity) {
                throw new IllegalStateException("offline dataset is full at " + capacity + " transitions");
            }
            observations = Arrays.copyOf(observations, Math.multiplyExact(newCapacity, observationDim));
            nextObservations = Arrays.copyOf(nextObservations, Math.multiplyExact(newCapacity, observationDim));
            actions = Arrays.copyOf(actions, Math.multiplyExact(newCapacity, actionDim));
            rewards = Arrays.copyOf(rewards, newCapacity);
            terminals = Arrays.copyOf(terminals, newCapacity);
            episodeEnds = Arrays.copyOf(episodeEnds, newCapacity);
            capacity = newCapacity;
        }

        private void checkNotBuilt() {
            if (built) {
                throw new IllegalStateException("this builder has already built its dataset");
            }
        }

        private void checkRow(String field, int length, int width) {
            if (length < 0) {
                throw new IllegalArgumentException(field + " at step " + size + " must not be null");
            }
            if (length != width) {
                throw new IllegalArgumentException(field + " at step " + size + " must have length " + width
                        + ", found " + length);
            }
        }

        private void checkStepFinite(String field, float[] row) {
            int j = Rows.firstNonFinite(row);
            if (j >= 0) {
                throw new IllegalArgumentException(field + "[" + j + "] at step " + size + " must be finite, found "
                        + row[j]);
            }
        }

        private void checkStepFinite(String field, double[] row) {
            int j = Rows.firstNonFiniteAsFloat(row);
            if (j >= 0) {
                throw new IllegalArgumentException(field + "[" + j + "] at step " + size + " must be finite, found "
                        + row[j]);
            }
        }
    }
}
