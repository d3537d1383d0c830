package org.calql.policy;

import java.util.Arrays;
import org.calql.spi.Workspace;

/**
 * The buffers of one caller of a Gaussian policy ({@link TanhGaussianPolicy}, {@link NonSquashedGaussianPolicy}): the
 * network's workspace, its output and output gradient, and the last forward's mean and log-std with their gradients.
 */
final class GaussianPass implements PolicyPass {
    final Workspace workspace;
    final int maxRows;
    final double[] output;
    final double[] gradOutput;
    final double[] mean;
    final double[] logStd;
    final double[] gradMean;
    final double[] gradLogStd;
    int rows;

    /** Buffers for {@code maxRows} rows of {@code actionDim} actions and a network output of {@code outputWidth}. */
    GaussianPass(Workspace workspace, int maxRows, int actionDim, int outputWidth) {
        this.workspace = workspace;
        this.maxRows = maxRows;
        this.output = new double[maxRows * outputWidth];
        this.gradOutput = new double[maxRows * outputWidth];
        this.mean = new double[maxRows * actionDim];
        this.logStd = new double[maxRows * actionDim];
        this.gradMean = new double[maxRows * actionDim];
        this.gradLogStd = new double[maxRows * actionDim];
    }

    @Override
    public int maxRows() {
        return maxRows;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public void zeroGradients() {
        Arrays.fill(gradMean, 0.0);
        Arrays.fill(gradLogStd, 0.0);
    }
}
