package org.calql.bench;

import java.util.concurrent.TimeUnit;
import org.calql.data.TransitionBatch;
import org.calql.discrete.DiscreteConfig;
import org.calql.discrete.DiscreteUpdateResult;
import org.calql.discrete.DiscreteUpdateStep;
import org.calql.spi.Backends;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One full {@link DiscreteUpdateStep#update} of {@link BenchConfigs#discrete()} (obs 128, |A| 18, Q 2×256,
 * batch 256, K = 2, Double DQN, Huber, Cal-QL) on a fixed random batch, on each backend. Its essential work is
 * {@link EssentialFlops#discreteUpdate}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DiscreteUpdateBenchmark {
    /** What the table calls the config. */
    public static final String CONFIG = "obs128 |A|18 K2";

    /** {@code nd4j} or {@code java}. */
    @Param({"nd4j", "java"})
    public String backend;

    private DiscreteUpdateStep step;
    private TransitionBatch batch;

    /** Builds the update step (critics initialised from the config's seed) and the batch. */
    @Setup
    public void setup() {
        DiscreteConfig c = BenchConfigs.discrete();
        step = new DiscreteUpdateStep(c, Backends.named(backend));
        batch = BenchConfigs.randomDiscreteBatch(c, 11L);
    }

    /** One update. */
    @Benchmark
    public DiscreteUpdateResult update() {
        return step.update(batch);
    }
}
