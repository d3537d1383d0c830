package org.calql.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.calql.spi.AdamState;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Optimizer;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;
import org.junit.jupiter.api.Test;

class DenseAdamTest {
    private static final NetworkSpec SPEC = NetworkSpec.of(4, new int[] {5}, 3);

    /** torch.optim.Adam's single-tensor update, written out for one parameter array. */
    private static final class ReferenceAdam {
        final double[][] m;
        final double[][] v;
        long t;

        ReferenceAdam(double[][] layout) {
            m = new double[layout.length][];
            v = new double[layout.length][];
            for (int i = 0; i < layout.length; i++) {
                m[i] = new double[layout[i].length];
                v[i] = new double[layout[i].length];
            }
        }

        void step(double[][] params, double[][] grads, double lr) {
            t++;
            double beta1 = 0.9;
            double beta2 = 0.999;
            double biasCorrection1 = 1 - Math.pow(beta1, t);
            double biasCorrection2 = 1 - Math.pow(beta2, t);
            double stepSize = lr / biasCorrection1;
            double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
            for (int a = 0; a < params.length; a++) {
                for (int i = 0; i < params[a].length; i++) {
                    double g = grads[a][i];
                    m[a][i] = m[a][i] + (1 - beta1) * (g - m[a][i]);
                    v[a][i] = v[a][i] * beta2 + (1 - beta2) * g * g;
                    double denom = Math.sqrt(v[a][i]) / biasCorrection2Sqrt + 1e-8;
                    params[a][i] = params[a][i] + (-stepSize) * m[a][i] / denom;
                }
            }
        }
    }

    private static double[][] gradientsOf(DenseNetwork net, ParameterGradients g, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Workspace ws = net.newWorkspace(6);
        net.forward(ws, NnFixtures.gaussian(rng, 24, 1), 6, new double[18]);
        g.zero();
        net.backward(ws, NnFixtures.gaussian(rng, 18, 1), g, null, null);
        return g.export();
    }

    @Test
    void matchesTorchAdamStepByStep() {
        DenseNetwork net = new DenseNetwork(SPEC);
        double[][] params = NnFixtures.randomParameters(SPEC, new SplittableRandom(1));
        net.importParameters(params);
        Optimizer adam = net.newAdam();
        ReferenceAdam reference = new ReferenceAdam(params);
        ParameterGradients g = net.newGradients();
        double[] rates = {1e-3, 3e-4, 1e-2, 1e-3, 5e-3};
        for (int step = 0; step < rates.length; step++) {
            double[][] grads = gradientsOf(net, g, 10 + step);
            adam.step(g, rates[step]);
            reference.step(params, grads, rates[step]);
            double[][] actual = net.exportParameters();
            for (int a = 0; a < params.length; a++) {
                assertArrayEquals(params[a], actual[a], "parameters after step " + (step + 1));
            }
        }
        AdamState state = adam.exportState();
        assertEquals(rates.length, state.steps());
        for (int a = 0; a < params.length; a++) {
            assertArrayEquals(reference.m[a], state.firstMoment()[a]);
            assertArrayEquals(reference.v[a], state.secondMoment()[a]);
        }
    }

    @Test
    void agreesWithTheTextbookFormula() {
        // θ ← θ − lr · m̂ / (√v̂ + ε) with m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t)
        DenseNetwork net = new DenseNetwork(SPEC);
        double[][] params = NnFixtures.randomParameters(SPEC, new SplittableRandom(2));
        net.importParameters(params);
        Optimizer adam = net.newAdam();
        ParameterGradients g = net.newGradients();
        double[][] m = new double[params.length][];
        double[][] v = new double[params.length][];
        for (int a = 0; a < params.length; a++) {
            m[a] = new double[params[a].length];
            v[a] = new double[params[a].length];
        }
        double lr = 1e-2;
        for (int t = 1; t <= 4; t++) {
            double[][] grads = gradientsOf(net, g, 20 + t);
            adam.step(g, lr);
            for (int a = 0; a < params.length; a++) {
                for (int i = 0; i < params[a].length; i++) {
                    double gi = grads[a][i];
                    m[a][i] = 0.9 * m[a][i] + 0.1 * gi;
                    v[a][i] = 0.999 * v[a][i] + 0.001 * gi * gi;
                    double mHat = m[a][i] / (1 - Math.pow(0.9, t));
                    double vHat = v[a][i] / (1 - Math.pow(0.999, t));
                    params[a][i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
                }
            }
            double[][] actual = net.exportParameters();
            for (int a = 0; a < params.length; a++) {
                for (int i = 0; i < params[a].length; i++) {
                    assertEquals(params[a][i], actual[a][i], 1e-14, "step " + t);
                }
            }
        }
    }

    @Test
    void firstStepMovesEachParameterByTheLearningRate() {
        DenseNetwork net = new DenseNetwork(SPEC);
        double[][] before = NnFixtures.randomParameters(SPEC, new SplittableRandom(3));
        net.importParameters(before);
        ParameterGradients g = net.newGradients();
        double[][] grads = gradientsOf(net, g, 30);
        net.newAdam().step(g, 0.01);
        double[][] after = net.exportParameters();
        for (int a = 0; a < before.length; a++) {
            for (int i = 0; i < before[a].length; i++) {
                double gi = grads[a][i];
                double expected = before[a][i] - 0.01 * gi / (Math.abs(gi) + 1e-8);
                assertEquals(expected, after[a][i], 1e-15);
            }
        }
    }

    @Test
    void stateRoundTripsAsDeepCopies() {
        DenseNetwork net = new DenseNetwork(SPEC);
        net.importParameters(NnFixtures.randomParameters(SPEC, new SplittableRandom(4)));
        Optimizer adam = net.newAdam();
        ParameterGradients g = net.newGradients();
        gradientsOf(net, g, 40);
        adam.step(g, 1e-3);
        adam.step(g, 1e-3);
        AdamState state = adam.exportState();
        AdamState again = adam.exportState();
        assertNotSame(state.firstMoment()[0], again.firstMoment()[0]);

        DenseNetwork twin = new DenseNetwork(SPEC);
        twin.copyParametersFrom(net);
        Optimizer twinAdam = twin.newAdam();
        twinAdam.importState(state);
        state.firstMoment()[0][0] = 1e6; // the import copied
        state.secondMoment()[0][0] = 1e6;
        adam.step(g, 1e-3);
        twinAdam.step(g, 1e-3);
        double[][] a = net.exportParameters();
        double[][] b = twin.exportParameters();
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
        }
        assertEquals(3, twinAdam.exportState().steps());
    }

    @Test
    void rejectedImportsChangeNothing() {
        DenseNetwork net = new DenseNetwork(SPEC);
        net.importParameters(NnFixtures.randomParameters(SPEC, new SplittableRandom(5)));
        Optimizer adam = net.newAdam();
        ParameterGradients g = net.newGradients();
        gradientsOf(net, g, 50);
        adam.step(g, 1e-3);
        AdamState good = adam.exportState();
        double[][] shortFirst = NnFixtures.randomParameters(SPEC, new SplittableRandom(6));
        shortFirst[1] = new double[4];
        double[][] negativeSecond = adam.exportState().secondMoment();
        negativeSecond[2][1] = -1e-3;
        double[][] nanFirst = adam.exportState().firstMoment();
        nanFirst[3][0] = Double.NaN;
        DenseNetworkTest.assertMessage(() -> adam.importState(null), "state");
        DenseNetworkTest.assertMessage(
                () -> adam.importState(new AdamState(-1, good.firstMoment(), good.secondMoment())), "steps", "-1");
        DenseNetworkTest.assertMessage(
                () -> adam.importState(new AdamState(2, shortFirst, good.secondMoment())), "firstMoment", "bias");
        DenseNetworkTest.assertMessage(
                () -> adam.importState(new AdamState(2, good.firstMoment(), negativeSecond)), "secondMoment[2][1]");
        DenseNetworkTest.assertMessage(
                () -> adam.importState(new AdamState(2, nanFirst, good.secondMoment())), "firstMoment[3][0]");
        AdamState after = adam.exportState();
        assertEquals(good.steps(), after.steps());
        for (int i = 0; i < good.firstMoment().length; i++) {
            assertArrayEquals(good.firstMoment()[i], after.firstMoment()[i]);
            assertArrayEquals(good.secondMoment()[i], after.secondMoment()[i]);
        }
    }

    @Test
    void rejectsBadLearningRatesAndForeignGradients() {
        DenseNetwork net = new DenseNetwork(SPEC);
        Optimizer adam = net.newAdam();
        ParameterGradients g = net.newGradients();
        DenseNetworkTest.assertMessage(() -> adam.step(g, -1e-3), "learningRate", "-0.001");
        DenseNetworkTest.assertMessage(() -> adam.step(g, Double.NaN), "learningRate", "NaN");
        ParameterGradients other = new DenseNetwork(NetworkSpec.of(4, new int[] {6}, 3)).newGradients();
        DenseNetworkTest.assertMessage(() -> adam.step(other, 1e-3), "gradients");
        assertEquals(0, adam.exportState().steps(), "a rejected step takes no step");
        assertThrows(IllegalArgumentException.class, () -> adam.step(null, 1e-3));
    }
}
