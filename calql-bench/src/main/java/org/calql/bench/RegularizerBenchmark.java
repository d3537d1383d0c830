package org.calql.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.calql.regularizer.ConservativeRegularizer;
import org.calql.regularizer.PenaltyInputs;
import org.calql.regularizer.Regularizers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The conservative regularizer alone (value and dPenalty/dQ), B = 256, N = 10, A = 8, one critic's Q-values. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RegularizerBenchmark {
    /** {@code calql} or {@code cql}. */
    @Param({"calql"})
    public String regularizer;

    private ConservativeRegularizer penalty;
    private PenaltyInputs inputs;
    private double[] q;
    private double[] gradQ;

    /** Random Q-values, log-probabilities and reference values. */
    @Setup
    public void setup() {
        penalty = "cql".equals(regularizer) ? Regularizers.cql() : Regularizers.calQl();
        int b = BenchConfigs.BATCH;
        int n = BenchConfigs.SAMPLES;
        inputs = new PenaltyInputs(b, n, 8);
        SplittableRandom rng = new SplittableRandom(3);
        BenchConfigs.fillGaussian(rng, inputs.logProbCurrent());
        BenchConfigs.fillGaussian(rng, inputs.logProbNext());
        BenchConfigs.fillGaussian(rng, inputs.referenceValues());
        q = new double[b * inputs.stride()];
        gradQ = new double[q.length];
        BenchConfigs.fillGaussian(rng, q);
    }

    /** One evaluation. */
    @Benchmark
    public double evaluate() {
        return penalty.evaluate(inputs, q, gradQ);
    }
}
