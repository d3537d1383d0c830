package org.calql.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.calql.config.CalQlConfig;
import org.calql.init.ParameterInitializer;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;
import org.calql.spi.Backend;
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
 * The critics' stacked passes alone, as the update runs them: for each of the ensemble's critics (2 in antmaze)
 * the antmaze critic (29 + 8 → 5 × 256 → 1) forward on 256 states × 31 actions (state columns of the first
 * layer once per state), then backward with parameter gradients from a random upstream gradient (no input
 * gradients); the critics go through {@link Backend#runIndependent}, so a backend may run them at once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CriticBenchmark {
    /** {@code nd4j} or {@code java}. */
    @Param({"nd4j", "java"})
    public String backend;

    private Backend networks;
    private Network[] critics;
    private Workspace[] workspaces;
    private ParameterGradients[] gradients;
    private double[] states;
    private double[] actions;
    private double[][] q;
    private double[] gradQ;
    private int groups;
    private int groupSize;
    private int actionDim;
    private final IntConsumer pass = this::forwardBackward;

    /** The antmaze critics, initialised as the update initialises them, and random inputs. */
    @Setup
    public void setup() {
        CalQlConfig c = BenchConfigs.named("antmaze");
        groups = c.batchSize();
        groupSize = 1 + 3 * c.cqlNActions();
        actionDim = c.actionDim();
        int k = c.criticEnsembleSize();
        NetworkSpec spec = NetworkSpec.of(c.observationDim() + actionDim, c.qHidden(), 1);
        networks = Backends.named(backend);
        SplittableRandom rng = new SplittableRandom(5);
        int rows = groups * groupSize;
        critics = new Network[k];
        workspaces = new Workspace[k];
        gradients = new ParameterGradients[k];
        q = new double[k][rows];
        for (int i = 0; i < k; i++) {
            critics[i] = networks.createNetwork(spec);
            critics[i].importParameters(ParameterInitializer.initialize(spec, c.initialization(), rng));
            workspaces[i] = critics[i].newWorkspace(rows);
            gradients[i] = critics[i].newGradients();
        }
        states = new double[groups * c.observationDim()];
        actions = new double[rows * actionDim];
        gradQ = new double[rows];
        BenchConfigs.fillGaussian(rng, states);
        BenchConfigs.fillGaussian(rng, actions);
        BenchConfigs.fillGaussian(rng, gradQ);
        for (int i = 0; i < rows; i++) {
            gradQ[i] /= rows;
        }
    }

    private void forwardBackward(int i) {
        critics[i].forward(workspaces[i], states, actions, actionDim, groups, groupSize, q[i]);
        gradients[i].zero();
        critics[i].backward(workspaces[i], gradQ, gradients[i], null, null);
    }

    /** Every critic's forward, then backward with parameter gradients. */
    @Benchmark
    public ParameterGradients[] forwardBackward() {
        networks.runIndependent(critics.length, pass);
        return gradients;
    }

    /** Essential FLOPs of one {@link #forwardBackward()} (see {@link EssentialFlops}). */
    public static double flops() {
        CalQlConfig c = BenchConfigs.named("antmaze");
        return c.criticEnsembleSize() * EssentialFlops.criticForwardBackward(c.batchSize(),
                (long) c.batchSize() * (1 + 3 * c.cqlNActions()), c.observationDim(), c.actionDim(), c.qHidden());
    }
}
