package org.calql.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.RewardTransform;
import org.calql.env.Environment;
import org.calql.examples.report.DatasetFacts;
import org.calql.examples.report.EvaluationRow;
import org.calql.examples.report.RunOutcome;
import org.calql.train.Phase;
import org.calql.train.TrainableAgent;
import org.calql.train.Trainer;
import org.calql.train.TrainingConfig;
import org.calql.train.TrainingListener;

/**
 * Runs every (method, seed) pair of a comparison: pre-training with periodic evaluation, the dataset
 * calibration diagnostic, then fine-tuning with periodic evaluation. Runs are independent and may go in
 * parallel threads, each with its own agent and environment. The agents come from an {@link AgentFactory}
 * (continuous or discrete) and train on the shared {@link Trainer} through {@link TrainableAgent}.
 */
final class DemoRunner {
    private final AgentOptions options;
    private final AgentFactory agents;
    private final Supplier<Environment> environments;
    private final OfflineDataset dataset;
    private final double rewardScale;
    private final double rewardBias;
    private final double sparseFailureReward;
    private final long offlineSteps;
    private final long onlineSteps;
    private Path traceDir;
    private DemoReference reference;

    /** Continuous agents for {@code environments}' dimensions. */
    DemoRunner(AgentOptions options, Supplier<Environment> environments, OfflineDataset dataset, double rewardScale,
               double rewardBias, double sparseFailureReward, long offlineSteps, long onlineSteps) {
        this(options, continuous(options, environments), environments, dataset, rewardScale, rewardBias,
                sparseFailureReward, offlineSteps, onlineSteps);
    }

    /**
     * Agents from {@code agents}; {@code environments} may be null for pre-training only (no evaluations, no
     * fine-tuning: {@code onlineSteps} must be 0).
     */
    DemoRunner(AgentOptions options, AgentFactory agents, Supplier<Environment> environments, OfflineDataset dataset,
               double rewardScale, double rewardBias, double sparseFailureReward, long offlineSteps,
               long onlineSteps) {
        if (environments == null && onlineSteps != 0) {
            throw new IllegalArgumentException("fine-tuning needs an environment");
        }
        this.options = options;
        this.agents = agents;
        this.environments = environments;
        this.dataset = dataset;
        this.rewardScale = rewardScale;
        this.rewardBias = rewardBias;
        this.sparseFailureReward = sparseFailureReward;
        this.offlineSteps = offlineSteps;
        this.onlineSteps = onlineSteps;
    }

    private static AgentFactory continuous(AgentOptions options, Supplier<Environment> environments) {
        Environment probe = environments.get();
        return AgentFactory.continuous(options, probe.observationDim(), probe.actionDim());
    }

    /** Writes {@code trace-METHOD-SEED.csv} ({@link RunTrace}) of every run into {@code dir}. */
    DemoRunner tracingInto(Path dir) {
        this.traceDir = dir;
        return this;
    }

    /** Calibrates every run against {@code reference} (null: the Monte-Carlo default) and records its metrics. */
    void useReference(DemoReference reference) {
        this.reference = reference;
    }

    /** The settings of the agents of {@code methods} for reports ({@link AgentFactory#describe}). */
    Map<String, String> describeAgents(List<Method> methods) {
        return agents.describe(methods);
    }

    /** Units of progress (updates) in one run. */
    long workPerRun() {
        return offlineSteps + onlineSteps * options.utd;
    }

    /** The training settings of every run; evaluations run on a separate environment instance. */
    TrainingConfig training() {
        return options.training(rewardScale, rewardBias, sparseFailureReward, offlineInterval(), onlineInterval());
    }

    int offlineInterval() {
        return offlineSteps == 0 ? 0 : options.offlineEvalInterval(offlineSteps);
    }

    int onlineInterval() {
        return onlineSteps == 0 ? 0 : options.onlineEvalInterval(onlineSteps);
    }

    /**
     * Runs all pairs, {@code threads} at a time, and returns their outcomes in the order methods × seeds.
     *
     * @param log where to print a line per evaluation, or null
     */
    List<RunOutcome> runAll(List<Method> methods, long[] seeds, int threads, Progress progress, PrintWriter log)
            throws Exception {
        TrainingConfig training = training();
        // Validate the config once up front so a bad value fails before any thread starts.
        agents.validate();
        List<RunOutcome> outcomes = new ArrayList<>();
        if (threads <= 1) {
            for (Method m : methods) {
                for (long seed : seeds) {
                    outcomes.add(runOne(m, seed, training, progress, log));
                }
            }
            return outcomes;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "calql-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RunOutcome>> futures = new ArrayList<>();
            for (Method m : methods) {
                for (long seed : seeds) {
                    futures.add(pool.submit(() -> runOne(m, seed, training, progress, log)));
                }
            }
            for (Future<RunOutcome> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof Exception ex) {
                        throw ex;
                    }
                    throw new IllegalStateException(cause);
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A trained agent with its run's outcome. */
    record Trained(RunAgent agent, RunOutcome outcome) {
    }

    /** One run: pre-train, measure calibration on the data, fine-tune. */
    RunOutcome runOne(Method method, long seed, TrainingConfig training, Progress progress, PrintWriter log) {
        return train(method, seed, training, progress, log).outcome();
    }

    /** One run, keeping the agent. */
    Trained train(Method method, long seed, TrainingConfig training, Progress progress, PrintWriter log) {
        long start = System.nanoTime();
        Environment env = environments == null ? null : environments.get();
        Environment evaluationEnv = environments == null ? null : environments.get();
        RunAgent run = agents.create(method, seed, training);
        RunRecorder recorder = new RunRecorder(method.label(), seed, progress, log);
        try (RunTrace trace = traceDir == null ? null
                : new RunTrace(traceDir.resolve("trace-" + method.label() + "-" + seed + ".csv"))) {
            if (trace != null) {
                recorder.tracing(trace);
            }
            return train(run, method, seed, recorder, env, evaluationEnv, start);
        }
    }

    private Trained train(RunAgent run, Method method, long seed, RunRecorder recorder, Environment env,
                          Environment evaluationEnv, long start) {
        TrainableAgent agent = run.trainable();
        TrainingListener listener = recorder;
        if (reference != null) {
            reference.apply(run, dataset);
            listener = reference.listen(recorder, method.label(), seed);
        }
        Trainer.builder(agent).listener(listener).evaluationEnvironment(evaluationEnv).build()
                .pretrain(dataset, offlineSteps);
        if (evaluationEnv != null && offlineSteps > 0 && !evaluatedAt(recorder, Phase.PRETRAIN, offlineSteps)) {
            recorder.onEvaluation(agent.evaluate(evaluationEnv, Phase.PRETRAIN, offlineSteps));
        }
        double[] startValues = run.datasetStartValues(dataset);
        if (reference != null) {
            reference.recordStartValue(run, method.label(), seed, dataset);
        }
        if (env != null) {
            Trainer.builder(agent).listener(listener).evaluationEnvironment(evaluationEnv).build()
                    .finetune(dataset, env, onlineSteps);
            long steps = agent.trainingState().finetuneSteps();
            if (onlineSteps > 0 && !evaluatedAt(recorder, Phase.FINETUNE, steps)) {
                recorder.onEvaluation(agent.evaluate(evaluationEnv, Phase.FINETUNE, steps));
            }
        }
        return new Trained(run, new RunOutcome(method.label(), seed, recorder.rows(),
                agent.trainingState().cumulativeRegret(), startValues[0], startValues[1],
                (System.nanoTime() - start) / 1e9));
    }

    private static boolean evaluatedAt(RunRecorder recorder, Phase phase, long step) {
        EvaluationRow last = recorder.last();
        return last != null && last.phase() == phase && last.step() == step;
    }

    /** Dataset facts, with the mean Monte-Carlo return at episode starts under the run's reward transform. */
    static DatasetFacts facts(OfflineDataset dataset, double behaviourSuccessRate, double rewardScale,
                              double rewardBias, double discount, double sparseFailureReward) {
        PreparedDataset p = PreparedDataset.prepare(dataset, new RewardTransform(rewardScale, rewardBias), discount,
                Double.isNaN(sparseFailureReward) ? OptionalDouble.empty() : OptionalDouble.of(sparseFailureReward));
        int[] starts = dataset.episodeStarts();
        double sum = 0.0;
        for (int s : starts) {
            sum += p.returnToGo(s);
        }
        return new DatasetFacts(dataset.size(), dataset.episodeCount(), dataset.terminalCount(), behaviourSuccessRate,
                starts.length == 0 ? Double.NaN : sum / starts.length);
    }
}
