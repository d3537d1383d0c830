package org.calql.io;

/**
 * The rules the readers share for an {@code actions} dataset, continuous or discrete; see
 * {@link DatasetLoader#loadDiscrete(java.nio.file.Path, int)} for the discrete ones.
 */
final class ActionColumns {
    /** The number of actions a reader is given to mean "continuous actions" ({@link DatasetLoader#load}). */
    static final int CONTINUOUS = 0;

    /** Most actions a discrete dataset may have: every index below 2^24 is exact as the float it is stored as. */
    static final int MAX_ACTIONS = 1 << 24;

    private ActionColumns() {
    }

    /** Whether {@code column} holds discrete action indices by its own type: an integer vector of rank 1. */
    static boolean isIndexVector(Hdf5Column column) {
        return column.isInteger() && column.rank() == 1;
    }

    /** The refusal of discrete actions by a continuous load, pointing at the discrete loader. */
    static DatasetFormatException discreteRefused(Hdf5Column column, String why) {
        return column.error("holds discrete action indices (" + why + "); DatasetLoader.load reads continuous "
                + "actions only: load discrete data with DatasetLoader.loadDiscrete(file, n) "
                + "(DatasetLoader.inspect(file) reports n)");
    }

    /**
     * Checks that {@code column} can hold one discrete action index per step: shape {@code [steps]} or
     * {@code [steps, 1]} of an integer type, or of a float type whose values will be checked to be integral.
     *
     * @param steps the name of the step count in messages, {@code N} or {@code T}
     */
    static Hdf5Column requireIndices(Hdf5Column column, String steps) throws DatasetFormatException {
        String shape = column.shape();
        String rule = "a discrete action is one index per step, an integer dataset of shape [" + steps + "]";
        boolean oneColumn = column.rank() == 1 || (column.rank() == 2 && column.cols() == 1);
        if (column.rank() == 2 && !oneColumn) {
            if (column.isInteger()) {
                throw column.error("is a 2-D integer dataset (" + column.typeName() + ", shape " + shape + "); "
                        + rule + " (multi-discrete actions are not supported)");
            }
            throw column.error("holds continuous actions (" + column.typeName() + ", shape " + shape + ") where "
                    + "integer action indices are expected; " + rule + " (load continuous actions with "
                    + "DatasetLoader.load)");
        }
        if (!oneColumn) {
            throw column.error("has shape " + shape + " (rank " + column.rank() + "); " + rule);
        }
        if (!column.isInteger() && !column.typeName().startsWith("float")) {
            throw column.error("has HDF5 type " + column.typeName() + " where integer action indices are expected; "
                    + rule);
        }
        return column.requireVector(rule);
    }

    /**
     * Reads every index of a checked index column into {@code out[base + row]} for the rows where
     * {@code keptOf} (if not null) is non-negative, at {@code out[base + keptOf[row]]}; every row is checked.
     */
    static void readIndices(Hdf5Column column, int[] keptOf, float[] out, int base, long start, int n)
            throws DatasetFormatException {
        column.stream((row0, nRows, col0, nCols, values) -> {
            for (int i = 0; i < nRows; i++) {
                int row = row0 + i;
                int index = column.toActionIndex(values[i * nCols], row, 0, start, n);
                int dst = keptOf == null ? row : keptOf[row];
                if (dst >= 0) {
                    out[base + dst] = index;
                }
            }
        });
    }

    /**
     * Checks, before {@code column} is scanned to infer the number of actions, that the file's {@code steps}
     * actions as a load would hold them ({@code 4·steps} bytes, a lower bound of the loaded dataset) and one
     * decompressed chunk fit the heap: a file declaring more rows than any load could take (e.g. a chunked dataset
     * read with {@link MissingChunks#READ_AS_FILL_VALUE}) is refused at once instead of scanned row by row.
     */
    static void requireScannable(Hdf5Source source, Hdf5Column column, long steps) throws DatasetFormatException {
        source.requireHeap(column.key(), Hdf5Source.arrayBytes(steps, Float.BYTES) + column.streamingBytes(),
                steps + " action indices as a load would hold them (4 bytes a step) and one decompressed chunk");
    }

    /** The largest index in a checked index column (every value checked to be a non-negative integer). */
    static int maxIndex(Hdf5Column column, long start) throws DatasetFormatException {
        int[] max = {-1};
        column.stream((row0, nRows, col0, nCols, values) -> {
            for (int i = 0; i < nRows; i++) {
                max[0] = Math.max(max[0], column.toActionIndex(values[i * nCols], row0 + i, 0, start, 0));
            }
        });
        return max[0];
    }
}
