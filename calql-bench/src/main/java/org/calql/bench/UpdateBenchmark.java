package org.calql.bench;

import java.util.concurrent.TimeUnit;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.random.Rng;
import org.calql.random.UpdateDraws;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.spi.Precision;
import org.calql.update.UpdateResult;
import org.calql.update.UpdateStep;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One full {@link UpdateStep#update} (batch 256, N = 10, two critics, max-target backup, Lagrange, Cal-QL) on a
 * fixed random batch, for the configs of {@link BenchConfigs} on each backend.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class UpdateBenchmark {
    /** {@code small} or {@code antmaze}. */
    @Param({"small", "antmaze"})
    public String config;

    /** {@code nd4j}, {@code java}, or {@code nd4j-bf16} (ND4J with bf16 products, {@link Precision#BF16}). */
    @Param({"nd4j", "java"})
    public String backend;

    private UpdateStep step;
    private TransitionBatch batch;

    /** Builds the update step (networks initialised from the config's seed) and the batch. */
    @Setup
    public void setup() {
        CalQlConfig c = BenchConfigs.named(config);
        step = new UpdateStep(c, backend(backend), UpdateDraws.from(new Rng(c.seed())));
        batch = BenchConfigs.randomBatch(c, 11L);
    }

    /** The backend of a {@link #backend} name: a backend's name, or {@code nd4j-bf16}. */
    public static Backend backend(String name) {
        return name.equals(BF16_BACKEND) ? Backends.named("nd4j").withPrecision(Precision.BF16) : Backends.named(name);
    }

    /** The {@link #backend} value of ND4J with bf16 products. */
    public static final String BF16_BACKEND = "nd4j-bf16";

    /** One update. */
    @Benchmark
    public UpdateResult update() {
        return step.update(batch);
    }
}
