package org.calql.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.calql.agent.Agent;
import org.calql.agent.InferencePolicy;
import org.calql.config.CalQlConfig;
import org.calql.policy.Policy;
import org.calql.policy.PolicyPass;
import org.calql.serving.ServedPolicy;
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
 * Serving latency of the deterministic action of the antmaze policy (obs 29 → 3 × 256 → 2·8, act 8), per call:
 * {@code path} = {@code nd4j} or {@code java}, the agent's own policy on that backend ({@code agent.policy().act}
 * for one observation; for 256, one {@code Policy.forward} of 256 rows and {@code deterministicActions}, the
 * backend's batch path), or {@code served}, the host snapshot {@link ServedPolicy#act(double[], int, double[])}
 * (whatever backend trained it); {@code rows} = 1 or 256 observations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ServingBenchmark {
    /** {@code nd4j}, {@code java} or {@code served}. */
    @Param({"nd4j", "java", "served"})
    public String path;

    /** Observations per call: 1 or 256. */
    @Param({"1", "256"})
    public int rows;

    private InferencePolicy inference;
    private Policy policy;
    private PolicyPass pass;
    private ServedPolicy served;
    private double[] observations;
    private double[] one;
    private double[] actions;

    /** The antmaze agent's policy (random initialisation) on the chosen path, and random observations. */
    @Setup
    public void setup() {
        CalQlConfig config = BenchConfigs.named("antmaze");
        Agent agent = Agent.create(config, Backends.named(path.equals("served") ? "java" : path));
        inference = agent.policy();
        policy = agent.trainedPolicy();
        pass = policy.newPass(rows);
        served = ServedPolicy.of(agent);
        observations = new double[rows * config.observationDim()];
        BenchConfigs.fillGaussian(new SplittableRandom(3), observations);
        one = java.util.Arrays.copyOf(observations, config.observationDim());
        actions = new double[rows * config.actionDim()];
    }

    /** One call of the chosen path on {@code rows} observations. */
    @Benchmark
    public double[] act() {
        if (path.equals("served")) {
            return served.act(observations, rows, actions);
        }
        if (rows == 1) {
            return inference.act(one, actions);
        }
        policy.forward(pass, observations, rows);
        policy.deterministicActions(pass, actions);
        return actions;
    }
}
