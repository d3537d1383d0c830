package org.calql.data;

import java.nio.FloatBuffer;

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
    private final TransitionColumns columns;
    private final int size;
    /** Index of the last transition of each episode, ascending. */
    private final int[] episodeLastIndices;
    private final int terminalCount;

    /** Over full columns with episode ends, which it normalises: every terminal and the last row end one. */
    private OfflineDataset(TransitionColumns columns) {
        this.columns = columns;
        this.size = columns.size();
        boolean[] terminals = columns.terminals;
        boolean[] episodeEnds = columns.episodeEnds;
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
        TransitionColumns.checkDims(observationDim, actionDim);
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
        Rows.checkFinite("observations", observations, observationDim);
        Rows.checkFinite("actions", actions, actionDim);
        Rows.checkFinite("rewards", rewards, 1);
        Rows.checkFinite("nextObservations", nextObservations, observationDim);
        return new OfflineDataset(TransitionColumns.wrap(observationDim, actionDim, observations, actions, rewards,
                nextObservations, terminals, episodeEnds));
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
        return columns.observationDim;
    }

    /** Width of an action. */
    public int actionDim() {
        return columns.actionDim;
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
        return columns.observations[t * columns.observationDim + checkColumn(j, columns.observationDim)];
    }

    /** Action component {@code j} of transition {@code t}. */
    public float action(int t, int j) {
        checkIndex(t);
        return columns.actions[t * columns.actionDim + checkColumn(j, columns.actionDim)];
    }

    /** Next-observation component {@code j} of transition {@code t}. */
    public float nextObservation(int t, int j) {
        checkIndex(t);
        return columns.nextObservations[t * columns.observationDim + checkColumn(j, columns.observationDim)];
    }

    /** Raw reward of transition {@code t}. */
    public float reward(int t) {
        return columns.rewards[t];
    }

    /** Whether transition {@code t} ended in a terminal state. */
    public boolean isTerminal(int t) {
        return columns.terminals[t];
    }

    /** Whether transition {@code t} is the last of its episode (terminal, truncation or data break). */
    public boolean isEpisodeEnd(int t) {
        return columns.episodeEnds[t];
    }

    /** Copies the observation of transition {@code t} into {@code dst[offset .. offset + observationDim)}. */
    public void copyObservation(int t, double[] dst, int offset) {
        columns.copyObservation(t, dst, offset);
    }

    /** Copies the next observation of transition {@code t} into {@code dst[offset .. offset + observationDim)}. */
    public void copyNextObservation(int t, double[] dst, int offset) {
        columns.copyNextObservation(t, dst, offset);
    }

    /** Copies the action of transition {@code t} into {@code dst[offset .. offset + actionDim)}. */
    public void copyAction(int t, double[] dst, int offset) {
        columns.copyAction(t, dst, offset);
    }

    /** Read-only view of the observations {@code [size · observationDim]}; no copy. */
    public FloatBuffer observationsView() {
        return FloatBuffer.wrap(columns.observations).asReadOnlyBuffer();
    }

    /** Read-only view of the actions {@code [size · actionDim]}; no copy. */
    public FloatBuffer actionsView() {
        return FloatBuffer.wrap(columns.actions).asReadOnlyBuffer();
    }

    /** Read-only view of the raw rewards {@code [size]}; no copy. */
    public FloatBuffer rewardsView() {
        return FloatBuffer.wrap(columns.rewards).asReadOnlyBuffer();
    }

    /** Read-only view of the next observations {@code [size · observationDim]}; no copy. */
    public FloatBuffer nextObservationsView() {
        return FloatBuffer.wrap(columns.nextObservations).asReadOnlyBuffer();
    }

    /** The terminal flags; a fresh copy. */
    public boolean[] terminals() {
        return columns.terminals.clone();
    }

    /** The episode-end flags (every terminal and the last transition included); a fresh copy. */
    public boolean[] episodeEnds() {
        return columns.episodeEnds.clone();
    }

    /** Sum of the raw rewards, accumulated in double. */
    public double rewardSum() {
        double sum = 0.0;
        for (float r : columns.rewards) {
            sum += r;
        }
        return sum;
    }

    @Override
    public String toString() {
        return "OfflineDataset[size=" + size + ", observationDim=" + columns.observationDim + ", actionDim="
                + columns.actionDim
                + ", episodes=" + episodeCount() + ", terminals=" + terminalCount + "]";
    }

    // --- package-private access for samplers and preparation (no copies) ---

    TransitionColumns columns() {
        return columns;
    }

    float[] observationArray() {
        return columns.observations;
    }

    float[] actionArray() {
        return columns.actions;
    }

    float[] rewardArray() {
        return columns.rewards;
    }

    float[] nextObservationArray() {
        return columns.nextObservations;
    }

    boolean[] terminalArray() {
        return columns.terminals;
    }

    boolean[] episodeEndArray() {
        return columns.episodeEnds;
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
        /** Null once built. */
        private TransitionColumns columns;
        private OfflineDataset built;

        private Builder(int observationDim, int actionDim, int capacity) {
            TransitionColumns.checkDims(observationDim, actionDim);
            if (capacity <= 0) {
                throw new IllegalArgumentException("expectedTransitions must be positive, found " + capacity);
            }
            this.columns = TransitionColumns.allocate(observationDim, actionDim, capacity, true, false);
        }

        /** Transitions added so far. */
        public int size() {
            return columns == null ? built.size() : columns.size();
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
            TransitionColumns c = open();
            c.checkStep("step", c.size(), observation, action, nextObservation);
            int t = c.append(observation, action, checkReward(c, reward), nextObservation, terminated);
            c.episodeEnds[t] = terminated || truncated;
            return this;
        }

        /**
         * Adds one step from {@code double[]} rows (stored as float). See
         * {@link #step(float[], float[], double, float[], boolean, boolean)}.
         */
        public Builder step(double[] observation, double[] action, double reward, double[] nextObservation,
                boolean terminated, boolean truncated) {
            TransitionColumns c = open();
            c.checkStep("step", c.size(), observation, action, nextObservation);
            int t = c.append(observation, action, checkReward(c, reward), nextObservation, terminated);
            c.episodeEnds[t] = terminated || truncated;
            return this;
        }

        /**
         * Marks the last added step as the end of its episode (a break in the data, e.g. an episode cut
         * short without a timeout flag). No effect if nothing was added or the episode already ended.
         */
        public Builder endEpisode() {
            TransitionColumns c = open();
            if (c.size() > 0) {
                c.episodeEnds[c.size() - 1] = true;
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
            TransitionColumns c = open();
            if (c.size() == 0) {
                throw new IllegalArgumentException("an offline dataset must hold at least one transition, found 0 steps");
            }
            c.trimToSize();
            built = new OfflineDataset(c);
            columns = null;
            return built;
        }

        private TransitionColumns open() {
            if (columns == null) {
                throw new IllegalStateException("this builder has already built its dataset");
            }
            return columns;
        }

        private static float checkReward(TransitionColumns c, double reward) {
            if (!Double.isFinite(reward) || !Float.isFinite((float) reward)) {
                throw new IllegalArgumentException("reward at step " + c.size() + " must be finite, found " + reward);
            }
            return (float) reward;
        }
    }
}
