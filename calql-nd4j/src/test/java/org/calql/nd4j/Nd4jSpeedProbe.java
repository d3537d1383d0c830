package org.calql.nd4j;

import java.util.SplittableRandom;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Hand-run timing probe (not a test, asserts nothing): the machine's sgemm rate through
 * {@code Nd4j.gemm} into a preallocated f-order output, and the ND4J backend's forward and backward
 * for a Cal-QL critic (29 + 8 → 5 × 256 → 1) on 256 groups × 11 actions = 2816 rows.
 *
 * <p>Run after {@code mvn ... verify} with the test class path, e.g.
 * {@code java -cp <test classpath> org.calql.nd4j.Nd4jSpeedProbe [seconds per measurement]}.
 */
public final class Nd4jSpeedProbe {
    private Nd4jSpeedProbe() {
    }

    private interface Body {
        void run();
    }

    /** Runs the probe and prints a small table. */
    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        Nd4jBackend backend = Nd4jBackend.create();
        System.out.println(backend + ", master threads " + Nd4j.getEnvironment().maxMasterThreads()
                + ", threads " + Nd4j.getEnvironment().maxThreads());

        for (int rows : new int[] {2816, 7936}) {
            INDArray a = Nd4j.rand(DataType.FLOAT, rows, 256).dup('f');
            INDArray w = Nd4j.rand(DataType.FLOAT, 256, 256).dup('f');
            INDArray c = Nd4j.create(DataType.FLOAT, new long[] {rows, 256}, 'f');
            report("sgemm " + rows + "x256 * 256x256 (f-order out)", 2.0 * rows * 256 * 256, seconds,
                    () -> Nd4j.gemm(a, w, c, false, true, 1.0, 0.0));
        }

        int groups = 256;
        int groupSize = 11;
        int headDim = 29;
        int tailDim = 8;
        int h = 256;
        int hiddenLayers = 5;
        int rows = groups * groupSize;
        int[] hidden = new int[hiddenLayers];
        java.util.Arrays.fill(hidden, h);
        NetworkSpec spec = NetworkSpec.of(headDim + tailDim, hidden, 1);
        Network net = backend.createNetwork(spec);
        SplittableRandom rng = new SplittableRandom(1);
        double[][] params = new double[2 * spec.layerCount()][];
        for (int l = 0; l < spec.layerCount(); l++) {
            params[2 * l] = gaussian(rng, spec.layerInput(l) * spec.layerOutput(l), Math.sqrt(2.0 / spec.layerInput(l)));
            params[2 * l + 1] = gaussian(rng, spec.layerOutput(l), 0.1);
        }
        net.importParameters(params);
        double[] head = gaussian(rng, groups * headDim, 1);
        double[] tail = gaussian(rng, rows * tailDim, 1);
        double[] out = new double[rows];
        double[] gradOut = gaussian(rng, rows, 1.0 / rows);
        double[] gradTail = new double[rows * tailDim];
        Workspace ws = net.newWorkspace(rows);
        ParameterGradients g = net.newGradients();

        // Essential multiply-adds: layer 0 head once per group, hidden layers, output layer.
        double layer0 = (double) rows * tailDim * h + (double) groups * headDim * h;
        double hiddenMacs = (double) (hiddenLayers - 1) * rows * h * h;
        double last = (double) rows * h;
        double forwardFlops = 2 * (layer0 + hiddenMacs + last);
        double paramGradFlops = forwardFlops;
        double inputGradFlops = 2 * (hiddenMacs + last + (double) rows * tailDim * h);

        report("critic forward (" + rows + " rows)", forwardFlops, seconds,
                () -> net.forward(ws, head, tail, tailDim, groups, groupSize, out));
        report("critic forward + backward (param grads)", forwardFlops + paramGradFlops + inputGradFlops - 2 * (double) rows * tailDim * h,
                seconds, () -> {
                    net.forward(ws, head, tail, tailDim, groups, groupSize, out);
                    net.backward(ws, gradOut, g, null, null);
                });
        report("critic forward + backward (gradTail only)", forwardFlops + inputGradFlops, seconds, () -> {
            net.forward(ws, head, tail, tailDim, groups, groupSize, out);
            net.backward(ws, gradOut, null, null, gradTail);
        });
        var adam = net.newAdam();
        report("Adam step (" + spec.parameterCount() + " params)", 0, seconds, () -> adam.step(g, 1e-9));
        Network target = backend.createNetwork(spec);
        report("soft update", 0, seconds, () -> target.softUpdateFrom(net, 5e-3));
    }

    private static void report(String what, double flops, double seconds, Body body) {
        for (int i = 0; i < 5; i++) {
            body.run();
        }
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        int n = 0;
        long best = Long.MAX_VALUE;
        while (System.nanoTime() - start < budget || n < 5) {
            long t0 = System.nanoTime();
            body.run();
            best = Math.min(best, System.nanoTime() - t0);
            n++;
        }
        double mean = (System.nanoTime() - start) / 1e9 / n;
        String rate = flops > 0 ? String.format("  %6.1f GFLOP/s mean, %6.1f best", flops / mean / 1e9, flops / (best / 1e9) / 1e9) : "";
        System.out.printf("%-48s %8.3f ms mean  %8.3f ms best%s%n", what, mean * 1e3, best / 1e6, rate);
    }

    private static double[] gaussian(SplittableRandom rng, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * rng.nextGaussian();
        }
        return v;
    }
}
