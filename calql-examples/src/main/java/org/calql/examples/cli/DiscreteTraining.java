package org.calql.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.calql.data.OfflineDataset;
import org.calql.env.Environment;
import org.calql.examples.env.Rollouts;
import org.calql.examples.report.DatasetFacts;
import org.calql.examples.report.MetricsCsv;
import org.calql.examples.report.RunOutcome;
import org.calql.io.DatasetActions;
import org.calql.io.DatasetLoader;
import org.calql.io.MissingChunks;
import org.calql.reference.FitSettings;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code train} with discrete actions: {@code --env mountaincar} (generated behaviour data or a discrete
 * {@code --dataset}), or a {@code --dataset} whose actions {@link DatasetLoader#inspect} finds discrete. It trains a
 * {@link org.calql.agent.DiscreteAgent} on the shared trainer, as {@code train} does the continuous agent. A discrete
 * file without {@code --env} is pre-trained only (no environment to evaluate or fine-tune in), with the number of
 * actions the file declares or implies.
 */
final class DiscreteTraining {
    private final TrainCommand command;
    private final OfflineDataset data;
    private final double behaviourSuccess;
    private final int numActions;
    private final Supplier<Environment> environments;
    private final String where;

    private DiscreteTraining(TrainCommand command, OfflineDataset data, double behaviourSuccess, int numActions,
                             Supplier<Environment> environments, String where) {
        this.command = command;
        this.data = data;
        this.behaviourSuccess = behaviourSuccess;
        this.numActions = numActions;
        this.environments = environments;
        this.where = where;
    }

    /**
     * The discrete run {@code command} asks for, or null when it trains the continuous agent (the file's actions
     * are continuous and the environment is not discrete).
     *
     * @throws ParameterException if the flags do not fit discrete training
     * @throws IllegalArgumentException if the file's actions or dimensions do not fit {@code --env}
     * @throws IOException if the file cannot be read or is malformed
     */
    static DiscreteTraining select(TrainCommand command) throws IOException {
        ParseResult parsed = command.spec.commandLine().getParseResult();
        boolean mountainCar = command.env == TrainCommand.Env.MOUNTAINCAR;
        DatasetActions actions = command.dataset == null ? null : inspect(command);
        if (!mountainCar && !(actions instanceof DatasetActions.Discrete)) {
            return null;
        }
        String file = command.dataset == null ? null : command.dataset.toString();
        if (!mountainCar && parsed.hasMatchedOption("--env")) {
            throw new IllegalArgumentException(file + " holds discrete actions (" + actions + ") but --env "
                    + command.env.name().toLowerCase(Locale.ROOT) + " has continuous actions; use --env mountaincar "
                    + "or leave --env out to pre-train without an environment");
        }
        MountainCarTask.applyAgentDefaults(command.agent, parsed);
        if (mountainCar) {
            MountainCarTask.refuseMazeFlags(command.spec, parsed, List.of("--maze", "--max-episode-steps", "--speed"));
            if (actions instanceof DatasetActions.Continuous) {
                throw new IllegalArgumentException(file + " holds continuous actions (" + actions
                        + ") but --env mountaincar has " + MountainCarTask.ACTIONS + " discrete actions");
            }
            OfflineDataset data;
            double success = Double.NaN;
            if (command.dataset != null) {
                data = load(command, MountainCarTask.ACTIONS);
                if (data.observationDim() != MountainCarTask.OBSERVATION_DIM) {
                    throw new IllegalArgumentException("the dataset has observationDim " + data.observationDim()
                            + " but --env mountaincar has observationDim " + MountainCarTask.OBSERVATION_DIM);
                }
            } else {
                Rollouts rollouts = MountainCarTask.behaviour(command.episodes, command.dataSeed);
                data = rollouts.toDataset();
                success = rollouts.successRate();
            }
            return new DiscreteTraining(command, data, success, MountainCarTask.ACTIONS,
                    MountainCarTask.environments(), "mountaincar");
        }
        if (parsed.hasMatchedOption("--online-steps") && command.onlineSteps > 0) {
            throw new ParameterException(command.spec.commandLine(), "--online-steps needs an environment: "
                    + file + " holds discrete actions and no --env was given (--env mountaincar fine-tunes on "
                    + "MountainCar)");
        }
        command.onlineSteps = 0;
        int n = ((DatasetActions.Discrete) actions).n();
        return new DiscreteTraining(command, load(command, n), Double.NaN, n, null, "no environment");
    }

    private static DatasetActions inspect(TrainCommand c) throws IOException {
        try {
            return DatasetLoader.inspect(c.dataset, c.format, missing(c));
        } catch (OutOfMemoryError e) {
            throw DatasetInfoCommand.outOfMemory(c.dataset, e);
        }
    }

    private static OfflineDataset load(TrainCommand c, int n) throws IOException {
        try {
            return DatasetLoader.loadDiscrete(c.dataset, c.format, missing(c), n);
        } catch (OutOfMemoryError e) {
            throw DatasetInfoCommand.outOfMemory(c.dataset, e);
        }
    }

    private static MissingChunks missing(TrainCommand c) {
        return c.allowMissingChunks ? MissingChunks.READ_AS_FILL_VALUE : MissingChunks.REFUSE;
    }

    /** Trains, prints the outcome and writes the files asked for; returns the exit code. */
    int run(PrintWriter stdout, PrintWriter stderr) throws Exception {
        TrainCommand c = command;
        double scale = c.rewardScale != null ? c.rewardScale : 1.0;
        double bias = c.rewardBias != null ? c.rewardBias : 0.0;
        double sparse = c.sparseFailureReward != null ? c.sparseFailureReward : Double.NaN;
        AgentFactory agents = AgentFactory.discrete(c.agent, c.discrete.epsilon(), data.observationDim(), numActions);
        stderr.println(agents.settingsLine());
        DatasetFacts facts = DemoRunner.facts(data, behaviourSuccess, scale, bias, c.agent.discount, sparse);
        stderr.printf(Locale.ROOT, "data: %d transitions, %d episodes, mean start return %.2f, %d discrete actions; "
                        + "%s on %s, backend %s%n", facts.transitions(), facts.episodes(), facts.meanStartReturn(),
                numActions, c.method.label(), where, c.agent.backend);
        if (environments == null) {
            stderr.println("no environment: pre-training only (no evaluations, no fine-tuning)");
        }
        stderr.flush();

        DemoRunner runner = new DemoRunner(c.agent, agents, environments, data, scale, bias, sparse, c.offlineSteps,
                c.onlineSteps);
        agents.validate();
        DemoReference calibration = new DemoReference(DemoReference.Kind.BEHAVIOUR, null, FitSettings.defaults(),
                c.agent.backend(), c.offlineSteps);
        runner.useReference(calibration);
        DemoRunner.Trained trained;
        try (Progress progress = Progress.create("train", runner.workPerRun(), stderr)) {
            trained = runner.train(c.method, c.seed, runner.training(), progress, stderr);
        }
        RunOutcome outcome = trained.outcome();
        stdout.printf(Locale.ROOT, "dataset start states: Q %.2f, Monte-Carlo return %.2f%n", outcome.datasetStartQ(),
                outcome.datasetStartReturn());
        stdout.print(calibration.lines());
        if (!Double.isNaN(outcome.cumulativeRegret())) {
            stdout.printf(Locale.ROOT, "cumulative regret over fine-tuning episodes: %.3f%n",
                    outcome.cumulativeRegret());
        }
        if (c.metrics != null) {
            MetricsCsv.write(c.metrics, outcome.rows());
            stdout.println("wrote " + c.metrics);
        }
        if (c.save != null) {
            trained.agent().save(c.save);
            stdout.println("saved the agent to " + c.save + " (load with DiscreteAgent.load)");
        }
        stdout.flush();
        return 0;
    }
}
