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
 * A Gaussian policy whose samples are not squashed, d3rlpy 1.1.0's {@code NonSquashedNormalPolicy} with
 * {@code use_std_parameter} (the ACA authors' AntMaze policy): a network maps an observation to {@code μ_raw (A)};
 * {@code y ~ N(tanh(μ_raw), σ²)} with a state-independent {@code log σ_j = min + (max − min)·sigmoid(θ_j)}
 * ({@code θ} trainable, initially 0; min −5 and max 0 as the authors set them), and the action is
 * {@code maxAction·y}, not clipped (an environment's {@link org.calql.env.ActionScaling} clips to its box).
 * {@code log π(a|s) = Σ_j log N(a_j/maxAction; tanh μ_raw_j, σ_j) − A·log maxAction}; the deterministic action is
 * {@code maxAction·tanh(μ_raw)}.
 *
 * <p>Parameter layout ({@link PolicyState#parameters()}): the network's arrays {@code [w0, b0, w1, b1, …]}, then
 * {@code [θ_0 … θ_{A−1}]}. The network steps with its backend's Adam, each θ_j with a {@link ScalarAdam}; they step
 * together, so one step count describes all.
 */
public final class NonSquashedGaussianPolicy implements GaussianPolicy {
    /** The authors' lower bound of the log-std. */
    public static final double LOG_STD_MIN = -5.0;
    /** The authors' upper bound of the log-std. */
    public static final double LOG_STD_MAX = 0.0;
    private static final double LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));

    private final Network network;
    private final Optimizer networkAdam;
    private final ScalarAdam[] thetaAdam;
    private final int observationDim;
    private final int actionDim;
    private final double maxAction;
    private final double logMaxAction;
    private final double[] theta;
    private final double[] logStd;

    /**
     * @param network   maps an observation to {@code actionDim} outputs {@code μ_raw}; its parameters are the
     *                  policy's
     * @param maxAction action scale, positive and finite
     */
    public NonSquashedGaussianPolicy(Network network, int actionDim, double maxAction) {
        if (network.spec().outputDim() != actionDim) {
            throw new IllegalArgumentException("non-squashed policy network must output actionDim = " + actionDim
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
        this.logMaxAction = Math.log(maxAction);
        this.theta = new double[actionDim];
        this.logStd = new double[actionDim];
        this.thetaAdam = new ScalarAdam[actionDim];
        for (int j = 0; j < actionDim; j++) {
            thetaAdam[j] = new ScalarAdam();
        }
        updateLogStd();
    }

    /** A network {@code observationDim → hidden → actionDim} initialised by the context's scheme, θ = 0. */
    public static PolicyFactory factory(int[] hidden) {
        int[] widths = hidden.clone();
        return context -> {
            NetworkSpec spec = NetworkSpec.of(context.observationDim(), widths, context.actionDim());
            Network network = context.backend().createNetwork(spec);
            network.importParameters(ParameterInitializer.initialize(spec, context.initialization(),
                    context.random()));
            return new NonSquashedGaussianPolicy(network, context.actionDim(), context.maxAction());
        };
    }

    private void updateLogStd() {
        for (int j = 0; j < actionDim; j++) {
            logStd[j] = LOG_STD_MIN + (LOG_STD_MAX - LOG_STD_MIN) * sigmoid(theta[j]);
        }
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** The underlying network. */
    public Network network() {
        return network;
    }

    /** The state-independent log-std {@code log σ_j} (a copy). */
    public double[] logStd() {
        return logStd.clone();
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

    @Override
    public PolicyPass newPass(int maxRows) {
        return new GaussianPass(network.newWorkspace(maxRows), maxRows, actionDim, actionDim);
    }

    @Override
    public PolicySamples newSamples(int maxRows, int samplesPerRow) {
        return new GaussianSamples(maxRows, samplesPerRow, actionDim, false);
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

    private void finishForward(GaussianPass pass, int rows) {
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < actionDim; a++) {
                int i = r * actionDim + a;
                pass.mean[i] = Math.tanh(pass.output[i]);
                pass.logStd[i] = logStd[a];
            }
        }
        pass.rows = rows;
    }

    @Override
    public void sample(PolicyPass policyPass, double[] noise, PolicySamples policySamples) {
        GaussianSamples out = (GaussianSamples) policySamples;
        sampleInto(policyPass, noise, out, out.actions, 0, out.samplesPerRow * actionDim);
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
        int samples = out.samplesPerRow;
        SamplePlacement.check(pass.rows, samples * actionDim, target, offset, rowStride);
        System.arraycopy(noise, 0, out.noise, 0, pass.rows * samples * actionDim);
        for (int r = 0; r < pass.rows; r++) {
            int rowBase = r * actionDim;
            for (int k = 0; k < samples; k++) {
                int sampleIndex = r * samples + k;
                int base = sampleIndex * actionDim;
                int actionBase = offset + r * rowStride + k * actionDim;
                double lp = 0.0;
                for (int a = 0; a < actionDim; a++) {
                    double ls = pass.logStd[rowBase + a];
                    double std = Math.exp(ls);
                    double y = pass.mean[rowBase + a] + std * out.noise[base + a];
                    target[actionBase + a] = maxAction * y;
                    double z = y - pass.mean[rowBase + a];
                    lp += -(z * z) / (2.0 * (std * std)) - Math.log(std) - LOG_SQRT_2PI - logMaxAction;
                }
                out.logProbs[sampleIndex] = lp;
            }
        }
        out.rows = pass.rows;
    }

    /** The Gaussian of {@code y = a/maxAction}: mean {@code tanh(μ_raw)} and the state-independent log-std. */
    @Override
    public void distribution(PolicyPass policyPass, double[] mean, double[] logStdOut) {
        GaussianPass pass = (GaussianPass) policyPass;
        int n = pass.rows * actionDim;
        System.arraycopy(pass.mean, 0, mean, 0, n);
        System.arraycopy(pass.logStd, 0, logStdOut, 0, n);
    }

    @Override
    public double logDensity(double[] mean, double[] logStdIn, int rowBase, double[] actions, int base,
                             double[] grad, int gradBase) {
        double total = 0.0;
        for (int a = 0; a < actionDim; a++) {
            double std = Math.exp(logStdIn[rowBase + a]);
            double var = std * std;
            double z = actions[base + a] / maxAction - mean[rowBase + a];
            total += -(z * z) / (2.0 * var) - Math.log(std) - LOG_SQRT_2PI - logMaxAction;
            if (grad != null) {
                grad[gradBase + a] = -z / (var * maxAction);
            }
        }
        return total;
    }

    /** {@code log π} at {@code mean ± β·σ}: {@code Σ_j (−β²/2 − log σ_j − log √(2π)) − A·log maxAction}, both sides. */
    @Override
    public double floor(double[] mean, double[] logStdIn, int rowBase, double beta) {
        double plus = 0.0;
        double minus = 0.0;
        for (int a = 0; a < actionDim; a++) {
            double m = mean[rowBase + a];
            double std = Math.exp(logStdIn[rowBase + a]);
            double var = std * std;
            double zu = (m + beta * std) - m;
            double zd = (m - beta * std) - m;
            plus += -(zu * zu) / (2.0 * var) - Math.log(std) - LOG_SQRT_2PI - logMaxAction;
            minus += -(zd * zd) / (2.0 * var) - Math.log(std) - LOG_SQRT_2PI - logMaxAction;
        }
        return Math.min(plus, minus);
    }

    @Override
    public void deterministicActions(PolicyPass policyPass, double[] out) {
        GaussianPass pass = (GaussianPass) policyPass;
        int n = pass.rows * actionDim;
        for (int i = 0; i < n; i++) {
            out[i] = maxAction * pass.mean[i];
        }
    }

    /**
     * With {@code a = maxAction·(m + σ·ε)}: {@code ∂a/∂m = maxAction}, {@code ∂a/∂log σ = maxAction·σ·ε}; the
     * sample's {@code log π} has derivative 0 in m and −1 in {@code log σ} (ε held fixed).
     */
    @Override
    public void addSampleGradient(PolicyPass policyPass, PolicySamples policySamples, double[] gradActions,
                                  double[] gradLogProbs) {
        GaussianPass pass = (GaussianPass) policyPass;
        GaussianSamples s = (GaussianSamples) policySamples;
        for (int r = 0; r < s.rows; r++) {
            int rowBase = r * actionDim;
            for (int k = 0; k < s.samplesPerRow; k++) {
                int sampleIndex = r * s.samplesPerRow + k;
                int base = sampleIndex * actionDim;
                double gLogProb = gradLogProbs == null ? 0.0 : gradLogProbs[sampleIndex];
                for (int a = 0; a < actionDim; a++) {
                    double gA = gradActions == null ? 0.0 : gradActions[base + a] * maxAction;
                    double std = Math.exp(pass.logStd[rowBase + a]);
                    pass.gradMean[rowBase + a] += gA;
                    pass.gradLogStd[rowBase + a] += gA * std * s.noise[base + a] - gLogProb;
                }
            }
        }
    }

    @Override
    public double addLogLikelihoodGradient(PolicyPass policyPass, double[] actions, double gradScale) {
        GaussianPass pass = (GaussianPass) policyPass;
        double total = 0.0;
        for (int r = 0; r < pass.rows; r++) {
            int base = r * actionDim;
            for (int a = 0; a < actionDim; a++) {
                double std = Math.exp(pass.logStd[base + a]);
                double var = std * std;
                double z = actions[base + a] / maxAction - pass.mean[base + a];
                total += -(z * z) / (2.0 * var) - Math.log(std) - LOG_SQRT_2PI - logMaxAction;
                if (gradScale != 0.0) {
                    pass.gradMean[base + a] += gradScale * z / var;
                    pass.gradLogStd[base + a] += gradScale * (z * z / var - 1.0);
                }
            }
        }
        return total;
    }

    @Override
    public PolicyGradients newGradients() {
        return new Gradients(network.newGradients(), actionDim);
    }

    /** Backward through {@code tanh} to the network, and through the sigmoid to each θ_j (summed over rows). */
    @Override
    public void backward(PolicyPass policyPass, PolicyGradients policyGradients) {
        GaussianPass pass = (GaussianPass) policyPass;
        Gradients gradients = (Gradients) policyGradients;
        for (int r = 0; r < pass.rows; r++) {
            for (int a = 0; a < actionDim; a++) {
                int i = r * actionDim + a;
                double m = pass.mean[i];
                pass.gradOutput[i] = pass.gradMean[i] * (1.0 - m * m);
            }
        }
        network.backward(pass.workspace, pass.gradOutput, gradients.network, null, null);
        for (int a = 0; a < actionDim; a++) {
            double s = sigmoid(theta[a]);
            double dLogStd = (LOG_STD_MAX - LOG_STD_MIN) * s * (1.0 - s);
            double g = 0.0;
            for (int r = 0; r < pass.rows; r++) {
                g += pass.gradLogStd[r * actionDim + a];
            }
            gradients.theta[a] += g * dLogStd;
        }
    }

    @Override
    public void step(PolicyGradients policyGradients, double learningRate) {
        Gradients g = (Gradients) policyGradients;
        networkAdam.step(g.network, learningRate);
        for (int a = 0; a < actionDim; a++) {
            theta[a] = thetaAdam[a].step(theta[a], g.theta[a], learningRate);
        }
        updateLogStd();
    }

    @Override
    public PolicyState exportState() {
        double[][] net = network.exportParameters();
        double[][] parameters = Arrays.copyOf(net, net.length + 1);
        parameters[net.length] = theta.clone();
        AdamState adam = networkAdam.exportState();
        double[] m = new double[actionDim];
        double[] v = new double[actionDim];
        for (int a = 0; a < actionDim; a++) {
            double[] s = thetaAdam[a].exportState();
            if (s[0] != adam.steps()) {
                throw new IllegalStateException("log-std parameter " + a + " took " + (long) s[0]
                        + " steps, the network " + adam.steps());
            }
            m[a] = s[1];
            v[a] = s[2];
        }
        double[][] first = Arrays.copyOf(adam.firstMoment(), net.length + 1);
        first[net.length] = m;
        double[][] second = Arrays.copyOf(adam.secondMoment(), net.length + 1);
        second[net.length] = v;
        return new PolicyState(parameters, new AdamState(adam.steps(), first, second));
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
        double[][] scalars = new double[actionDim][];
        for (int a = 0; a < actionDim; a++) {
            if (!Double.isFinite(p[n][a])) {
                throw new IllegalArgumentException("log-std parameter θ_" + a + " must be finite, found " + p[n][a]);
            }
            scalars[a] = new double[] {adam.steps(), adam.firstMoment()[n][a], adam.secondMoment()[n][a]};
            new ScalarAdam().importState(scalars[a]); // validate before anything changes
        }
        AdamState networkState = new AdamState(adam.steps(), Arrays.copyOf(adam.firstMoment(), n),
                Arrays.copyOf(adam.secondMoment(), n));
        AdamState before = networkAdam.exportState();
        networkAdam.importState(networkState);
        try {
            network.importParameters(Arrays.copyOf(p, n));
        } catch (IllegalArgumentException e) {
            networkAdam.importState(before);
            throw e;
        }
        for (int a = 0; a < actionDim; a++) {
            thetaAdam[a].importState(scalars[a]);
            theta[a] = p[n][a];
        }
        updateLogStd();
    }

    private void checkLayout(String what, double[][] arrays, int networkArrays) {
        if (arrays == null || arrays.length != networkArrays + 1 || arrays[networkArrays] == null
                || arrays[networkArrays].length != actionDim) {
            throw new IllegalArgumentException("non-squashed Gaussian policy " + what + " must hold "
                    + networkArrays + " network arrays and one of " + actionDim + " log-std parameters θ, found "
                    + (arrays == null ? "null" : arrays.length + " arrays"));
        }
    }

    @Override
    public String toString() {
        return "NonSquashedGaussianPolicy[" + network.spec() + ", maxAction " + maxAction + ", log-std in ["
                + LOG_STD_MIN + ", " + LOG_STD_MAX + "]]";
    }

    /** The network's gradients and θ's. */
    private static final class Gradients implements PolicyGradients {
        final ParameterGradients network;
        final double[] theta;

        Gradients(ParameterGradients network, int actionDim) {
            this.network = network;
            this.theta = new double[actionDim];
        }

        @Override
        public void zero() {
            network.zero();
            Arrays.fill(theta, 0.0);
        }

        @Override
        public void scale(double factor) {
            network.scale(factor);
            for (int a = 0; a < theta.length; a++) {
                theta[a] *= factor;
            }
        }

        @Override
        public double[][] export() {
            double[][] net = network.export();
            double[][] out = Arrays.copyOf(net, net.length + 1);
            out[net.length] = theta.clone();
            return out;
        }
    }
}
