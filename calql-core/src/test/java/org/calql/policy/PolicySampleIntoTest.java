package org.calql.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.spi.BoundRows;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.junit.jupiter.api.Test;

/**
 * {@link Policy#sampleInto} writes exactly the actions {@link Policy#sample} gives into the caller's layout (the
 * tanh-Gaussian policy directly, any other policy through the interface's default), leaving the rest of the
 * target alone, with the same log-probabilities and sample gradients; and the bound forward equals the
 * host-array forward.
 */
class PolicySampleIntoTest {
    private static final int OBS = 3;
    private static final int ACT = 2;
    private static final int ROWS = 4;
    private static final int SAMPLES = 3;

    private static TanhGaussianPolicy policy(Backend backend) {
        Network network = backend.createNetwork(NetworkSpec.of(OBS, new int[] {5}, 2 * ACT));
        SplittableRandom rng = new SplittableRandom(3);
        double[][] p = network.exportParameters();
        for (double[] a : p) {
            for (int i = 0; i < a.length; i++) {
                a[i] = rng.nextDouble(-1, 1);
            }
        }
        network.importParameters(p);
        return new TanhGaussianPolicy(network, ACT, 1.5, 1.0, -0.5);
    }

    private static double[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble(-2, 2);
        }
        return v;
    }

    @Test
    void sampleIntoPlacesExactlyTheSampledActionsAndNothingElse() {
        TanhGaussianPolicy direct = policy(Backends.named("java"));
        Policy viaDefault = new Delegating(direct);
        double[] observations = random(ROWS * OBS, 5);
        double[] noise = random(ROWS * SAMPLES * ACT, 6);
        int offset = 7;
        int stride = SAMPLES * ACT + 4;

        PolicyPass pass = direct.newPass(ROWS);
        direct.forward(pass, observations, ROWS);
        PolicySamples reference = direct.newSamples(ROWS, SAMPLES);
        direct.sample(pass, noise, reference);

        for (Policy p : new Policy[] {direct, viaDefault}) {
            PolicySamples placed = p.newSamples(ROWS, SAMPLES);
            double[] target = new double[offset + ROWS * stride];
            Arrays.fill(target, -9.0);
            p.sampleInto(pass, noise, placed, target, offset, stride);
            int block = SAMPLES * ACT;
            for (int i = 0; i < target.length; i++) {
                int r = (i - offset) / stride;
                int within = (i - offset) % stride;
                if (i >= offset && r < ROWS && within < block) {
                    assertEquals(reference.actions()[r * block + within], target[i], "action value " + i);
                } else {
                    assertEquals(-9.0, target[i], "value " + i + " outside the placed blocks");
                }
            }
            assertArrayEquals(reference.logProbs(), placed.logProbs(), "log-probabilities");
            double[] gradActions = random(ROWS * block, 8);
            double[] gradLogProbs = random(ROWS * SAMPLES, 9);
            PolicyPass a = direct.newPass(ROWS);
            PolicyPass b = direct.newPass(ROWS);
            direct.forward(a, observations, ROWS);
            direct.forward(b, observations, ROWS);
            a.zeroGradients();
            b.zeroGradients();
            direct.addSampleGradient(a, reference, gradActions, gradLogProbs);
            direct.addSampleGradient(b, placed, gradActions, gradLogProbs);
            PolicyGradients ga = direct.newGradients();
            PolicyGradients gb = direct.newGradients();
            direct.backward(a, ga);
            direct.backward(b, gb);
            double[][] ea = ga.export();
            double[][] eb = gb.export();
            for (int i = 0; i < ea.length; i++) {
                assertArrayEquals(ea[i], eb[i], "policy gradient array " + i);
            }
        }
    }

    @Test
    void sampleIntoRejectsAPlacementThatDoesNotFit() {
        TanhGaussianPolicy direct = policy(Backends.named("java"));
        PolicyPass pass = direct.newPass(ROWS);
        direct.forward(pass, random(ROWS * OBS, 5), ROWS);
        double[] noise = random(ROWS * SAMPLES * ACT, 6);
        for (Policy p : new Policy[] {direct, new Delegating(direct)}) {
            PolicySamples out = p.newSamples(ROWS, SAMPLES);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.sampleInto(pass, noise, out, new double[100], 0, SAMPLES * ACT - 1));
            assertTrue(e.getMessage().contains("rowStride must be at least"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> p.sampleInto(pass, noise, out, new double[ROWS * SAMPLES * ACT], 1, SAMPLES * ACT));
            assertTrue(e.getMessage().contains("target must hold at least 25 values, found 24"), e.getMessage());
        }
    }

    @Test
    void boundForwardEqualsTheHostArrayForward() {
        Backend backend = Backends.named("java");
        TanhGaussianPolicy direct = policy(backend);
        double[] observations = random(ROWS * OBS, 5);
        BoundRows bound = backend.bindRows(ROWS, OBS);
        bound.load(observations, ROWS);
        double[] expected = new double[ROWS * ACT];
        double[] actual = new double[ROWS * ACT];
        for (Policy p : new Policy[] {direct, new Delegating(direct)}) {
            PolicyPass a = p.newPass(ROWS);
            PolicyPass b = p.newPass(ROWS);
            p.forward(a, observations, ROWS);
            p.forward(b, bound);
            assertEquals(ROWS, b.rows());
            p.deterministicActions(a, expected);
            p.deterministicActions(b, actual);
            assertArrayEquals(expected, actual);
        }
        BoundRows wide = backend.bindRows(ROWS, OBS + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Delegating(direct).forward(direct.newPass(ROWS), wide));
        assertTrue(e.getMessage().contains("width observationDim 3, found 4"), e.getMessage());
    }

    /** A policy that overrides none of the defaults (what a user's own policy gets). */
    private record Delegating(Policy inner) implements Policy {
        @Override
        public int observationDim() {
            return inner.observationDim();
        }

        @Override
        public int actionDim() {
            return inner.actionDim();
        }

        @Override
        public double maxAction() {
            return inner.maxAction();
        }

        @Override
        public int noiseDim() {
            return inner.noiseDim();
        }

        @Override
        public PolicyPass newPass(int maxRows) {
            return inner.newPass(maxRows);
        }

        @Override
        public PolicySamples newSamples(int maxRows, int samplesPerRow) {
            return inner.newSamples(maxRows, samplesPerRow);
        }

        @Override
        public void forward(PolicyPass pass, double[] observations, int rows) {
            inner.forward(pass, observations, rows);
        }

        @Override
        public void sample(PolicyPass pass, double[] noise, PolicySamples out) {
            inner.sample(pass, noise, out);
        }

        @Override
        public void deterministicActions(PolicyPass pass, double[] out) {
            inner.deterministicActions(pass, out);
        }

        @Override
        public void addSampleGradient(PolicyPass pass, PolicySamples samples, double[] gradActions,
                                      double[] gradLogProbs) {
            inner.addSampleGradient(pass, samples, gradActions, gradLogProbs);
        }

        @Override
        public double addLogLikelihoodGradient(PolicyPass pass, double[] actions, double gradScale) {
            return inner.addLogLikelihoodGradient(pass, actions, gradScale);
        }

        @Override
        public PolicyGradients newGradients() {
            return inner.newGradients();
        }

        @Override
        public void backward(PolicyPass pass, PolicyGradients gradients) {
            inner.backward(pass, gradients);
        }

        @Override
        public void step(PolicyGradients gradients, double learningRate) {
            inner.step(gradients, learningRate);
        }

        @Override
        public PolicyState exportState() {
            return inner.exportState();
        }

        @Override
        public void importState(PolicyState state) {
            inner.importState(state);
        }
    }
}
