package org.calql.policy;

import org.calql.spi.Network;
import org.calql.spi.ParameterGradients;

/**
 * A tanh-Gaussian policy on top of a network whose output row is {@code [mean (A), rawLogStd (A)]}:
 * {@code logStd = clamp(logStdMultiplier·rawLogStd + logStdOffset, −20, 2)}, where the multiplier and the
 * offset are trainable scalars; actions are {@code maxAction·tanh(u)} (see {@link TanhGaussian}).
 *
 * <p>Passes go through a {@link PolicyPass}, one per caller: passes through distinct {@code PolicyPass}es
 * may run concurrently while the parameters do not change.
 */
public final class TanhGaussianPolicy {
    /** Lower clamp of the log standard deviation. */
    public static final double LOG_STD_MIN = -20.0;
    /** Upper clamp of the log standard deviation. */
    public static final double LOG_STD_MAX = 2.0;

    private final Network network;
    private final int observationDim;
    private final int actionDim;
    private final double maxAction;
    private double logStdMultiplier;
    private double logStdOffset;

    /**
     * @param network          maps an observation to {@code 2·actionDim} outputs
     * @param maxAction        action scale, positive
     * @param logStdMultiplier initial multiplier of the raw log-std
     * @param logStdOffset     initial offset of the log-std
     */
    public TanhGaussianPolicy(Network network, int actionDim, double maxAction, double logStdMultiplier,
                              double logStdOffset) {
        if (network.spec().outputDim() != 2 * actionDim) {
            throw new IllegalArgumentException("policy network must output 2·actionDim = " + 2 * actionDim
                    + " values, found " + network.spec().outputDim());
        }
        if (!(maxAction > 0) || Double.isInfinite(maxAction)) {
            throw new IllegalArgumentException("maxAction must be positive and finite, found " + maxAction);
        }
        this.network = network;
        this.observationDim = network.spec().inputDim();
        this.actionDim = actionDim;
        this.maxAction = maxAction;
        this.logStdMultiplier = logStdMultiplier;
        this.logStdOffset = logStdOffset;
    }

    /** The underlying network. */
    public Network network() {
        return network;
    }

    /** Width of an observation. */
    public int observationDim() {
        return observationDim;
    }

    /** Width of an action. */
    public int actionDim() {
        return actionDim;
    }

    /** Action scale. */
    public double maxAction() {
        return maxAction;
    }

    /** Trainable multiplier of the raw log-std. */
    public double logStdMultiplier() {
        return logStdMultiplier;
    }

    /** Trainable offset of the log-std. */
    public double logStdOffset() {
        return logStdOffset;
    }

    /** Sets the two trainable scalars (after an optimizer step or a checkpoint load). */
    public void setLogStdAffine(double multiplier, double offset) {
        this.logStdMultiplier = multiplier;
        this.logStdOffset = offset;
    }

    /** Buffers for passes of at most {@code maxRows} observations. */
    public PolicyPass newPass(int maxRows) {
        return new PolicyPass(network.newWorkspace(maxRows), maxRows, actionDim);
    }

    /** Runs the network on {@code rows} observations and fills the pass's mean and clamped log-std. */
    public void forward(PolicyPass pass, double[] observations, int rows) {
        if (rows > pass.maxRows) {
            throw new IllegalArgumentException("rows " + rows + " exceed the pass's capacity " + pass.maxRows);
        }
        network.forward(pass.workspace, observations, rows, pass.output);
        int width = 2 * actionDim;
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < actionDim; a++) {
                double raw = pass.output[r * width + actionDim + a];
                double ls = logStdMultiplier * raw + logStdOffset;
                pass.logStd[r * actionDim + a] = Math.max(LOG_STD_MIN, Math.min(LOG_STD_MAX, ls));
                pass.mean[r * actionDim + a] = pass.output[r * width + a];
            }
        }
        pass.rows = rows;
    }

    /** Deterministic actions {@code maxAction·tanh(mean)} of the last forward, into {@code out [rows, A]}. */
    public void deterministicActions(PolicyPass pass, double[] out) {
        int n = pass.rows * actionDim;
        for (int i = 0; i < n; i++) {
            out[i] = maxAction * Math.tanh(pass.mean[i]);
        }
    }

    /**
     * Backward from gradients with respect to the last forward's mean and clamped log-std (as accumulated
     * in {@link PolicyPass#gradMean()} and {@link PolicyPass#gradLogStd()}): network parameter gradients are
     * added into {@code gradients}, and {@code scalarGradients[0..1]} receive (add) the gradients of the
     * log-std multiplier and offset. The clamp passes gradient only where
     * {@code −20 ≤ multiplier·raw + offset ≤ 2}, as {@code torch.clamp} does.
     */
    public void backward(PolicyPass pass, ParameterGradients gradients, double[] scalarGradients) {
        int width = 2 * actionDim;
        int rows = pass.rows;
        double gMultiplier = 0.0;
        double gOffset = 0.0;
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < actionDim; a++) {
                int i = r * actionDim + a;
                double raw = pass.output[r * width + actionDim + a];
                double ls = logStdMultiplier * raw + logStdOffset;
                double g = (ls >= LOG_STD_MIN && ls <= LOG_STD_MAX) ? pass.gradLogStd[i] : 0.0;
                pass.gradOutput[r * width + a] = pass.gradMean[i];
                pass.gradOutput[r * width + actionDim + a] = g * logStdMultiplier;
                gMultiplier += g * raw;
                gOffset += g;
            }
        }
        network.backward(pass.workspace, pass.gradOutput, gradients, null, null);
        scalarGradients[0] += gMultiplier;
        scalarGradients[1] += gOffset;
    }
}
