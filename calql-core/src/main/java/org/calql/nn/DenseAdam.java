package org.calql.nn;

import org.calql.spi.AdamState;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Optimizer;
import org.calql.spi.ParameterGradients;

/**
 * Adam bound to one {@link DenseNetwork}, operation for operation as {@code torch.optim.Adam}'s
 * single-tensor path (PyTorch 2.x) computes it in float64:
 * <pre>
 * m ← m + (1 − β1)·(g − m)                 (exp_avg.lerp_(grad, 1 − β1))
 * v ← v·β2 + ((1 − β2)·g)·g                (exp_avg_sq.mul_(β2).addcmul_(grad, grad, value=1 − β2))
 * t ← t + 1
 * stepSize = lr / (1 − β1^t)
 * denom = sqrt(v) / sqrt(1 − β2^t) + ε
 * θ ← θ + (−stepSize·m) / denom             (param.addcdiv_(exp_avg, denom, value=−stepSize))
 * </pre>
 * with β = (0.9, 0.999), ε = 1e-8 and no weight decay.
 */
final class DenseAdam implements Optimizer {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;
    private static final double ONE_MINUS_BETA1 = 1.0 - BETA1;
    private static final double ONE_MINUS_BETA2 = 1.0 - BETA2;

    private final DenseNetwork network;
    /** First moments, in the spec's parameter layout ({@code [w0, b0, w1, b1, …]} without LayerNorm). */
    private final double[][] first;
    /** Second moments, exported layout. */
    private final double[][] second;
    private long steps;

    DenseAdam(DenseNetwork network) {
        this.network = network;
        NetworkSpec spec = network.spec();
        first = spec.zeroParameters();
        second = spec.zeroParameters();
    }

    @Override
    public void step(ParameterGradients gradients, double learningRate) {
        DenseGradients g = network.own(gradients);
        if (!(learningRate >= 0.0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and >= 0, found " + learningRate);
        }
        steps++;
        double t = (double) steps;
        double biasCorrection1 = 1.0 - Math.pow(BETA1, t);
        double biasCorrection2 = 1.0 - Math.pow(BETA2, t);
        double stepSize = learningRate / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        double[][] parameters = network.parameters;
        for (int i = 0; i < parameters.length; i++) {
            update(parameters[i], g.arrays[i], first[i], second[i], stepSize, biasCorrection2Sqrt);
        }
        for (int l = 0; l < network.layers; l++) {
            network.refreshTransposed(l);
        }
    }

    private static void update(double[] p, double[] g, double[] m, double[] v, double stepSize,
                               double biasCorrection2Sqrt) {
        int n = p.length;
        double negStep = -stepSize;
        for (int i = 0; i < n; i++) {
            double gi = g[i];
            double mi = m[i];
            mi = mi + ONE_MINUS_BETA1 * (gi - mi);
            double vi = v[i] * BETA2 + ONE_MINUS_BETA2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            double denom = Math.sqrt(vi) / biasCorrection2Sqrt + EPSILON;
            p[i] = p[i] + negStep * mi / denom;
        }
    }

    @Override
    public AdamState exportState() {
        return new AdamState(steps, DenseNetwork.deepCopy(first), DenseNetwork.deepCopy(second));
    }

    @Override
    public void importState(AdamState state) {
        if (state == null) {
            throw new IllegalArgumentException("state must not be null");
        }
        if (state.steps() < 0) {
            throw new IllegalArgumentException("state.steps must not be negative, found " + state.steps());
        }
        NetworkSpec spec = network.spec();
        checkMoments(spec, "firstMoment", state.firstMoment(), false);
        checkMoments(spec, "secondMoment", state.secondMoment(), true);
        for (int i = 0; i < first.length; i++) {
            System.arraycopy(state.firstMoment()[i], 0, first[i], 0, first[i].length);
            System.arraycopy(state.secondMoment()[i], 0, second[i], 0, second[i].length);
        }
        steps = state.steps();
    }

    private static void checkMoments(NetworkSpec spec, String name, double[][] moments, boolean nonNegative) {
        try {
            spec.checkParameterLayout(moments);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("state." + name + ": " + e.getMessage(), e);
        }
        for (int a = 0; a < moments.length; a++) {
            double[] values = moments[a];
            for (int i = 0; i < values.length; i++) {
                double x = values[i];
                if (!Double.isFinite(x) || (nonNegative && x < 0.0)) {
                    throw new IllegalArgumentException("state." + name + "[" + a + "][" + i + "] must be finite"
                            + (nonNegative ? " and >= 0" : "") + ", found " + x);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "DenseAdam[steps=" + steps + ", " + network.spec() + "]";
    }
}
