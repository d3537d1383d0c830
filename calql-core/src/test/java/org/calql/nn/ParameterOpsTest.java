package org.calql.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.calql.spi.NetworkSpec;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;
import org.junit.jupiter.api.Test;

/** Copy, soft update, export, import and gradient arithmetic of the plain-Java network. */
class ParameterOpsTest {
    private static final NetworkSpec SPEC = NetworkSpec.of(3, new int[] {4, 4}, 2);

    private static void assertParameters(double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], "array " + i);
        }
    }

    /** Forward with the network's current parameters equals the textbook forward of its export. */
    private static void assertForwardUsesExportedParameters(DenseNetwork net) {
        double[] input = NnFixtures.gaussian(new SplittableRandom(99), 4 * 3, 1);
        double[] out = new double[8];
        net.forward(net.newWorkspace(4), input, 4, out);
        double[] expected = NnFixtures.textbookForward(SPEC, net.exportParameters(), input, 4);
        assertEquals(0.0, NnFixtures.normwiseError(expected, out, 8), 1e-15);
    }

    @Test
    void softUpdateComputesOneMinusTauTimesTargetPlusTauTimesSource() {
        double[][] target = NnFixtures.randomParameters(SPEC, new SplittableRandom(1));
        double[][] source = NnFixtures.randomParameters(SPEC, new SplittableRandom(2));
        DenseNetwork t = new DenseNetwork(SPEC);
        DenseNetwork s = new DenseNetwork(SPEC);
        t.importParameters(target);
        s.importParameters(source);
        double tau = 5e-3;
        t.softUpdateFrom(s, tau);
        for (int a = 0; a < target.length; a++) {
            for (int i = 0; i < target[a].length; i++) {
                target[a][i] = (1 - tau) * target[a][i] + tau * source[a][i];
            }
        }
        assertParameters(target, t.exportParameters());
        assertForwardUsesExportedParameters(t);
        DenseNetworkTest.assertMessage(() -> t.softUpdateFrom(s, 1.5), "tau", "1.5");
        DenseNetworkTest.assertMessage(() -> t.softUpdateFrom(s, Double.NaN), "tau", "NaN");
        DenseNetworkTest.assertMessage(() -> t.softUpdateFrom(new DenseNetwork(NetworkSpec.of(3, new int[] {4}, 2)),
                0.1), "spec");
        assertParameters(target, t.exportParameters());
    }

    @Test
    void copyMakesAnIndependentEqualNetwork() {
        DenseNetwork source = new DenseNetwork(SPEC);
        source.importParameters(NnFixtures.randomParameters(SPEC, new SplittableRandom(3)));
        DenseNetwork copy = new DenseNetwork(SPEC);
        copy.copyParametersFrom(source);
        assertParameters(source.exportParameters(), copy.exportParameters());
        assertForwardUsesExportedParameters(copy);
        source.importParameters(NnFixtures.randomParameters(SPEC, new SplittableRandom(4)));
        assertEquals(false, java.util.Arrays.equals(source.exportParameters()[0], copy.exportParameters()[0]));
        DenseNetworkTest.assertMessage(() -> copy.copyParametersFrom(new DenseNetwork(NetworkSpec.of(2,
                new int[] {4, 4}, 2))), "spec");
    }

    @Test
    void exportIsADeepCopyAndImportCopiesItsArgument() {
        DenseNetwork net = new DenseNetwork(SPEC);
        double[][] params = NnFixtures.randomParameters(SPEC, new SplittableRandom(5));
        net.importParameters(params);
        double[][] exported = net.exportParameters();
        assertParameters(params, exported);
        exported[2][3] = 42;
        params[0][0] = 42;
        assertEquals(false, net.exportParameters()[2][3] == 42);
        assertEquals(false, net.exportParameters()[0][0] == 42);
        assertForwardUsesExportedParameters(net);
    }

    @Test
    void importRejectsBadLayoutsAndLeavesParametersUnchanged() {
        DenseNetwork net = new DenseNetwork(SPEC);
        net.importParameters(NnFixtures.randomParameters(SPEC, new SplittableRandom(6)));
        double[][] before = net.exportParameters();
        double[][] good = NnFixtures.randomParameters(SPEC, new SplittableRandom(7));

        double[][] shortLastBias = NnFixtures.randomParameters(SPEC, new SplittableRandom(7));
        shortLastBias[5] = new double[1];
        double[][] wrongWeight = NnFixtures.randomParameters(SPEC, new SplittableRandom(7));
        wrongWeight[2] = new double[15];
        double[][] nullArray = NnFixtures.randomParameters(SPEC, new SplittableRandom(7));
        nullArray[1] = null;
        DenseNetworkTest.assertMessage(() -> net.importParameters(null), "6");
        DenseNetworkTest.assertMessage(() -> net.importParameters(java.util.Arrays.copyOf(good, 4)), "6", "4");
        DenseNetworkTest.assertMessage(() -> net.importParameters(shortLastBias), "layer 2 bias", "1");
        DenseNetworkTest.assertMessage(() -> net.importParameters(wrongWeight), "layer 1 weight", "16", "15");
        DenseNetworkTest.assertMessage(() -> net.importParameters(nullArray), "layer 0 bias", "null");
        assertParameters(before, net.exportParameters());
        assertForwardUsesExportedParameters(net);
    }

    @Test
    void gradientsExportZeroAndScale() {
        DenseNetwork net = new DenseNetwork(SPEC);
        net.importParameters(NnFixtures.randomParameters(SPEC, new SplittableRandom(8)));
        ParameterGradients g = net.newGradients();
        SPEC.checkParameterLayout(g.export());
        Workspace ws = net.newWorkspace(4);
        SplittableRandom rng = new SplittableRandom(9);
        net.forward(ws, NnFixtures.gaussian(rng, 12, 1), 4, new double[8]);
        net.backward(ws, NnFixtures.gaussian(rng, 8, 1), g, null, null);
        double[][] raw = g.export();
        g.scale(0.25);
        double[][] scaled = g.export();
        for (int a = 0; a < raw.length; a++) {
            for (int i = 0; i < raw[a].length; i++) {
                assertEquals(raw[a][i] * 0.25, scaled[a][i]);
            }
        }
        scaled[0][0] = 1e9;
        assertEquals(raw[0][0] * 0.25, g.export()[0][0], "export is a copy");
        g.zero();
        for (double[] array : g.export()) {
            for (double v : array) {
                assertEquals(0.0, v);
            }
        }
    }
}
