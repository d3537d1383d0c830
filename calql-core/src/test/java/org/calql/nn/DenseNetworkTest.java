package org.calql.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;
import org.junit.jupiter.api.Test;

class DenseNetworkTest {
    private static final NetworkSpec SPEC = NetworkSpec.of(5, new int[] {4, 3}, 2);

    private static DenseNetwork network(long seed) {
        DenseNetwork net = new DenseNetwork(SPEC);
        net.importParameters(NnFixtures.randomParameters(SPEC, new SplittableRandom(seed)));
        return net;
    }

    @Test
    void computesAHandWorkedExample() {
        // 2 -> 2 -> 1: h = relu(W0 x + b0), y = W1 h + b1
        NetworkSpec spec = NetworkSpec.of(2, new int[] {2}, 1);
        Network net = new JavaBackend().createNetwork(spec);
        net.importParameters(new double[][] {{1, 2, -1, 1}, {0.5, -3}, {2, -1}, {0.25}});
        Workspace ws = net.newWorkspace(1);
        double[] out = new double[1];
        net.forward(ws, new double[] {1, 1}, 1, out);
        // pre = (1+2+0.5, -1+1-3) = (3.5, -3) -> h = (3.5, 0) -> y = 7 + 0.25
        assertEquals(7.25, out[0]);
        ParameterGradients g = net.newGradients();
        double[] gradInput = new double[2];
        net.backward(ws, new double[] {1}, g, gradInput, null);
        double[][] grads = g.export();
        assertArrayEquals(new double[] {2, 2, 0, 0}, grads[0]);
        assertArrayEquals(new double[] {2, 0}, grads[1]);
        assertArrayEquals(new double[] {3.5, 0}, grads[2]);
        assertArrayEquals(new double[] {1}, grads[3]);
        assertArrayEquals(new double[] {2, 4}, gradInput);
    }

    @Test
    void reluDerivativeAtExactlyZeroIsZero() {
        NetworkSpec spec = NetworkSpec.of(1, new int[] {1}, 1);
        Network net = new JavaBackend().createNetwork(spec);
        // pre-activation 1·x − 1 = 0 at x = 1
        net.importParameters(new double[][] {{1}, {-1}, {3}, {0}});
        Workspace ws = net.newWorkspace(1);
        double[] out = new double[1];
        net.forward(ws, new double[] {1}, 1, out);
        assertEquals(0.0, out[0]);
        ParameterGradients g = net.newGradients();
        double[] gradInput = {Double.NaN};
        net.backward(ws, new double[] {1}, g, gradInput, null);
        double[][] grads = g.export();
        assertEquals(0.0, grads[0][0]);
        assertEquals(0.0, grads[1][0]);
        assertEquals(0.0, grads[2][0]);
        assertEquals(1.0, grads[3][0]);
        assertEquals(0.0, gradInput[0]);
    }

    @Test
    void backwardAddsParameterGradientsAndOverwritesInputGradients() {
        DenseNetwork net = network(1);
        SplittableRandom rng = new SplittableRandom(2);
        int groups = 3;
        int groupSize = 2;
        int tailDim = 2;
        double[] head = NnFixtures.gaussian(rng, groups * 3, 1);
        double[] tail = NnFixtures.gaussian(rng, groups * groupSize * tailDim, 1);
        double[] gradOut = NnFixtures.gaussian(rng, groups * groupSize * 2, 1);
        Workspace ws = net.newWorkspace(6);
        net.forward(ws, head, tail, tailDim, groups, groupSize, new double[12]);
        ParameterGradients once = net.newGradients();
        double[] gradHead = new double[9];
        double[] gradTail = new double[12];
        net.backward(ws, gradOut, once, gradHead, gradTail);
        ParameterGradients twice = net.newGradients();
        double[] gradHead2 = new double[9];
        double[] gradTail2 = new double[12];
        net.backward(ws, gradOut, twice, null, null);
        net.backward(ws, gradOut, twice, gradHead2, gradTail2);
        double[][] a = once.export();
        double[][] b = twice.export();
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                assertEquals(2 * a[i][j], b[i][j], 1e-15 * (1 + Math.abs(b[i][j])));
            }
        }
        assertArrayEquals(gradHead, gradHead2);
        assertArrayEquals(gradTail, gradTail2);

        // nothing requested: nothing changes
        double[][] before = twice.export();
        net.backward(ws, gradOut, null, null, null);
        assertArrayEquals(before[0], twice.export()[0]);
    }

    @Test
    void zeroRowsAndOneRowWork() {
        DenseNetwork net = network(3);
        Workspace ws = net.newWorkspace(1);
        net.forward(ws, new double[0], 0, new double[0]);
        ParameterGradients g = net.newGradients();
        net.backward(ws, new double[0], g, new double[0], null);
        for (double[] array : g.export()) {
            for (double v : array) {
                assertEquals(0.0, v);
            }
        }
        double[] input = {0.1, -0.2, 0.3, 0.4, -0.5};
        double[] out = new double[2];
        net.forward(ws, input, 1, out);
        assertTrue(NnFixtures.normwiseError(
                NnFixtures.textbookForward(SPEC, net.exportParameters(), input, 1), out, 2) <= 1e-15);
    }

    @Test
    void validatesArgumentsWithMessagesThatNameThem() {
        DenseNetwork net = network(4);
        Workspace ws = net.newWorkspace(4);
        double[] out = new double[8];
        assertMessage(() -> net.forward(ws, new double[5], null, 0, 2, 1, out), "head", "10", "5");
        assertMessage(() -> net.forward(ws, new double[6], new double[7], 2, 2, 2, out), "tail", "8", "7");
        assertMessage(() -> net.forward(ws, new double[6], null, 2, 2, 2, out), "tail", "null");
        assertMessage(() -> net.forward(ws, new double[10], null, 0, 2, 1, new double[3]), "out", "4", "3");
        assertMessage(() -> net.forward(ws, new double[25], null, 0, 5, 1, new double[10]), "maxRows", "5", "4");
        assertMessage(() -> net.forward(ws, new double[10], null, 6, 2, 1, out), "tailDim", "6");
        assertMessage(() -> net.forward(ws, new double[10], null, -1, 2, 1, out), "tailDim", "-1");
        assertMessage(() -> net.forward(ws, new double[10], null, 0, -1, 1, out), "groups", "-1");
        assertMessage(() -> net.forward(ws, new double[10], null, 0, 2, 0, out), "groupSize", "0");
        assertMessage(() -> net.forward(network(5).newWorkspace(4), new double[10], 2, out), "workspace");
        assertMessage(() -> net.newWorkspace(-1), "maxRows", "-1");

        Workspace fresh = net.newWorkspace(2);
        assertThrows(IllegalStateException.class, () -> net.backward(fresh, new double[4], null, null, null));
        net.forward(fresh, new double[6], new double[4], 2, 2, 1, new double[4]);
        assertMessage(() -> net.backward(fresh, new double[3], null, null, null), "gradOutput", "4", "3");
        assertMessage(() -> net.backward(fresh, new double[4], null, new double[5], null), "gradHead", "6", "5");
        assertMessage(() -> net.backward(fresh, new double[4], null, null, new double[3]), "gradTail", "4", "3");
        ParameterGradients foreign = new DenseNetwork(NetworkSpec.of(5, new int[] {4}, 2)).newGradients();
        assertMessage(() -> net.backward(fresh, new double[4], foreign, null, null), "gradients");
    }

    static void assertMessage(Runnable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention " + fragment);
        }
    }

    @Test
    void forwardsThroughDistinctWorkspacesMayRunConcurrently() throws Exception {
        DenseNetwork net = network(6);
        SplittableRandom rng = new SplittableRandom(7);
        int rows = 64;
        double[] input = NnFixtures.gaussian(rng, rows * 5, 1);
        double[] expected = new double[rows * 2];
        net.forward(net.newWorkspace(rows), input, rows, expected);
        Thread[] threads = new Thread[4];
        boolean[] ok = new boolean[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                Workspace ws = net.newWorkspace(rows);
                double[] out = new double[rows * 2];
                boolean same = true;
                for (int k = 0; k < 200; k++) {
                    net.forward(ws, input, rows, out);
                    same &= java.util.Arrays.equals(expected, out);
                }
                ok[id] = same;
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (boolean b : ok) {
            assertTrue(b);
        }
    }
}
