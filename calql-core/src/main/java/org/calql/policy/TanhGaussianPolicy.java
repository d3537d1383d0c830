package org.calql.policy;

import java.util.Arrays;
import org.calql.init.ParameterInitializer;
import org.calql.optim.ScalarAdam;
import org.calql.spi.AdamState;
import org.calql.spi.BoundRows;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Optimizer;
import org.calql.spi.ParameterGradients;

/**
 * A tanh-Gaussian policy on top of a network whose output row is {@code [mean (A), rawLogStd (A)]}:
 * {@code logStd = clamp(logStdMultiplier·rawLogStd + logStdOffset, −20, 2)}, where the multiplier and the
 * offset are trainable scalars; actions are {@code maxAction·tanh(u)}, {@code u = mean + exp(logStd)·ε}
 * (see {@link TanhGaussian}). This is the policy of the Cal-QL reference code.
 *
 * <p>Parameter layout ({@link PolicyState#parameters()}): the network's arrays {@code [w0, b0, w1, b1, …]}
 * (see {@link Network#exportParameters()}), then {@code [logStdMultiplier]} and {@code [logStdOffset]}. The
 * network steps with its backend's Adam, the two scalars with {@link ScalarAdam}; they always step together,
 * so one step count describes both.
 */
public final class TanhGaussianPolicy implements GaussianPolicy {
    /** Lower clamp of the log standard deviation. */
    public static final double LOG_STD_MIN = -20.0;
    /** Upper clamp of the log standard deviation. */
    public static final double LOG_STD_MAX = 2.0;

    private final Network network;
    private final Optimizer networkAdam;
    private final ScalarAdam multiplierAdam = new ScalarAdam();
    private final ScalarAdam offsetAdam = new ScalarAdam();
    private final int observationDim;
    private final int actionDim;
    private final double maxAction;
    private double logStdMultiplier;
    private double logStdOffset;

    /**
     * @param network          maps an observation to {@code 2·actionDim} outputs; its parameters are the policy's
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
        this.networkAdam = network.newAdam();
        this.observationDim = network.spec().inputDim();
        this.actionDim = actionDim;
        this.maxAction = maxAction;
        this.logStdMultiplier = logStdMultiplier;
        this.logStdOffset = logStdOffset;
    }

    /**
     * The reference code's policy: a network {@code observationDim → hidden → 2·actionDim} initialised by the
     * context's scheme, log-std affine starting at {@code (logStdMultiplier, logStdOffset)}.
     */
    public static PolicyFactory factory(int[] hidden, double logStdMultiplier, double logStdOffset) {
        int[] widths = hidden.clone();
        return context -> {
            NetworkSpec spec = NetworkSpec.of(context.observationDim(), widths, 2 * context.actionDim());
            Network network = context.backend().createNetwork(spec);
            network.importParameters(ParameterInitializer.initialize(spec, context.initialization(),
                    context.random()));
            return new TanhGaussianPolicy(network, context.actionDim(), context.maxAction(), logStdMultiplier,
                    logStdOffset);
        };
    }

    /** The underlying network. */
    public Network network() {
        return network;
    }

    @Override
    public int observationDim() {
        return observationDim;
    }

    @Override
    public int actionDim() {
        return actionDim;
    }

    @Override
    public double maxAction() {
        return maxAction;
    }

    @Override
    public int noiseDim() {
        return actionDim;
    }

    /** Trainable multiplier of the raw log-std. */
    public double logStdMultiplier() {
        return logStdMultiplier;
    }

    /** Trainable offset of the log-std. */
    public double logStdOffset() {
        return logStdOffset;
    }

    @Override
    public PolicyPass newPass(int maxRows) {
        return new GaussianPass(network.newWorkspace(maxRows), maxRows, actionDim, 2 * actionDim);
    }

    @Override
    public PolicySamples newSamples(int maxRows, int samplesPerRow) {
        return new GaussianSamples(maxRows, samplesPerRow, actionDim, true);
    }

    @Override
    public void forward(PolicyPass policyPass, double[] observations, int rows) {
        GaussianPass pass = (GaussianPass) policyPass;
        if (rows > pass.maxRows) {
            throw new IllegalArgumentException("rows " + rows + " exceed the pass's capacity " + pass.maxRows);
        }
        network.forward(pass.workspace, observations, rows, pass.output);
        finishForward(pass, rows);
    }

    /** Passes the staged observations to the network's bound forward (the backend reads its own copy). */
    @Override
    public void forward(PolicyPass policyPass, BoundRows observations) {
        GaussianPass pass = (GaussianPass) policyPass;
        int rows = observations.rows();
        if (rows > pass.maxRows) {
            throw new IllegalArgumentException("rows " + rows + " exceed the pass's capacity " + pass.maxRows);
        }
        network.forward(pass.workspace, observations, null, 1, pass.output);
        finishForward(pass, rows);
    }

    /** Mean and clamped log-std from the network's output rows. */
    private void finishForward(GaussianPass pass, int rows) {
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

    @Override
    public void sample(PolicyPass policyPass, double[] noise, PolicySamples policySamples) {
        GaussianSamples out = (GaussianSamples) policySamples;
        sampleInto((GaussianPass) policyPass, noise, out, out.actions, 0, out.samplesPerRow * actionDim);
    }

    /** Writes the actions straight into {@code target} (no copy through {@code out.actions()}). */
    @Override
    public void sampleInto(PolicyPass policyPass, double[] noise, PolicySamples policySamples, double[] target,
                           int offset, int rowStride) {
        GaussianPass pass = (GaussianPass) policyPass;
        GaussianSamples out = (GaussianSamples) policySamples;
        if (pass.rows > out.maxRows) {
            throw new IllegalArgumentException("rows " + pass.rows + " exceed the samples' capacity " + out.maxRows);
        }
        SamplePlacement.check(pass.rows, out.samplesPerRow * actionDim, target, offset, rowStride);
        int values = pass.rows * out.samplesPerRow * actionDim;
        System.arraycopy(noise, 0, out.noise, 0, values);
        TanhGaussian.sample(pass.mean, pass.logStd, pass.rows, out.samplesPerRow, actionDim, out.noise, maxAction,
                target, offset, rowStride, out.squashed, out.logProbs);
        out.rows = pass.rows;
    }

    /**
     * The Gaussian before the squash of the last forward of {@code policyPass}: its mean into {@code mean} and its
     * clamped log-std into {@code logStd} (both {@code [rows, actionDim]}), for losses that need the density itself,
     * such as a frozen reference policy's {@code log π₀(a|s)} at actions another policy drew.
     */
    @Override
    public void distribution(PolicyPass policyPass, double[] mean, double[] logStd) {
        GaussianPass pass = (GaussianPass) policyPass;
        int n = pass.rows * actionDim;
        System.arraycopy(pass.mean, 0, mean, 0, n);
        System.arraycopy(pass.logStd, 0, logStd, 0, n);
    }

    /** {@link TanhGaussian#logDensity}: {@code log π(a|s)} of the squashed Gaussian, the mean before the squash. */
    @Override
    public double logDensity(double[] mean, double[] logStd, int rowBase, double[] actions, int base, double[] grad,
                             int gradBase) {
        return TanhGaussian.logDensity(mean, logStd, rowBase, actions, base, actionDim, maxAction, grad, gradBase);
    }

    /** {@link TanhGaussian#floor}: {@code log π} at {@code maxAction·tanh(μ ± β·σ)}. */
    @Override
    public double floor(double[] mean, double[] logStd, int rowBase, double beta) {
        return TanhGaussian.floor(mean, logStd, rowBase, actionDim, beta);
    }

    @Override
    public void deterministicActions(PolicyPass policyPass, double[] out) {
        GaussianPass pass = (GaussianPass) policyPass;
        int n = pass.rows * actionDim;
        for (int i = 0; i < n; i++) {
            out[i] = maxAction * Math.tanh(pass.mean[i]);
        }
    }

    @Override
    public void addSampleGradient(PolicyPass policyPass, PolicySamples policySamples, double[] gradActions,
                                  double[] gradLogProbs) {
        GaussianPass pass = (GaussianPass) policyPass;
        GaussianSamples s = (GaussianSamples) policySamples;
        TanhGaussian.backward(pass.logStd, s.rows, s.samplesPerRow, actionDim, s.noise, maxAction, s.squashed,
                gradActions, gradLogProbs, pass.gradMean, pass.gradLogStd);
    }

    @Override
    public double addLogLikelihoodGradient(PolicyPass policyPass, double[] actions, double gradScale) {
        GaussianPass pass = (GaussianPass) policyPass;
        return TanhGaussian.logProbOfActions(pass.mean, pass.logStd, pass.rows, actionDim, actions, maxAction,
                gradScale, pass.gradMean, pass.gradLogStd);
    }

    @Override
    public PolicyGradients newGradients() {
        return new Gradients(network.newGradients());
    }

    /**
     * Backward from the gradients accumulated with respect to the last forward's mean and clamped log-std. The
     * clamp passes gradient only where {@code −20 ≤ multiplier·raw + offset ≤ 2}, as {@code torch.clamp} does.
     */
    @Override
    public void backward(PolicyPass policyPass, PolicyGradients policyGradients) {
        GaussianPass pass = (GaussianPass) policyPass;
        Gradients gradients = (Gradients) policyGradients;
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
        network.backward(pass.workspace, pass.gradOutput, gradients.network, null, null);
        gradients.multiplier += gMultiplier;
        gradients.offset += gOffset;
    }

    @Override
    public void step(PolicyGradients policyGradients, double learningRate) {
        Gradients g = (Gradients) policyGradients;
        networkAdam.step(g.network, learningRate);
        double multiplier = multiplierAdam.step(logStdMultiplier, g.multiplier, learningRate);
        double offset = offsetAdam.step(logStdOffset, g.offset, learningRate);
        logStdMultiplier = multiplier;
        logStdOffset = offset;
    }

    @Override
    public PolicyState exportState() {
        double[][] net = network.exportParameters();
        double[][] parameters = Arrays.copyOf(net, net.length + 2);
        parameters[net.length] = new double[] {logStdMultiplier};
        parameters[net.length + 1] = new double[] {logStdOffset};
        AdamState adam = networkAdam.exportState();
        double[] mState = multiplierAdam.exportState();
        double[] oState = offsetAdam.exportState();
        if (mState[0] != adam.steps() || oState[0] != adam.steps()) {
            throw new IllegalStateException("log-std scalars took " + (long) mState[0] + " and " + (long) oState[0]
                    + " steps, the network " + adam.steps());
        }
        return new PolicyState(parameters, new AdamState(adam.steps(),
                withScalars(adam.firstMoment(), mState[1], oState[1]),
                withScalars(adam.secondMoment(), mState[2], oState[2])));
    }

    private static double[][] withScalars(double[][] network, double multiplier, double offset) {
        double[][] out = Arrays.copyOf(network, network.length + 2);
        out[network.length] = new double[] {multiplier};
        out[network.length + 1] = new double[] {offset};
        return out;
    }

    @Override
    public void importState(PolicyState state) {
        int n = 2 * network.spec().layerCount();
        if (state == null || state.parameters() == null || state.optimizer() == null) {
            throw new IllegalArgumentException("policy state must hold parameters and an optimizer state");
        }
        double[][] p = state.parameters();
        AdamState adam = state.optimizer();
        checkLayout("parameters", p, n);
        checkLayout("first moments", adam.firstMoment(), n);
        checkLayout("second moments", adam.secondMoment(), n);
        network.spec().checkParameterLayout(Arrays.copyOf(p, n));
        if (!Double.isFinite(p[n][0]) || !Double.isFinite(p[n + 1][0])) {
            throw new IllegalArgumentException("log-std multiplier and offset must be finite, found " + p[n][0]
                    + " and " + p[n + 1][0]);
        }
        AdamState networkState = new AdamState(adam.steps(), Arrays.copyOf(adam.firstMoment(), n),
                Arrays.copyOf(adam.secondMoment(), n));
        double[] mState = {adam.steps(), adam.firstMoment()[n][0], adam.secondMoment()[n][0]};
        double[] oState = {adam.steps(), adam.firstMoment()[n + 1][0], adam.secondMoment()[n + 1][0]};
        new ScalarAdam().importState(mState); // validate before anything changes
        AdamState before = networkAdam.exportState();
        networkAdam.importState(networkState);
        try {
            network.importParameters(Arrays.copyOf(p, n));
        } catch (IllegalArgumentException e) {
            networkAdam.importState(before);
            throw e;
        }
        multiplierAdam.importState(mState);
        offsetAdam.importState(oState);
        logStdMultiplier = p[n][0];
        logStdOffset = p[n + 1][0];
    }

    private static void checkLayout(String what, double[][] arrays, int networkArrays) {
        if (arrays == null || arrays.length != networkArrays + 2 || arrays[networkArrays] == null
                || arrays[networkArrays].length != 1 || arrays[networkArrays + 1] == null
                || arrays[networkArrays + 1].length != 1) {
            throw new IllegalArgumentException("tanh-Gaussian policy " + what + " must hold " + networkArrays
                    + " network arrays and two scalars [logStdMultiplier], [logStdOffset], found "
                    + (arrays == null ? "null" : arrays.length + " arrays"));
        }
    }

    @Override
    public String toString() {
        return "TanhGaussianPolicy[" + network.spec() + ", maxAction " + maxAction + "]";
    }

    /** The network's gradients and the two scalars'. */
    private static final class Gradients implements PolicyGradients {
        final ParameterGradients network;
        double multiplier;
        double offset;

        Gradients(ParameterGradients network) {
            this.network = network;
        }

        @Override
        public void zero() {
            network.zero();
            multiplier = 0.0;
            offset = 0.0;
        }

        @Override
        public void scale(double factor) {
            network.scale(factor);
            multiplier *= factor;
            offset *= factor;
        }

        @Override
        public double[][] export() {
            double[][] net = network.export();
            double[][] out = Arrays.copyOf(net, net.length + 2);
            out[net.length] = new double[] {multiplier};
            out[net.length + 1] = new double[] {offset};
            return out;
        }
    }
}
