package org.calql.bench;

import java.util.Arrays;
import java.util.Locale;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.nd4j.Bf16Gemm;
import org.calql.random.Rng;
import org.calql.random.UpdateDraws;
import org.calql.update.UpdateStep;

/**
 * fp32 and bf16 updates of one config alternating in one JVM, so that both see the same load: prints each side's
 * median and best time and the median of the per-pair ratios bf16/fp32, with their range. Not JMH.
 * {@code java -cp target/calql-bench-0.1.0-SNAPSHOT.jar:target/lib/* org.calql.bench.PrecisionComparison [config
 * (antmaze)] [pairs (20)]}; needs a CPU with AMX-BF16 or AVX512-BF16.
 */
public final class PrecisionComparison {
    private PrecisionComparison() {
    }

    /** {@code [config (antmaze)] [pairs (20)]}. */
    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "antmaze";
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        CalQlConfig c = BenchConfigs.named(name);
        UpdateStep fp32 = new UpdateStep(c, UpdateBenchmark.backend("nd4j"), UpdateDraws.from(new Rng(c.seed())));
        UpdateStep bf16 = new UpdateStep(c, UpdateBenchmark.backend(UpdateBenchmark.BF16_BACKEND),
                UpdateDraws.from(new Rng(c.seed())));
        TransitionBatch batch = BenchConfigs.randomBatch(c, 11L);
        for (int i = 0; i < 5; i++) {
            fp32.update(batch);
            bf16.update(batch);
        }
        double[] a = new double[pairs];
        double[] b = new double[pairs];
        double[] ratio = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            long t0 = System.nanoTime();
            fp32.update(batch);
            long t1 = System.nanoTime();
            bf16.update(batch);
            long t2 = System.nanoTime();
            a[i] = (t1 - t0) / 1e6;
            b[i] = (t2 - t1) / 1e6;
            ratio[i] = b[i] / a[i];
        }
        Arrays.sort(a);
        Arrays.sort(b);
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "%s, %d pairs in one JVM (bf16 kernel %s)%n  fp32: median %.1f ms, best %.1f ms%n"
                        + "  bf16: median %.1f ms, best %.1f ms%n  bf16/fp32: median of per-pair ratios %.3f (min %.3f, "
                        + "max %.3f)%n", name, pairs, Bf16Gemm.kernel().orElse("?"), a[pairs / 2], a[0], b[pairs / 2], b[0],
                ratio[pairs / 2], ratio[0], ratio[pairs - 1]);
    }
}
