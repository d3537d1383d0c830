package org.calql.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.random.Rng;
import org.calql.random.UpdateDraws;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.update.UpdateStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Before and after staging, paired in one JVM: the same update (config, seed, batch) on the ND4J backend as it is
 * ({@code staged}: {@link Backend#bindRows} stages observations and action sets once per update as float32
 * matrices the passes multiply in place) and on the same backend with host rows ({@code host}: the default
 * {@code bindRows}, so every pass converts and transposes its host arrays again, as before the change), alternating
 * with {@code 7936x256x256} sgemm calls on every core. Each round runs one of each in turn (order alternating), so
 * load on a shared machine hits all three alike; the ratios are of medians.
 *
 * <p>{@code java -cp calql-bench.jar:lib/* org.calql.bench.StagingComparison [config] [rounds]}.
 */
public final class StagingComparison {
    private StagingComparison() {
    }

    /** Runs the comparison and prints it. */
    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "antmaze";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        CalQlConfig config = BenchConfigs.named(name);
        Backend nd4j = Backends.named("nd4j");
        Backend host = new HostRowsBackend(nd4j);
        TransitionBatch batch = BenchConfigs.randomBatch(config, 11L);
        UpdateStep staged = new UpdateStep(config, nd4j, UpdateDraws.from(new Rng(config.seed())));
        UpdateStep plain = new UpdateStep(config, host, UpdateDraws.from(new Rng(config.seed())));
        INDArray x = Nd4j.rand(DataType.FLOAT, 7936, 256).dup('f');
        INDArray w = Nd4j.rand(DataType.FLOAT, 256, 256).dup('f');
        INDArray y = Nd4j.create(DataType.FLOAT, new long[] {7936, 256}, 'f');
        double gemmFlops = 2.0 * 7936 * 256 * 256;
        double essential = EssentialFlops.update(config);
        var blas = Nd4j.factory().blas();
        int updateThreads = blas.getMaxThreads();
        double[] stagedMs = new double[rounds];
        double[] hostMs = new double[rounds];
        double[] pairRatio = new double[rounds];
        double[] rate = new double[rounds];
        for (int i = -3; i < rounds; i++) {
            long a;
            long b;
            if ((i & 1) == 0) {
                a = time(() -> staged.update(batch));
                b = time(() -> plain.update(batch));
            } else {
                b = time(() -> plain.update(batch));
                a = time(() -> staged.update(batch));
            }
            SgemmBenchmark.useEveryCore();
            long t0 = System.nanoTime();
            for (int j = 0; j < 8; j++) {
                Nd4j.gemm(x, w, y, false, true, 1.0, 0.0);
            }
            long t1 = System.nanoTime();
            blas.setMaxThreads(updateThreads);
            if (i >= 0) {
                stagedMs[i] = a / 1e6;
                hostMs[i] = b / 1e6;
                pairRatio[i] = (double) a / b;
                rate[i] = 8 * gemmFlops / (t1 - t0);
            }
        }
        double s = median(stagedMs);
        double h = median(hostMs);
        double r = median(rate);
        double bound = essential / 1e6 / r;
        System.out.printf(Locale.ROOT, "%s on nd4j, %d rounds (one JVM, alternating; OpenBLAS %s)%n", name, rounds,
                org.calql.nd4j.OpenBlasKernel.runningCoreType().orElse("kernel unknown"));
        System.out.printf(Locale.ROOT, "  host rows (before): median %.2f ms, best %.2f ms%n", h, min(hostMs));
        System.out.printf(Locale.ROOT, "  staged (after):     median %.2f ms, best %.2f ms%n", s, min(stagedMs));
        System.out.printf(Locale.ROOT, "  staged/host: median of per-round ratios %.3f (min %.3f, max %.3f)%n",
                median(pairRatio), min(pairRatio), max(pairRatio));
        System.out.printf(Locale.ROOT, "  sgemm 7936x256x256 median %.1f GFLOP/s -> bound %.2f ms for %.3f GFLOP%n",
                r, bound, essential / 1e9);
        System.out.printf(Locale.ROOT, "  ratio to the sgemm bound: before %.3f, after %.3f%n", h / bound, s / bound);
    }

    private static long time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    /** The inner backend with the default (host) {@code bindRows}: passes read host arrays as before staging. */
    private record HostRowsBackend(Backend inner) implements Backend {
        @Override
        public String name() {
            return inner.name() + "-host-rows";
        }

        @Override
        public Network createNetwork(NetworkSpec spec) {
            return inner.createNetwork(spec);
        }

        @Override
        public void runIndependent(int count, IntConsumer pass) {
            inner.runIndependent(count, pass);
        }
    }
}
