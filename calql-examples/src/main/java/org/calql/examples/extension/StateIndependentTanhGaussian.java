package org.calql.examples.extension;

import java.util.Arrays;
import org.calql.init.ParameterInitializer;
import org.calql.optim.ScalarAdam;
import org.calql.policy.Policy;
import org.calql.policy.PolicyFactory;
import org.calql.policy.PolicyGradients;
import org.calql.policy.PolicyPass;
import org.calql.policy.PolicySamples;
import org.calql.policy.PolicyState;
import org.calql.spi.AdamState;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Optimizer;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;

/**
 * A user-written policy, written against calql's public {@link Policy} seam only: a tanh-squashed Gaussian
 * whose mean comes from a network and whose log-std is a trainable vector that does not depend on the state
 * (as PPO-style policies have it), clamped to {@code [−5, 2]}.
 *
 * <pre>
 *   u = mean(s) + exp(logStd)·ε,   a = maxAction·tanh(u),
 *   log π(a|s) = Σ_j [ −ε_j²/2 − logStd_j − log √(2π) − log(1 − tanh²u_j) ]
 * </pre>
 *
 * <p>Parameter layout: the mean network's arrays, then {@code [logStd (A)]}. The network steps with its
 * backend's Adam, the log-std vector with one {@link ScalarAdam} per entry (they step together).
 */
public final class StateIndependentTanhGaussian implements Policy {
    private static final double LOG_STD_MIN = -5.0;
    private static final double LOG_STD_MAX = 2.0;
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private final Network mean;
    private final Optimizer meanAdam;
    private final double[] logStd;
    private final ScalarAdam[] logStdAdam;
    private final int actionDim;
    private final double maxAction;

    private StateIndependentTanhGaussian(Network mean, int actionDim, double maxAction, double initialLogStd) {
        this.mean = mean;
        this.meanAdam = mean.newAdam();
        this.actionDim = actionDim;
        this.maxAction = maxAction;
        this.logStd = new double[actionDim];
        Arrays.fill(logStd, initialLogStd);
        this.logStdAdam = new ScalarAdam[actionDim];
        for (int j = 0; j < actionDim; j++) {
            logStdAdam[j] = new ScalarAdam();
        }
    }

    /** The factory to hand to {@code CalQlConfig.Builder.policy}: a mean network with these hidden widths. */
    public static PolicyFactory factory(int[] hidden, double initialLogStd) {
        int[] widths = hidden.clone();
        return context -> {
            NetworkSpec spec = NetworkSpec.of(context.observationDim(), widths, context.actionDim());
            Network network = context.backend().createNetwork(spec);
            network.importParameters(ParameterInitializer.initialize(spec, context.initialization(),
                    context.random()));
            return new StateIndependentTanhGaussian(network, context.actionDim(), context.maxAction(),
                    initialLogStd);
        };
    }

    /** The current state-independent log standard deviations (a copy). */
    public double[] logStd() {
        return logStd.clone();
    }

    @Override
    public int observationDim() {
        return mean.spec().inputDim();
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
        return new Pass(mean.newWorkspace(maxRows), maxRows, actionDim);
    }

    @Override
    public PolicySamples newSamples(int maxRows, int samplesPerRow) {
        return new Samples(maxRows, samplesPerRow, actionDim);
    }

    @Override
    public void forward(PolicyPass policyPass, double[] observations, int rows) {
        Pass pass = (Pass) policyPass;
        if (rows > pass.maxRows) {
            throw new IllegalArgumentException("rows " + rows + " exceed the pass's capacity " + pass.maxRows);
        }
        mean.forward(pass.workspace, observations, rows, pass.mean);
        pass.rows = rows;
    }

    private double clampedLogStd(int j) {
        return Math.max(LOG_STD_MIN, Math.min(LOG_STD_MAX, logStd[j]));
    }

    @Override
    public void sample(PolicyPass policyPass, double[] noise, PolicySamples policySamples) {
        Pass pass = (Pass) policyPass;
        Samples out = (Samples) policySamples;
        int n = out.samplesPerRow;
        for (int r = 0; r < pass.rows; r++) {
            for (int k = 0; k < n; k++) {
                int sample = r * n + k;
                double lp = 0.0;
                for (int j = 0; j < actionDim; j++) {
                    int i = sample * actionDim + j;
                    double ls = clampedLogStd(j);
                    double eps = noise[i];
                    double u = pass.mean[r * actionDim + j] + Math.exp(ls) * eps;
                    double t = Math.tanh(u);
                    out.noise[i] = eps;
                    out.squashed[i] = t;
                    out.actions[i] = maxAction * t;
                    lp += -0.5 * eps * eps - ls - LOG_SQRT_2PI - Math.log(Math.max(1e-12, 1.0 - t * t));
                }
                out.logProbs[sample] = lp;
            }
        }
        out.rows = pass.rows;
    }

    @Override
    public void deterministicActions(PolicyPass policyPass, double[] out) {
        Pass pass = (Pass) policyPass;
        for (int i = 0; i < pass.rows * actionDim; i++) {
            out[i] = maxAction * Math.tanh(pass.mean[i]);
        }
    }

    /**
     * With {@code u = mean + σ·ε}: {@code ∂a/∂u = maxAction·(1 − t²)}, {@code ∂ log π/∂u = 2t} (the log-det), and
     * {@code ∂ log π/∂ logStd = −1} directly plus {@code 2t·σ·ε} through u.
     */
    @Override
    public void addSampleGradient(PolicyPass policyPass, PolicySamples policySamples, double[] gradActions,
                                  double[] gradLogProbs) {
        Pass pass = (Pass) policyPass;
        Samples s = (Samples) policySamples;
        int n = s.samplesPerRow;
        for (int r = 0; r < s.rows; r++) {
            for (int k = 0; k < n; k++) {
                int sample = r * n + k;
                double gLogProb = gradLogProbs == null ? 0.0 : gradLogProbs[sample];
                for (int j = 0; j < actionDim; j++) {
                    int i = sample * actionDim + j;
                    double t = s.squashed[i];
                    double gU = 2.0 * t * gLogProb;
                    if (gradActions != null) {
                        gU += gradActions[i] * maxAction * (1.0 - t * t);
                    }
                    pass.gradMean[r * actionDim + j] += gU;
                    double ls = logStd[j];
                    if (ls >= LOG_STD_MIN && ls <= LOG_STD_MAX) {
                        pass.gradLogStd[j] += gU * Math.exp(ls) * s.noise[i] - gLogProb;
                    }
                }
            }
        }
    }

    @Override
    public double addLogLikelihoodGradient(PolicyPass policyPass, double[] actions, double gradScale) {
        Pass pass = (Pass) policyPass;
        double total = 0.0;
        double limit = 1.0 - 1e-6;
        for (int r = 0; r < pass.rows; r++) {
            for (int j = 0; j < actionDim; j++) {
                int i = r * actionDim + j;
                double y = Math.max(-limit, Math.min(limit, actions[i] / maxAction));
                double u = 0.5 * (Math.log1p(y) - Math.log1p(-y));
                double ls = clampedLogStd(j);
                double var = Math.exp(2 * ls);
                double z = u - pass.mean[i];
                total += -(z * z) / (2 * var) - ls - LOG_SQRT_2PI - Math.log(1.0 - y * y);
                if (gradScale != 0.0) {
                    pass.gradMean[i] += gradScale * z / var;
                    if (logStd[j] >= LOG_STD_MIN && logStd[j] <= LOG_STD_MAX) {
                        pass.gradLogStd[j] += gradScale * (z * z / var - 1.0);
                    }
                }
            }
        }
        return total;
    }

    @Override
    public PolicyGradients newGradients() {
        return new Gradients(mean.newGradients(), actionDim);
    }

    @Override
    public void backward(PolicyPass policyPass, PolicyGradients policyGradients) {
        Pass pass = (Pass) policyPass;
        Gradients g = (Gradients) policyGradients;
        mean.backward(pass.workspace, pass.gradMean, g.network, null, null);
        for (int j = 0; j < actionDim; j++) {
            g.logStd[j] += pass.gradLogStd[j];
        }
    }

    @Override
    public void step(PolicyGradients policyGradients, double learningRate) {
        Gradients g = (Gradients) policyGradients;
        meanAdam.step(g.network, learningRate);
        for (int j = 0; j < actionDim; j++) {
            logStd[j] = logStdAdam[j].step(logStd[j], g.logStd[j], learningRate);
        }
    }

    @Override
    public PolicyState exportState() {
        double[][] net = mean.exportParameters();
        double[][] parameters = Arrays.copyOf(net, net.length + 1);
        parameters[net.length] = logStd.clone();
        AdamState adam = meanAdam.exportState();
        double[][] m = Arrays.copyOf(adam.firstMoment(), net.length + 1);
        double[][] v = Arrays.copyOf(adam.secondMoment(), net.length + 1);
        m[net.length] = new double[actionDim];
        v[net.length] = new double[actionDim];
        for (int j = 0; j < actionDim; j++) {
            double[] s = logStdAdam[j].exportState();
            m[net.length][j] = s[1];
            v[net.length][j] = s[2];
        }
        return new PolicyState(parameters, new AdamState(adam.steps(), m, v));
    }

    @Override
    public void importState(PolicyState state) {
        int n = 2 * mean.spec().layerCount();
        double[][] p = state.parameters();
        AdamState a = state.optimizer();
        if (p.length != n + 1 || p[n].length != actionDim || a.firstMoment().length != n + 1
                || a.secondMoment().length != n + 1) {
            throw new IllegalArgumentException("state-independent policy state must hold " + n
                    + " network arrays and a log-std vector of " + actionDim);
        }
        mean.importParameters(Arrays.copyOf(p, n));
        meanAdam.importState(new AdamState(a.steps(), Arrays.copyOf(a.firstMoment(), n),
                Arrays.copyOf(a.secondMoment(), n)));
        for (int j = 0; j < actionDim; j++) {
            logStd[j] = p[n][j];
            logStdAdam[j].importState(new double[] {a.steps(), a.firstMoment()[n][j], a.secondMoment()[n][j]});
        }
    }

    private static final class Pass implements PolicyPass {
        final Workspace workspace;
        final int maxRows;
        final double[] mean;
        final double[] gradMean;
        final double[] gradLogStd;
        int rows;

        Pass(Workspace workspace, int maxRows, int actionDim) {
            this.workspace = workspace;
            this.maxRows = maxRows;
            this.mean = new double[maxRows * actionDim];
            this.gradMean = new double[maxRows * actionDim];
            this.gradLogStd = new double[actionDim];
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

    private static final class Samples implements PolicySamples {
        final int samplesPerRow;
        final double[] noise;
        final double[] squashed;
        final double[] actions;
        final double[] logProbs;
        int rows;

        Samples(int maxRows, int samplesPerRow, int actionDim) {
            this.samplesPerRow = samplesPerRow;
            this.noise = new double[maxRows * samplesPerRow * actionDim];
            this.squashed = new double[maxRows * samplesPerRow * actionDim];
            this.actions = new double[maxRows * samplesPerRow * actionDim];
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

    private static final class Gradients implements PolicyGradients {
        final ParameterGradients network;
        final double[] logStd;

        Gradients(ParameterGradients network, int actionDim) {
            this.network = network;
            this.logStd = new double[actionDim];
        }

        @Override
        public void zero() {
            network.zero();
            Arrays.fill(logStd, 0.0);
        }

        @Override
        public double[][] export() {
            double[][] net = network.export();
            double[][] out = Arrays.copyOf(net, net.length + 1);
            out[net.length] = logStd.clone();
            return out;
        }
    }
}
