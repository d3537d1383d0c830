package org.calql.data;

import java.util.Arrays;

/**
 * Per-dimension observation normalisation {@code x'_j = (x_j − mean_j) / std_j}, immutable. Statistics
 * come from a dataset's observations ({@link #fit}), with every standard deviation floored so that a
 * constant dimension does not blow up; the mean and std arrays are exposed (as copies) for checkpoints
 * and restored with {@link #of}.
 */
public final class ObservationNormalizer {
    /** Default floor on a dimension's standard deviation. */
    public static final double DEFAULT_STD_FLOOR = 1e-3;

    private final double[] mean;
    private final double[] std;
    private final double[] inverseStd;
    private final boolean identity;

    private ObservationNormalizer(double[] mean, double[] std, boolean identity) {
        this.mean = mean;
        this.std = std;
        this.inverseStd = new double[std.length];
        for (int j = 0; j < std.length; j++) {
            inverseStd[j] = 1.0 / std[j];
        }
        this.identity = identity;
    }

    /**
     * The normaliser that leaves observations unchanged (mean 0, std 1).
     *
     * @param observationDim width of an observation, positive
     */
    public static ObservationNormalizer identity(int observationDim) {
        if (observationDim <= 0) {
            throw new IllegalArgumentException("observationDim must be positive, found " + observationDim);
        }
        double[] mean = new double[observationDim];
        double[] std = new double[observationDim];
        Arrays.fill(std, 1.0);
        return new ObservationNormalizer(mean, std, true);
    }

    /** {@link #fit(OfflineDataset, double)} with {@link #DEFAULT_STD_FLOOR}. */
    public static ObservationNormalizer fit(OfflineDataset dataset) {
        return fit(dataset, DEFAULT_STD_FLOOR);
    }

    /**
     * Mean and population standard deviation of each observation dimension over the dataset's
     * observations (two passes, in double), with {@code std_j = max(std_j, stdFloor)}.
     *
     * @throws IllegalArgumentException if {@code stdFloor} is not positive and finite
     */
    public static ObservationNormalizer fit(OfflineDataset dataset, double stdFloor) {
        if (!(stdFloor > 0.0) || !Double.isFinite(stdFloor)) {
            throw new IllegalArgumentException("stdFloor must be positive and finite, found " + stdFloor);
        }
        int dim = dataset.observationDim();
        int n = dataset.size();
        float[] obs = dataset.observationArray();
        double[] mean = new double[dim];
        for (int t = 0, i = 0; t < n; t++) {
            for (int j = 0; j < dim; j++, i++) {
                mean[j] += obs[i];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= n;
        }
        double[] variance = new double[dim];
        for (int t = 0, i = 0; t < n; t++) {
            for (int j = 0; j < dim; j++, i++) {
                double d = obs[i] - mean[j];
                variance[j] += d * d;
            }
        }
        double[] std = new double[dim];
        for (int j = 0; j < dim; j++) {
            std[j] = Math.max(Math.sqrt(variance[j] / n), stdFloor);
        }
        return new ObservationNormalizer(mean, std, false);
    }

    /**
     * A normaliser with the given statistics (copied), e.g. restored from a checkpoint.
     *
     * @throws IllegalArgumentException if the lengths differ or are zero, a mean is not finite, or a
     *     std is not positive and finite
     */
    public static ObservationNormalizer of(double[] mean, double[] std) {
        if (mean == null || std == null) {
            throw new IllegalArgumentException("mean and std must not be null");
        }
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std must have the same positive length, found "
                    + mean.length + " and " + std.length);
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("mean[" + j + "] must be finite, found " + mean[j]);
            }
            if (!(std[j] > 0.0) || !Double.isFinite(std[j])) {
                throw new IllegalArgumentException("std[" + j + "] must be positive and finite, found " + std[j]);
            }
        }
        return new ObservationNormalizer(mean.clone(), std.clone(), false);
    }

    /** Width of an observation. */
    public int observationDim() {
        return mean.length;
    }

    /** Whether this normaliser leaves observations unchanged. */
    public boolean isIdentity() {
        return identity;
    }

    /** The per-dimension means; a fresh copy. */
    public double[] mean() {
        return mean.clone();
    }

    /** The per-dimension standard deviations (after the floor); a fresh copy. */
    public double[] std() {
        return std.clone();
    }

    /**
     * Normalises {@code rows} consecutive observations in place, starting at {@code values[offset]}.
     *
     * @throws IllegalArgumentException if the range does not fit in {@code values}
     */
    public void normalizeInPlace(double[] values, int offset, int rows) {
        int dim = mean.length;
        if (offset < 0 || rows < 0 || (long) offset + (long) rows * dim > values.length) {
            throw new IllegalArgumentException(rows + " rows of width " + dim + " from offset " + offset
                    + " must fit in an array of length " + values.length);
        }
        if (identity) {
            return;
        }
        for (int r = 0, i = offset; r < rows; r++) {
            for (int j = 0; j < dim; j++, i++) {
                values[i] = (values[i] - mean[j]) * inverseStd[j];
            }
        }
    }

    /** Normalises every row of {@code values}, whose length must be a multiple of the width. */
    public void normalizeInPlace(double[] values) {
        if (values.length % mean.length != 0) {
            throw new IllegalArgumentException("array length must be a multiple of observationDim " + mean.length
                    + ", found " + values.length);
        }
        normalizeInPlace(values, 0, values.length / mean.length);
    }

    /** Normalises one float observation into {@code out} (same width); allocates nothing. */
    public void normalize(float[] observation, double[] out) {
        int dim = mean.length;
        if (observation.length != dim || out.length != dim) {
            throw new IllegalArgumentException("observation and out must have length " + dim + ", found "
                    + observation.length + " and " + out.length);
        }
        for (int j = 0; j < dim; j++) {
            out[j] = (observation[j] - mean[j]) * inverseStd[j];
        }
    }

    /** Means for samplers, or null when the identity; not copied. */
    double[] meanOrNull() {
        return identity ? null : mean;
    }

    /** Reciprocal std for samplers; not copied. */
    double[] inverseStdArray() {
        return inverseStd;
    }

    @Override
    public String toString() {
        return identity ? "ObservationNormalizer[identity, dim=" + mean.length + "]"
                : "ObservationNormalizer[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
