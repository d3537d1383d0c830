package org.calql.policy;

import java.util.Arrays;
import org.calql.spi.Workspace;

/**
 * The buffers of one caller's passes through a {@link TanhGaussianPolicy}: the last forward's mean and
 * clamped log-std, and the gradients with respect to them that a backward pass consumes. Not thread-safe.
 */
public final class PolicyPass {
    final Workspace workspace;
    final int maxRows;
    final double[] output;
    final double[] gradOutput;
    final double[] mean;
    final double[] logStd;
    final double[] gradMean;
    final double[] gradLogStd;
    int rows;

    PolicyPass(Workspace workspace, int maxRows, int actionDim) {
        this.workspace = workspace;
        this.maxRows = maxRows;
        this.output = new double[maxRows * 2 * actionDim];
        this.gradOutput = new double[maxRows * 2 * actionDim];
        this.mean = new double[maxRows * actionDim];
        this.logStd = new double[maxRows * actionDim];
        this.gradMean = new double[maxRows * actionDim];
        this.gradLogStd = new double[maxRows * actionDim];
    }

    /** Rows of the last forward. */
    public int rows() {
        return rows;
    }

    /** {@code [rows, A]}: the mean of {@code u}. */
    public double[] mean() {
        return mean;
    }

    /** {@code [rows, A]}: the clamped log standard deviation. */
    public double[] logStd() {
        return logStd;
    }

    /** {@code [rows, A]}: dL/d mean, accumulated by callers before {@link TanhGaussianPolicy#backward}. */
    public double[] gradMean() {
        return gradMean;
    }

    /** {@code [rows, A]}: dL/d logStd (after the clamp), accumulated by callers. */
    public double[] gradLogStd() {
        return gradLogStd;
    }

    /** Zeroes the accumulated gradients. */
    public void zeroGradients() {
        Arrays.fill(gradMean, 0.0);
        Arrays.fill(gradLogStd, 0.0);
    }
}
