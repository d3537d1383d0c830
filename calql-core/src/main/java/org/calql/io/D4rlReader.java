package org.calql.io;

import java.io.IOException;
import java.nio.file.Path;
import org.calql.data.OfflineDataset;

/**
 * Reads a D4RL HDF5 file into an {@link OfflineDataset} with the semantics of D4RL's
 * {@code qlearning_dataset}, which every published D4RL result used.
 *
 * <p>Layout: {@code observations [N, S]}, {@code actions [N, A]}, {@code rewards [N]},
 * {@code terminals [N]}, {@code timeouts [N]} and optionally {@code next_observations [N, S]};
 * per-step keys may also be {@code [N, 1]}. Other keys ({@code infos/*}, {@code metadata/*}) are
 * ignored. Numbers may be float16/32/64 or integers (stored as float); flags may be h5py's bool (an
 * HDF5 enum), integers or floats 0/1. Discrete actions are an integer vector {@code actions [N]} (any HDF5
 * integer type), read only by {@link DatasetLoader#loadDiscrete} and refused by {@link #read(Path)}, which reads
 * continuous actions; an integer matrix {@code [N, A]} is read as continuous actions.
 *
 * <p>Semantics, for row {@code t} of {@code N}:
 * <ul>
 *   <li>the last row ({@code t = N − 1}) and every row with {@code timeouts[t]} are dropped: their
 *       next observation would belong to the following episode;</li>
 *   <li>the next observation of a kept row is {@code next_observations[t]} when that key exists,
 *       otherwise {@code observations[t + 1]};</li>
 *   <li>the transition is terminal if {@code terminals[t]};</li>
 *   <li>an episode ends at a kept row {@code t} that is terminal, that is followed by a dropped row
 *       (a timeout or the end of the data), or — as CORL's {@code get_return_to_go} adds
 *       ({@code algorithms/finetune/cal_ql.py}), only when {@code next_observations} exists — where
 *       {@code observations[t + 1]} differs from {@code next_observations[t]} (Euclidean distance above
 *       {@value #CONTINUITY_TOLERANCE}). The Cal-QL authors' loader ({@code qlearning_dataset_and_calc_mc},
 *       {@code JaxCQL/replay_buffer.py} lines 218-261) splits on terminals and timeouts only.</li>
 * </ul>
 * Returns-to-go are then computed per episode by {@link org.calql.data.ReturnsToGo}.
 *
 * <p>Memory: datasets are read chunk by chunk straight into the dataset's primitive arrays, so that
 * the peak heap is the loaded dataset plus {@code 6·N} bytes of row bookkeeping and one decompressed
 * chunk. Before anything is allocated, every key's declared size is checked against what the file
 * holds (see {@link MissingChunks} for chunks the index lacks), and the bytes the reader will hold are
 * checked against the free heap twice: the row bookkeeping ({@code 6·N} bytes plus the streaming
 * buffers) before the flags are read, and the dataset's arrays ({@code 4·(2·S + A + 1)·n + 6·n} bytes
 * for {@code n} kept rows) before they are allocated; either is refused with a
 * {@link DatasetFormatException} naming the size, never with an {@link OutOfMemoryError}.
 */
public final class D4rlReader {
    /** Distance between {@code observations[t + 1]} and {@code next_observations[t]} above which an episode ends. */
    public static final double CONTINUITY_TOLERANCE = 1e-6;

    private static final String LAYOUT = "a D4RL file needs observations, actions, rewards, terminals and timeouts";
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private D4rlReader() {
    }

    /**
     * Reads {@code file}.
     *
     * @param file a D4RL-layout HDF5 file
     * @return the kept transitions, in file order
     * @throws DatasetFormatException if the file is not HDF5, is truncated, or breaks the layout (a
     *     missing key, a wrong rank, lengths that disagree, an empty dataset, a NaN or infinite value,
     *     a flag that is not 0/1); the message names the file, key, value and rule
     * @throws IOException if the file cannot be read
     */
    public static OfflineDataset read(Path file) throws IOException {
        return read(file, MissingChunks.REFUSE);
    }

    /**
     * Reads {@code file}, treating chunks missing from a chunk index as {@code missingChunks} says.
     *
     * @throws DatasetFormatException as {@link #read(Path)}, and for missing chunks under
     *     {@link MissingChunks#REFUSE}
     * @throws IOException if the file cannot be read
     */
    public static OfflineDataset read(Path file, MissingChunks missingChunks) throws IOException {
        return Hdf5Source.read(file, missingChunks, D4rlReader::read);
    }

    static OfflineDataset read(Hdf5Source source) throws DatasetFormatException {
        return read(source, ActionColumns.CONTINUOUS);
    }

    /**
     * The actions {@code actions} holds (after checking {@code rewards} and that {@code actions} has a row per
     * reward, sizes included, without reading other data): an integer vector {@code [N]} is {@link DatasetActions.Discrete} with
     * {@code n} inferred as its largest value + 1 (every value checked to be a non-negative integer); anything
     * else is {@link DatasetActions.Continuous} of the matrix's width.
     */
    static DatasetActions inspect(Hdf5Source source) throws DatasetFormatException {
        // rewards first, as read() checks it, so that both refuse a broken file naming the same key
        Hdf5Column rewards = source.requireColumn("rewards", LAYOUT)
                .requireVector("rewards must have shape [N] or [N, 1]");
        String perStep = "'rewards' has " + rewards.rows() + "; every D4RL key must have one row per step";
        Hdf5Column actions = source.requireColumn("actions", LAYOUT);
        if (ActionColumns.isIndexVector(actions)) {
            ActionColumns.requireIndices(actions, "N");
            actions.requireRows(rewards.rows(), perStep);
            ActionColumns.requireScannable(source, actions, actions.rows());
            return new DatasetActions.Discrete(ActionColumns.maxIndex(actions, 0) + 1, 0, true);
        }
        actions.requireMatrix("actions must have shape [N, actionDim]");
        actions.requireRows(rewards.rows(), perStep);
        return new DatasetActions.Continuous(actions.cols());
    }

    /**
     * Reads the file's transitions; {@code numActions} is {@link ActionColumns#CONTINUOUS} for continuous actions
     * (an integer vector {@code actions} refused, pointing at the discrete loader) or the number of discrete
     * actions (each row of {@code actions} an index in {@code [0, numActions)}).
     */
    static OfflineDataset read(Hdf5Source source, int numActions) throws DatasetFormatException {
        Path file = source.file();
        Hdf5Column rewards = source.requireColumn("rewards", LAYOUT)
                .requireVector("rewards must have shape [N] or [N, 1]");
        int n = rewards.rows();
        String perStep = "'rewards' has " + n + "; every D4RL key must have one row per step";
        Hdf5Column observations = source.requireColumn("observations", LAYOUT)
                .requireMatrix("observations must have shape [N, observationDim]");
        observations.requireRows(n, perStep);
        Hdf5Column actions = source.requireColumn("actions", LAYOUT);
        if (numActions == ActionColumns.CONTINUOUS) {
            if (ActionColumns.isIndexVector(actions)) {
                throw ActionColumns.discreteRefused(actions, actions.typeName() + ", shape " + actions.shape());
            }
            actions.requireMatrix("actions must have shape [N, actionDim] (continuous actions; discrete action "
                    + "indices are an integer vector [N], read by DatasetLoader.loadDiscrete)");
        } else {
            ActionColumns.requireIndices(actions, "N");
        }
        actions.requireRows(n, perStep);
        Hdf5Column terminalColumn = source.requireColumn("terminals", LAYOUT)
                .requireVector("terminals must have shape [N] or [N, 1]");
        terminalColumn.requireRows(n, perStep);
        Hdf5Column timeoutColumn = source.requireColumn("timeouts", LAYOUT)
                .requireVector("timeouts must have shape [N] or [N, 1]");
        timeoutColumn.requireRows(n, perStep);
        Hdf5Column nextObservations = source.optionalColumn("next_observations");
        int obsDim = observations.cols();
        int actDim = numActions == ActionColumns.CONTINUOUS ? actions.cols() : 1;
        if (nextObservations != null) {
            nextObservations.requireMatrix("next_observations must have shape [N, observationDim]");
            nextObservations.requireRows(n, perStep);
            if (nextObservations.cols() != obsDim) {
                throw nextObservations.error("has shape " + nextObservations.shape() + " but observations has "
                        + observations.shape() + "; they must have the same shape");
            }
        }
        if (n < 2) {
            throw rewards.error("has " + n + " row; qlearning_dataset drops the last row, so at least 2 rows "
                    + "are needed");
        }

        long streaming = Math.max(Math.max(observations.streamingBytes(), actions.streamingBytes()),
                Math.max(Math.max(rewards.streamingBytes(), terminalColumn.streamingBytes()),
                        Math.max(timeoutColumn.streamingBytes(),
                                nextObservations == null ? 0 : nextObservations.streamingBytes())));
        source.requireHeap("rewards", 2 * Hdf5Source.arrayBytes(n, 1) + Hdf5Source.arrayBytes(n, Integer.BYTES)
                + streaming, n + " rows of flags and row bookkeeping (6 bytes a row) and one decompressed chunk");
        boolean[] rawTerminals = terminalColumn.readBooleans();
        boolean[] rawTimeouts = timeoutColumn.readBooleans();
        // keptOf[t]: index of row t among the kept transitions, or -1 if dropped (last row, timeouts).
        int[] keptOf = new int[n];
        int size = 0;
        for (int t = 0; t < n - 1; t++) {
            keptOf[t] = rawTimeouts[t] ? -1 : size++;
        }
        keptOf[n - 1] = -1;
        if (size == 0) {
            throw new DatasetFormatException(file, "timeouts", "marks every row but the last as a timeout; "
                    + "qlearning_dataset drops the last row and every timeout row, so no transition is left");
        }
        if ((long) size * obsDim > MAX_ARRAY || (long) size * actDim > MAX_ARRAY) {
            throw observations.error("has shape " + observations.shape() + " and actions " + actions.shape()
                    + ": " + size + " transitions are more than a Java float array can hold");
        }
        source.requireHeap("observations", datasetBytes(size, obsDim, actDim) + streaming, size
                + " transitions of observation width " + obsDim + " and action width " + actDim);

        float[] obs = new float[size * obsDim];
        float[] nextObs = new float[size * obsDim];
        float[] act = new float[size * actDim];
        float[] rew = new float[size];
        boolean nextFromFollowingRow = nextObservations == null;
        observations.stream((row0, nRows, col0, nCols, values) -> {
            int k = 0;
            for (int i = 0; i < nRows; i++) {
                int row = row0 + i;
                int dst = keptOf[row];
                int previous = nextFromFollowingRow && row > 0 ? keptOf[row - 1] : -1;
                for (int j = 0; j < nCols; j++) {
                    float v = observations.toFiniteFloat(values[k++], row, col0 + j);
                    if (dst >= 0) {
                        obs[dst * obsDim + col0 + j] = v;
                    }
                    if (previous >= 0) {
                        nextObs[previous * obsDim + col0 + j] = v;
                    }
                }
            }
        });
        if (nextObservations != null) {
            copyKeptRows(nextObservations, keptOf, nextObs, obsDim);
        }
        if (numActions == ActionColumns.CONTINUOUS) {
            copyKeptRows(actions, keptOf, act, actDim);
        } else {
            ActionColumns.readIndices(actions, keptOf, act, 0, 0, numActions);
        }
        copyKeptRows(rewards, keptOf, rew, 1);

        boolean[] terminals = new boolean[size];
        boolean[] episodeEnds = new boolean[size];
        for (int t = 0; t < n - 1; t++) {
            int k = keptOf[t];
            if (k < 0) {
                continue;
            }
            terminals[k] = rawTerminals[t];
            boolean followedByDropped = keptOf[t + 1] < 0;
            episodeEnds[k] = rawTerminals[t] || followedByDropped
                    || (!nextFromFollowingRow && discontinuous(obs, (k + 1) * obsDim, nextObs, k * obsDim, obsDim));
        }
        return OfflineDataset.fromArrays(obsDim, actDim, obs, act, rew, nextObs, terminals, episodeEnds);
    }

    /**
     * Heap bytes of an {@link OfflineDataset} of {@code n} transitions: observations and next observations
     * ({@code n · obsDim} floats each), actions, rewards, terminal and episode-end flags, and at most
     * {@code n} episode-end indices.
     */
    static long datasetBytes(long n, int obsDim, int actDim) {
        return 2 * Hdf5Source.arrayBytes(n * obsDim, Float.BYTES) + Hdf5Source.arrayBytes(n * actDim, Float.BYTES)
                + Hdf5Source.arrayBytes(n, Float.BYTES) + 2 * Hdf5Source.arrayBytes(n, 1)
                + Hdf5Source.arrayBytes(n, Integer.BYTES);
    }

    /** Copies the kept rows of {@code column} into {@code out[keptOf[t] · width ..]}, checking every value. */
    private static void copyKeptRows(Hdf5Column column, int[] keptOf, float[] out, int width)
            throws DatasetFormatException {
        column.stream((row0, nRows, col0, nCols, values) -> {
            int k = 0;
            for (int i = 0; i < nRows; i++) {
                int row = row0 + i;
                int dst = keptOf[row];
                for (int j = 0; j < nCols; j++) {
                    float v = column.toFiniteFloat(values[k++], row, col0 + j);
                    if (dst >= 0) {
                        out[dst * width + col0 + j] = v;
                    }
                }
            }
        });
    }

    private static boolean discontinuous(float[] a, int aOffset, float[] b, int bOffset, int width) {
        double squared = 0.0;
        for (int j = 0; j < width; j++) {
            double d = (double) a[aOffset + j] - b[bOffset + j];
            squared += d * d;
        }
        return squared > CONTINUITY_TOLERANCE * CONTINUITY_TOLERANCE;
    }
}
