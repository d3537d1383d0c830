package org.calql.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.calql.config.CalQlConfig;
import org.calql.nn.ParameterInitializer;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;
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
 * One critic's stacked pass alone, as the update runs it: the antmaze critic (29 + 8 → 5 × 256 → 1) forward on
 * 256 states × 31 actions (state columns of the first layer once per state), then backward with parameter
 * gradients from a random upstream gradient (no input gradients).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CriticBenchmark {
    /** {@code nd4j} or {@code java}. */
    @Param({"nd4j", "java"})
    public String backend;

    private Network critic;
    private Workspace workspace;
    private ParameterGradients gradients;
    private double[] states;
    private double[] actions;
    private double[] q;
    private double[] gradQ;
    private int groups;
    private int groupSize;
    private int actionDim;

    /** The antmaze critic, initialised as the update initialises it, and random inputs. */
    @Setup
    public void setup() {
        CalQlConfig c = BenchConfigs.named("antmaze");
        groups = c.batchSize();
        groupSize = 1 + 3 * c.cqlNActions();
        actionDim = c.actionDim();
        NetworkSpec spec = NetworkSpec.of(c.observationDim() + actionDim, c.qHidden(), 1);
        critic = Backends.named(backend).createNetwork(spec);
        SplittableRandom rng = new SplittableRandom(5);
        critic.importParameters(ParameterInitializer.initialize(spec, c.initialization(), rng));
        int rows = groups * groupSize;
        workspace = critic.newWorkspace(rows);
        gradients = critic.newGradients();
        states = new double[groups * c.observationDim()];
        actions = new double[rows * actionDim];
        q = new double[rows];
        gradQ = new double[rows];
        BenchConfigs.fillGaussian(rng, states);
        BenchConfigs.fillGaussian(rng, actions);
        BenchConfigs.fillGaussian(rng, gradQ);
        for (int i = 0; i < rows; i++) {
            gradQ[i] /= rows;
        }
    }

    /** Forward, then backward with parameter gradients. */
    @Benchmark
    public ParameterGradients forwardBackward() {
        critic.forward(workspace, states, actions, actionDim, groups, groupSize, q);
        gradients.zero();
        critic.backward(workspace, gradQ, gradients, null, null);
        return gradients;
    }

    /** Essential FLOPs of one {@link #forwardBackward()} (see {@link EssentialFlops}). */
    public static double flops() {
        CalQlConfig c = BenchConfigs.named("antmaze");
        return EssentialFlops.criticForwardBackward(c.batchSize(), (long) c.batchSize() * (1 + 3 * c.cqlNActions()),
                c.observationDim(), c.actionDim(), c.qHidden());
    }
}
