package org.calql.data;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * The one columnar storage of transitions behind {@link OfflineDataset}, its builder and
 * {@link ReplayBuffer} (ring and episode staging): flat row-major float columns for observations,
 * actions, rewards and next observations, a terminal flag per row, and optionally an episode-end flag
 * (an appended row starts as none; the owner sets it) and a double return-to-go per row.
 *
 * <p>{@link #size()} rows are in use out of {@link #capacity()}; {@link #append} grows the columns by
 * half when full, the ring writes fixed slots with {@link #copyRow}. The columns are fields, read
 * directly by the samplers' hot loops; owners validate values before they reach them (see
 * {@link #checkStep}). Package-private; not thread-safe.
 */
final class TransitionColumns {
    final int observationDim;
    final int actionDim;
    float[] observations;
    float[] actions;
    float[] rewards;
    float[] nextObservations;
    boolean[] terminals;
    /** Null unless the columns keep episode ends. */
    boolean[] episodeEnds;
    /** Null unless the columns keep returns-to-go. */
    double[] returnsToGo;
    private int size;

    private TransitionColumns(int observationDim, int actionDim, float[] observations, float[] actions,
            float[] rewards, float[] nextObservations, boolean[] terminals, boolean[] episodeEnds,
            double[] returnsToGo, int size) {
        this.observationDim = observationDim;
        this.actionDim = actionDim;
        this.observations = observations;
        this.actions = actions;
        this.rewards = rewards;
        this.nextObservations = nextObservations;
        this.terminals = terminals;
        this.episodeEnds = episodeEnds;
        this.returnsToGo = returnsToGo;
        this.size = size;
    }

    /**
     * Throws unless both widths are positive, naming the field and the value.
     */
    static void checkDims(int observationDim, int actionDim) {
        if (observationDim <= 0) {
            throw new IllegalArgumentException("observationDim must be positive, found " + observationDim);
        }
        if (actionDim <= 0) {
            throw new IllegalArgumentException("actionDim must be positive, found " + actionDim);
        }
    }

    /** Empty columns with room for {@code capacity} rows; dimensions and capacity checked by the caller. */
    static TransitionColumns allocate(int observationDim, int actionDim, int capacity, boolean keepEpisodeEnds,
            boolean keepReturns) {
        return new TransitionColumns(observationDim, actionDim,
                new float[Math.multiplyExact(capacity, observationDim)],
                new float[Math.multiplyExact(capacity, actionDim)], new float[capacity],
                new float[Math.multiplyExact(capacity, observationDim)], new boolean[capacity],
                keepEpisodeEnds ? new boolean[capacity] : null, keepReturns ? new double[capacity] : null, 0);
    }

    /** Full columns over the given arrays (not copied), lengths checked by the caller; no returns-to-go. */
    static TransitionColumns wrap(int observationDim, int actionDim, float[] observations, float[] actions,
            float[] rewards, float[] nextObservations, boolean[] terminals, boolean[] episodeEnds) {
        return new TransitionColumns(observationDim, actionDim, observations, actions, rewards, nextObservations,
                terminals, episodeEnds, null, rewards.length);
    }

    /** Rows in use. */
    int size() {
        return size;
    }

    /** Rows allocated. */
    int capacity() {
        return rewards.length;
    }

    /** Forgets every row (the arrays are kept for reuse). */
    void clear() {
        size = 0;
    }

    /** Appends a row from {@code double[]} rows stored as float; returns its index. */
    int append(double[] observation, double[] action, float reward, double[] nextObservation, boolean terminal) {
        int t = appendScalars(reward, terminal);
        Rows.store(observation, observations, t * observationDim);
        Rows.store(action, actions, t * actionDim);
        Rows.store(nextObservation, nextObservations, t * observationDim);
        return t;
    }

    /** Appends a row from float rows; returns its index. */
    int append(float[] observation, float[] action, float reward, float[] nextObservation, boolean terminal) {
        int t = appendScalars(reward, terminal);
        System.arraycopy(observation, 0, observations, t * observationDim, observationDim);
        System.arraycopy(action, 0, actions, t * actionDim, actionDim);
        System.arraycopy(nextObservation, 0, nextObservations, t * observationDim, observationDim);
        return t;
    }

    private int appendScalars(float reward, boolean terminal) {
        ensureCapacity(size + 1L);
        int t = size++;
        rewards[t] = reward;
        terminals[t] = terminal;
        if (episodeEnds != null) {
            episodeEnds[t] = false;
        }
        return t;
    }

    /** Grows every column, one at a time, to at least {@code rows} rows and by at least half. */
    void ensureCapacity(long rows) {
        int capacity = capacity();
        if (rows <= capacity) {
            return;
        }
        long grown = Math.min(Integer.MAX_VALUE - 8L, Math.max(rows, capacity + (capacity >> 1) + 1L));
        if (grown < rows) {
            throw new IllegalStateException("transition storage is full at " + capacity + " rows");
        }
        resize((int) grown);
    }

    /** Shrinks the columns to exactly {@link #size()} rows if they are larger. */
    void trimToSize() {
        if (size != capacity()) {
            resize(size);
        }
    }

    private void resize(int rows) {
        observations = Arrays.copyOf(observations, Math.multiplyExact(rows, observationDim));
        nextObservations = Arrays.copyOf(nextObservations, Math.multiplyExact(rows, observationDim));
        actions = Arrays.copyOf(actions, Math.multiplyExact(rows, actionDim));
        rewards = Arrays.copyOf(rewards, rows);
        terminals = Arrays.copyOf(terminals, rows);
        if (episodeEnds != null) {
            episodeEnds = Arrays.copyOf(episodeEnds, rows);
        }
        if (returnsToGo != null) {
            returnsToGo = Arrays.copyOf(returnsToGo, rows);
        }
    }

    /**
     * Writes the returns-to-go of the episode in rows {@code [from, to)} into their return column with
     * {@link ReturnsToGo#episode}.
     */
    void computeReturns(int from, int to, double discount, OptionalDouble sparseFailureReward) {
        ReturnsToGo.episode(rewards, terminals, from, to, discount, sparseFailureReward, returnsToGo, from);
    }

    /**
     * Copies row {@code srcRow} of {@code src} into row {@code dstRow} of these columns, which must have
     * the same widths and at most the optional columns {@code src} has; {@link #size()} is unchanged.
     */
    void copyRow(TransitionColumns src, int srcRow, int dstRow) {
        System.arraycopy(src.observations, srcRow * observationDim, observations, dstRow * observationDim,
                observationDim);
        System.arraycopy(src.nextObservations, srcRow * observationDim, nextObservations, dstRow * observationDim,
                observationDim);
        System.arraycopy(src.actions, srcRow * actionDim, actions, dstRow * actionDim, actionDim);
        rewards[dstRow] = src.rewards[srcRow];
        terminals[dstRow] = src.terminals[srcRow];
        if (episodeEnds != null) {
            episodeEnds[dstRow] = src.episodeEnds[srcRow];
        }
        if (returnsToGo != null) {
            returnsToGo[dstRow] = src.returnsToGo[srcRow];
        }
    }

    /**
     * Replaces the contents with the first {@code rows} rows held in the given arrays (copied), growing
     * if needed; {@code returns} may be null (the return column, if any, is then left as it is, e.g. the
     * staging area's scratch). Lengths checked by the caller.
     */
    void load(int rows, float[] obs, float[] act, float[] rew, float[] next, boolean[] term, double[] returns) {
        ensureCapacity(rows);
        System.arraycopy(obs, 0, observations, 0, rows * observationDim);
        System.arraycopy(act, 0, actions, 0, rows * actionDim);
        System.arraycopy(rew, 0, rewards, 0, rows);
        System.arraycopy(next, 0, nextObservations, 0, rows * observationDim);
        System.arraycopy(term, 0, terminals, 0, rows);
        if (returns != null) {
            System.arraycopy(returns, 0, returnsToGo, 0, rows);
        }
        size = rows;
    }

    /** Sets the number of rows in use, in {@code [0, capacity()]} (for the ring, which writes slots). */
    void setSize(int rows) {
        size = rows;
    }

    /** Copies the observation of row {@code t} into {@code dst[offset .. offset + observationDim)}. */
    void copyObservation(int t, double[] dst, int offset) {
        Rows.copy(observations, t, observationDim, dst, offset);
    }

    /** Copies the next observation of row {@code t} into {@code dst[offset .. offset + observationDim)}. */
    void copyNextObservation(int t, double[] dst, int offset) {
        Rows.copy(nextObservations, t, observationDim, dst, offset);
    }

    /** Copies the action of row {@code t} into {@code dst[offset .. offset + actionDim)}. */
    void copyAction(int t, double[] dst, int offset) {
        Rows.copy(actions, t, actionDim, dst, offset);
    }

    /**
     * Checks the three rows of a step before it is stored: not null, the right widths, every value finite
     * (as a float); messages name the field and the step, e.g. "at pending step 3" for {@code where}
     * "pending step" and {@code index} 3 (built only on failure, so a valid step allocates nothing).
     */
    void checkStep(String where, int index, double[] observation, double[] action, double[] nextObservation) {
        checkWidth("observation", observation == null ? -1 : observation.length, observationDim, where, index);
        checkWidth("action", action == null ? -1 : action.length, actionDim, where, index);
        checkWidth("nextObservation", nextObservation == null ? -1 : nextObservation.length, observationDim,
                where, index);
        checkFinite("observation", Rows.firstNonFiniteAsFloat(observation), observation, where, index);
        checkFinite("action", Rows.firstNonFiniteAsFloat(action), action, where, index);
        checkFinite("nextObservation", Rows.firstNonFiniteAsFloat(nextObservation), nextObservation, where, index);
    }

    /** {@link #checkStep(String, int, double[], double[], double[])} for float rows. */
    void checkStep(String where, int index, float[] observation, float[] action, float[] nextObservation) {
        checkWidth("observation", observation == null ? -1 : observation.length, observationDim, where, index);
        checkWidth("action", action == null ? -1 : action.length, actionDim, where, index);
        checkWidth("nextObservation", nextObservation == null ? -1 : nextObservation.length, observationDim,
                where, index);
        checkFinite("observation", Rows.firstNonFinite(observation), observation, where, index);
        checkFinite("action", Rows.firstNonFinite(action), action, where, index);
        checkFinite("nextObservation", Rows.firstNonFinite(nextObservation), nextObservation, where, index);
    }

    private static void checkWidth(String field, int length, int width, String where, int index) {
        if (length < 0) {
            throw new IllegalArgumentException(field + " at " + where + " " + index + " must not be null");
        }
        if (length != width) {
            throw new IllegalArgumentException(field + " at " + where + " " + index + " must have length " + width
                    + ", found " + length);
        }
    }

    /** Throws naming {@code row[j]} when {@code j} (the first non-finite index, or −1) is set. */
    private static void checkFinite(String field, int j, Object row, String where, int index) {
        if (j >= 0) {
            throw new IllegalArgumentException(field + "[" + j + "] at " + where + " " + index
                    + " must be finite, found " + java.lang.reflect.Array.get(row, j));
        }
    }
}
