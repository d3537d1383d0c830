package org.calql.optim;

/**
 * Adam for one scalar parameter with PyTorch semantics (β = (0.9, 0.999), ε = 1e-8, bias-corrected):
 * {@code θ −= (lr / (1 − β1ᵗ)) · m / (sqrt(v) / sqrt(1 − β2ᵗ) + ε)}.
 */
public final class ScalarAdam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private long steps;
    private double m;
    private double v;

    /** A fresh optimizer: no steps taken, zero moments. */
    public ScalarAdam() {
    }

    /** Returns the parameter after one step from {@code gradient}. */
    public double step(double parameter, double gradient, double learningRate) {
        steps++;
        m = BETA1 * m + (1 - BETA1) * gradient;
        v = BETA2 * v + (1 - BETA2) * gradient * gradient;
        double bias1 = 1 - Math.pow(BETA1, steps);
        double bias2 = 1 - Math.pow(BETA2, steps);
        double stepSize = learningRate / bias1;
        double denom = Math.sqrt(v) / Math.sqrt(bias2) + EPS;
        return parameter - stepSize * m / denom;
    }

    /** {@code [steps, m, v]}. */
    public double[] exportState() {
        return new double[] {steps, m, v};
    }

    /**
     * Restores {@link #exportState()}.
     *
     * @throws IllegalArgumentException if the state is not {@code [steps, m, v]} with integral steps {@code >= 0}
     */
    public void importState(double[] state) {
        if (state == null || state.length != 3 || state[0] < 0 || state[0] != Math.rint(state[0])) {
            throw new IllegalArgumentException("scalar Adam state must be [steps, m, v] with integral steps >= 0");
        }
        steps = (long) state[0];
        m = state[1];
        v = state[2];
    }
}
