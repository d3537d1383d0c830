package org.calql.data;

/** Row copies and finiteness checks shared by datasets, the replay buffer and samplers; package-private. */
final class Rows {
    private Rows() {
    }

    /** Copies row {@code row} (of {@code width} floats) of {@code src} into {@code dst} from {@code offset}. */
    static void copy(float[] src, int row, int width, double[] dst, int offset) {
        int base = row * width;
        for (int j = 0; j < width; j++) {
            dst[offset + j] = src[base + j];
        }
    }

    /** Stores {@code src} as floats into {@code dst} from {@code offset}. */
    static void store(double[] src, float[] dst, int offset) {
        for (int j = 0; j < src.length; j++) {
            dst[offset + j] = (float) src[j];
        }
    }

    /** Index of the first NaN or infinite value, or −1. */
    static int firstNonFinite(float[] row) {
        for (int j = 0; j < row.length; j++) {
            if (!Float.isFinite(row[j])) {
                return j;
            }
        }
        return -1;
    }

    /** Index of the first value that is not finite as a double or would not be finite as a float, or −1. */
    static int firstNonFiniteAsFloat(double[] row) {
        for (int j = 0; j < row.length; j++) {
            if (!Double.isFinite(row[j]) || !Float.isFinite((float) row[j])) {
                return j;
            }
        }
        return -1;
    }

    /**
     * Throws if a value of a flat column of rows of {@code width} is NaN or infinite, naming
     * {@code field[i]}, and for {@code width > 1} its transition and column, and the value.
     */
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
}
