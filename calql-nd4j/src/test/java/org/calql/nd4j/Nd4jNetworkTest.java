package org.calql.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.calql.spi.AdamState;
import org.calql.spi.Backends;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Optimizer;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ND4J network against {@link ReferenceNetwork}, a naive double-precision implementation of the formulas. */
class Nd4jNetworkTest {
    /** Norm-wise relative tolerance for float32 against float64. */
    private static final double TOLERANCE = 1e-4;

    record Case(int inputDim, int[] hidden, int outputDim, int tailDim, int groups, int groupSize) {
        NetworkSpec spec() {
            return NetworkSpec.of(inputDim, hidden, outputDim);
        }

        int rows() {
            return groups * groupSize;
        }

        int headDim() {
            return inputDim - tailDim;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(37, new int[] {64, 64, 64}, 1, 8, 6, 11),   // critic: state head, action tail
                new Case(29, new int[] {32, 32}, 16, 0, 7, 1),       // policy: no tail
                new Case(6, new int[] {5}, 2, 2, 9, 1),              // tail with groupSize 1
                new Case(4, new int[] {8}, 3, 0, 3, 4),              // groups without a tail
                new Case(3, new int[] {4}, 1, 3, 2, 3),              // empty head
                new Case(5, new int[0], 2, 2, 3, 2));                // linear
    }

    static Network nd4j(NetworkSpec spec) {
        return Nd4jBackend.create().createNetwork(spec);
    }

    static double[][] randomParameters(NetworkSpec spec, SplittableRandom rng) {
        double[][] p = ReferenceNetwork.zeros(spec);
        for (int l = 0; l < spec.layerCount(); l++) {
            double scale = Math.sqrt(2.0 / spec.layerInput(l));
            for (int i = 0; i < p[2 * l].length; i++) {
                p[2 * l][i] = scale * rng.nextGaussian();
            }
            for (int i = 0; i < p[2 * l + 1].length; i++) {
                p[2 * l + 1][i] = 0.1 * rng.nextGaussian();
            }
        }
        return p;
    }

    static double[] gaussian(SplittableRandom rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }

    static double[] concatenate(Case c, double[] head, double[] tail) {
        double[] x = new double[c.rows() * c.inputDim()];
        for (int r = 0; r < c.rows(); r++) {
            System.arraycopy(head, (r / c.groupSize()) * c.headDim(), x, r * c.inputDim(), c.headDim());
            if (c.tailDim() > 0) {
                System.arraycopy(tail, r * c.tailDim(), x, r * c.inputDim() + c.headDim(), c.tailDim());
            }
        }
        return x;
    }

    static void assertClose(String what, double[] expected, double[] actual, int n) {
        double scale = Double.MIN_NORMAL;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        for (int i = 0; i < n; i++) {
            double error = Math.abs(actual[i] - expected[i]);
            if (!(error <= TOLERANCE * scale)) {
                fail(what + "[" + i + "]: expected " + expected[i] + ", found " + actual[i] + " (max|expected| " + scale + ")");
            }
        }
    }

    static void assertClose(String what, double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what + "[" + i + "] length");
            assertClose(what + "[" + i + "]", expected[i], actual[i], expected[i].length);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void forwardAndBackwardMatchTheReference(Case c) {
        NetworkSpec spec = c.spec();
        SplittableRandom rng = new SplittableRandom(1);
        double[][] params = randomParameters(spec, rng);
        double[] head = gaussian(rng, c.groups() * c.headDim());
        double[] tail = c.tailDim() == 0 ? null : gaussian(rng, c.rows() * c.tailDim());
        double[] gradOut = gaussian(rng, c.rows() * c.outputDim());

        ReferenceNetwork ref = new ReferenceNetwork(spec, params);
        double[] expectedOut = ref.forward(concatenate(c, head, tail), c.rows());
        double[][] expectedGrads = ReferenceNetwork.zeros(spec);
        double[] expectedGradInput = ref.backward(gradOut, c.rows(), expectedGrads);
        double[] expectedHead = new double[c.groups() * c.headDim()];
        double[] expectedTail = new double[c.rows() * c.tailDim()];
        for (int r = 0; r < c.rows(); r++) {
            for (int i = 0; i < c.headDim(); i++) {
                expectedHead[(r / c.groupSize()) * c.headDim() + i] += expectedGradInput[r * c.inputDim() + i];
            }
            for (int i = 0; i < c.tailDim(); i++) {
                expectedTail[r * c.tailDim() + i] = expectedGradInput[r * c.inputDim() + c.headDim() + i];
            }
        }

        Network net = nd4j(spec);
        net.importParameters(params);
        Workspace ws = net.newWorkspace(c.rows());
        double[] out = new double[c.rows() * c.outputDim()];
        net.forward(ws, head, tail, c.tailDim(), c.groups(), c.groupSize(), out);
        assertClose("forward", expectedOut, out, out.length);

        ParameterGradients g = net.newGradients();
        double[] gradHead = new double[expectedHead.length];
        double[] gradTail = new double[expectedTail.length];
        net.backward(ws, gradOut, g, gradHead, gradTail);
        assertClose("parameter gradients", expectedGrads, g.export());
        assertClose("gradHead", expectedHead, gradHead, gradHead.length);
        assertClose("gradTail", expectedTail, gradTail, gradTail.length);

        // gradients add up over backward calls; the input gradients alone need no parameter gradients
        net.backward(ws, gradOut, g, null, null);
        double[][] twice = g.export();
        for (double[] a : expectedGrads) {
            for (int i = 0; i < a.length; i++) {
                a[i] *= 2;
            }
        }
        assertClose("accumulated parameter gradients", expectedGrads, twice);
        double[] tailOnly = new double[expectedTail.length];
        net.backward(ws, gradOut, null, null, tailOnly);
        assertClose("gradTail alone", expectedTail, tailOnly, tailOnly.length);
        double[] headOnly = new double[expectedHead.length];
        net.backward(ws, gradOut, null, headOnly, null);
        assertClose("gradHead alone", expectedHead, headOnly, headOnly.length);
        assertClose("parameter gradients untouched by passes without them", twice, g.export());
    }

    @Test
    void aWorkspaceServesGrowingAndShrinkingBatches() {
        Case big = new Case(37, new int[] {24, 24}, 1, 8, 5, 11);
        NetworkSpec spec = big.spec();
        SplittableRandom rng = new SplittableRandom(2);
        double[][] params = randomParameters(spec, rng);
        Network net = nd4j(spec);
        net.importParameters(params);
        ReferenceNetwork ref = new ReferenceNetwork(spec, params);
        Workspace ws = net.newWorkspace(big.rows());
        int[][] layouts = {{1, 11}, {5, 11}, {2, 11}, {5, 11}, {55, 1}, {3, 1}, {5, 11}, {4, 3}};
        for (int[] layout : layouts) {
            Case c = new Case(37, new int[] {24, 24}, 1, 8, layout[0], layout[1]);
            double[] head = gaussian(rng, c.groups() * c.headDim());
            double[] tail = gaussian(rng, c.rows() * c.tailDim());
            double[] expected = ref.forward(concatenate(c, head, tail), c.rows());
            double[] out = new double[c.rows()];
            net.forward(ws, head, tail, c.tailDim(), c.groups(), c.groupSize(), out);
            assertClose("forward " + layout[0] + "x" + layout[1], expected, out, out.length);
            double[] gradOut = gaussian(rng, c.rows());
            double[][] refGrads = ReferenceNetwork.zeros(spec);
            double[] gin = ref.backward(gradOut, c.rows(), refGrads);
            double[] expectedTail = new double[c.rows() * 8];
            for (int r = 0; r < c.rows(); r++) {
                System.arraycopy(gin, r * 37 + 29, expectedTail, r * 8, 8);
            }
            double[] gradTail = new double[c.rows() * 8];
            ParameterGradients g = net.newGradients();
            net.backward(ws, gradOut, g, null, gradTail);
            assertClose("gradTail " + layout[0] + "x" + layout[1], expectedTail, gradTail, gradTail.length);
            assertClose("gradients " + layout[0] + "x" + layout[1], refGrads, g.export());
        }
    }

    @Test
    void zeroRowsDoNothing() {
        Network net = nd4j(NetworkSpec.of(4, new int[] {3}, 2));
        Workspace ws = net.newWorkspace(0);
        net.forward(ws, new double[0], null, 0, 0, 1, new double[0]);
        ParameterGradients g = net.newGradients();
        net.backward(ws, new double[0], g, new double[0], new double[0]);
        for (double[] a : g.export()) {
            for (double v : a) {
                assertEquals(0.0, v);
            }
        }
    }

    @Test
    void adamFollowsPyTorchFormula() {
        NetworkSpec spec = NetworkSpec.of(5, new int[] {6}, 2);
        SplittableRandom rng = new SplittableRandom(3);
        double[][] theta = randomParameters(spec, rng);
        Network net = nd4j(spec);
        net.importParameters(theta);
        Optimizer adam = net.newAdam();
        double[][] m = ReferenceNetwork.zeros(spec);
        double[][] v = ReferenceNetwork.zeros(spec);
        double[] rates = {1e-2, 3e-3, 1e-3};
        for (int t = 1; t <= rates.length; t++) {
            double[] input = gaussian(rng, 4 * 5);
            double[] gradOut = gaussian(rng, 4 * 2);
            Workspace ws = net.newWorkspace(4);
            net.forward(ws, input, 4, new double[8]);
            ParameterGradients g = net.newGradients();
            net.backward(ws, gradOut, g, null, null);
            double[][] grad = g.export();
            double bc1 = 1 - Math.pow(0.9, t);
            double bc2 = 1 - Math.pow(0.999, t);
            for (int a = 0; a < theta.length; a++) {
                for (int i = 0; i < theta[a].length; i++) {
                    m[a][i] = 0.9 * m[a][i] + 0.1 * grad[a][i];
                    v[a][i] = 0.999 * v[a][i] + 0.001 * grad[a][i] * grad[a][i];
                    double denom = Math.sqrt(v[a][i]) / Math.sqrt(bc2) + 1e-8;
                    theta[a][i] -= rates[t - 1] / bc1 * m[a][i] / denom;
                }
            }
            adam.step(g, rates[t - 1]);
            assertClose("parameters after step " + t, theta, net.exportParameters());
        }
        AdamState state = adam.exportState();
        assertEquals(3, state.steps());
        assertClose("first moment", m, state.firstMoment());
        assertClose("second moment", v, state.secondMoment());
    }

    @Test
    void softUpdateCopyAndAtomicImport() {
        NetworkSpec spec = NetworkSpec.of(7, new int[] {9, 9}, 3);
        SplittableRandom rng = new SplittableRandom(4);
        double[][] a = randomParameters(spec, rng);
        double[][] b = randomParameters(spec, rng);
        Network target = nd4j(spec);
        Network source = nd4j(spec);
        target.importParameters(a);
        source.importParameters(b);
        target.softUpdateFrom(source, 0.05);
        double[][] expected = ReferenceNetwork.zeros(spec);
        for (int k = 0; k < a.length; k++) {
            for (int i = 0; i < a[k].length; i++) {
                expected[k][i] = 0.95 * a[k][i] + 0.05 * b[k][i];
            }
        }
        assertClose("soft update", expected, target.exportParameters());
        assertClose("source untouched", b, source.exportParameters());
        target.copyParametersFrom(source);
        assertClose("copy", b, target.exportParameters());

        double[][] bad = ReferenceNetwork.zeros(spec);
        bad[bad.length - 1] = new double[4];
        assertThrows(IllegalArgumentException.class, () -> target.importParameters(bad));
        assertClose("after a rejected import", b, target.exportParameters());
        assertThrows(IllegalArgumentException.class,
                () -> target.copyParametersFrom(nd4j(NetworkSpec.of(7, new int[] {9}, 3))));
        assertThrows(IllegalArgumentException.class, () -> target.softUpdateFrom(source, 1.5));
    }

    @Test
    void parametersMoveBetweenBackends() {
        NetworkSpec spec = NetworkSpec.of(6, new int[] {5}, 2);
        double[][] p = randomParameters(spec, new SplittableRandom(5));
        Network java = Backends.named("java").createNetwork(spec);
        java.importParameters(p);
        Network net = nd4j(spec);
        net.copyParametersFrom(java);
        assertClose("copied from the Java backend", p, net.exportParameters());
        net.importParameters(ReferenceNetwork.zeros(spec));
        net.softUpdateFrom(java, 0.5);
        double[][] half = ReferenceNetwork.zeros(spec);
        for (int k = 0; k < p.length; k++) {
            for (int i = 0; i < p[k].length; i++) {
                half[k][i] = 0.5 * p[k][i];
            }
        }
        assertClose("soft update from the Java backend", half, net.exportParameters());
    }

    @Test
    void misuseFailsWithClearErrors() {
        Network net = nd4j(NetworkSpec.of(4, new int[] {3}, 1));
        Network other = nd4j(NetworkSpec.of(4, new int[] {3}, 1));
        Workspace ws = net.newWorkspace(2);
        assertThrows(IllegalStateException.class, () -> net.backward(ws, new double[2], null, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> net.forward(other.newWorkspace(2), new double[8], 2, new double[2]));
        assertThrows(IllegalArgumentException.class, () -> net.forward(ws, new double[12], 3, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> net.forward(ws, new double[7], 2, new double[2]));
        assertThrows(IllegalArgumentException.class,
                () -> net.forward(ws, new double[2], null, 2, 1, 2, new double[2]));
        assertThrows(IllegalArgumentException.class,
                () -> net.forward(ws, new double[8], null, 5, 2, 1, new double[2]));
        net.forward(ws, new double[8], 2, new double[2]);
        assertThrows(IllegalArgumentException.class,
                () -> net.backward(ws, new double[2], Backends.named("java").createNetwork(net.spec()).newGradients(),
                        null, null));
        assertThrows(IllegalArgumentException.class, () -> net.backward(ws, new double[1], null, null, null));
    }

    @Test
    void concurrentForwardPassesThroughDistinctWorkspacesAgree() throws Exception {
        Case c = new Case(37, new int[] {32, 32}, 1, 8, 4, 11);
        NetworkSpec spec = c.spec();
        SplittableRandom rng = new SplittableRandom(6);
        double[][] params = randomParameters(spec, rng);
        Network net = nd4j(spec);
        net.importParameters(params);
        ReferenceNetwork ref = new ReferenceNetwork(spec, params);
        double[] head = gaussian(rng, c.groups() * c.headDim());
        double[] tail = gaussian(rng, c.rows() * c.tailDim());
        double[] expected = ref.forward(concatenate(c, head, tail), c.rows());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    Workspace ws = net.newWorkspace(c.rows());
                    double[] out = new double[c.rows()];
                    for (int k = 0; k < 50; k++) {
                        net.forward(ws, head, tail, c.tailDim(), c.groups(), c.groupSize(), out);
                    }
                    return out;
                }));
            }
            for (Future<double[]> f : results) {
                assertClose("concurrent forward", expected, f.get(), expected.length);
            }
        } finally {
            pool.shutdown();
        }
    }
}
