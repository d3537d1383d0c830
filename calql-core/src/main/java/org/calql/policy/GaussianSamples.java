package org.calql.policy;

/**
 * Sampled actions of a Gaussian policy with their noise, which the backward through sampling needs, and for a
 * squashing policy {@code tanh(u)} ({@link #squashed}; null for one that does not squash).
 */
final class GaussianSamples implements PolicySamples {
    final int maxRows;
    final int samplesPerRow;
    final double[] noise;
    final double[] actions;
    final double[] squashed;
    final double[] logProbs;
    int rows;

    GaussianSamples(int maxRows, int samplesPerRow, int actionDim, boolean squashing) {
        this.maxRows = maxRows;
        this.samplesPerRow = samplesPerRow;
        this.noise = new double[maxRows * samplesPerRow * actionDim];
        this.actions = new double[maxRows * samplesPerRow * actionDim];
        this.squashed = squashing ? new double[maxRows * samplesPerRow * actionDim] : null;
        this.logProbs = new double[maxRows * samplesPerRow];
    }

    @Override
    public int samplesPerRow() {
        return samplesPerRow;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public double[] actions() {
        return actions;
    }

    @Override
    public double[] logProbs() {
        return logProbs;
    }
}
