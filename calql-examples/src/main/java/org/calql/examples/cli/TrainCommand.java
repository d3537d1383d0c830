package org.calql.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.calql.agent.Agent;
import org.calql.data.OfflineDataset;
import org.calql.env.Environment;
import org.calql.examples.env.DatasetGenerator;
import org.calql.examples.env.MazeWanderer;
import org.calql.examples.env.Pendulum;
import org.calql.examples.env.PendulumBehaviour;
import org.calql.examples.env.PointMaze;
import org.calql.examples.env.Rollouts;
import org.calql.examples.report.DatasetFacts;
import org.calql.examples.report.MetricsCsv;
import org.calql.examples.report.RunOutcome;
import org.calql.io.DatasetFormat;
import org.calql.reference.FitSettings;
import org.calql.spi.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code calql train}: pre-trains and/or fine-tunes one method on an environment, from generated behaviour
 * data or a D4RL / Minari file, and saves the agent.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pre-train and/or fine-tune one method on an environment and save the agent."})
final class TrainCommand implements Callable<Integer> {
    /** The environments {@code train} offers. */
    enum Env {
        MAZE, PENDULUM, MOUNTAINCAR
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--method", description = "calql, cql or aca (ACA: continuous environments only) (default: "
            + "${DEFAULT-VALUE}).")
    Method method = Method.CALQL;

    @Option(names = "--env", description = "maze, pendulum or mountaincar (discrete actions, with its own defaults: "
            + "raw rewards, backend java, batch 64, CQL α 0.1, discount 0.99) (default: ${DEFAULT-VALUE}).")
    Env env = Env.MAZE;

    @Option(names = "--maze", description = "Maze layout for --env maze: umaze, corner or medium (default: ${DEFAULT-VALUE}).")
    MazeChoice maze = MazeChoice.CORNER;

    @Option(names = "--max-episode-steps", description = "Step limit of a maze episode (default: ${DEFAULT-VALUE}).")
    int maxEpisodeSteps = 60;

    @Option(names = "--speed", description = "Maze: cells moved per step at full action (default: ${DEFAULT-VALUE}).")
    double speed = 0.2;

    @Option(names = "--dataset", paramLabel = "FILE", description = "Pre-train from a D4RL or Minari HDF5 file "
            + "(default: behaviour data generated for --env).")
    Path dataset;

    @Option(names = "--format", description = "Format of --dataset: d4rl or minari (default: detected).")
    DatasetFormat format;

    @Option(names = "--allow-missing-chunks", description = "Read chunks missing from --dataset's chunk index "
            + "as the fill value, as h5py does (default: refuse the file).")
    boolean allowMissingChunks;

    @Option(names = "--episodes", description = "Episodes of generated behaviour data (default: ${DEFAULT-VALUE}).")
    int episodes = 50;

    @Option(names = "--data-seed", description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
    long dataSeed = 12345;

    @Option(names = "--offline-steps", description = "Pre-training updates (default: ${DEFAULT-VALUE}).")
    long offlineSteps = 2500;

    @Option(names = "--online-steps", description = "Fine-tuning environment steps (default: ${DEFAULT-VALUE}).")
    long onlineSteps = 2500;

    @Option(names = "--seed", description = "Seed of the agent (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--reward-scale", description = "Reward scale (default: 10 for maze, 1 for pendulum).")
    Double rewardScale;

    @Option(names = "--reward-bias", description = "Reward bias (default: -5 for maze, 0 for pendulum).")
    Double rewardBias;

    @Option(names = "--sparse-failure-reward", description = "Failure reward of the sparse-reward rule in "
            + "transformed units, or NaN for off (default: -5 for maze, off for pendulum).")
    Double sparseFailureReward;

    @Option(names = "--save", paramLabel = "DIR", description = "Save the trained agent into DIR.")
    Path save;

    @Option(names = "--metrics", paramLabel = "FILE", description = "Write the evaluations as CSV to FILE.")
    Path metrics;

    @Mixin
    AgentOptions agent;

    @Mixin
    DiscreteOptions discrete;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (offlineSteps < 0 || onlineSteps < 0) {
            throw new ParameterException(spec.commandLine(), "--offline-steps and --online-steps must not be "
                    + "negative, found " + offlineSteps + " and " + onlineSteps);
        }
        if (episodes < 1) {
            throw new ParameterException(spec.commandLine(), "--episodes must be at least 1, found " + episodes);
        }
        if (format != null && dataset == null) {
            throw new ParameterException(spec.commandLine(), "--format needs --dataset");
        }
        if (allowMissingChunks && dataset == null) {
            throw new ParameterException(spec.commandLine(), "--allow-missing-chunks needs --dataset");
        }
        String property = System.getProperty(Backends.PROPERTY);
        if (property != null && !spec.commandLine().getParseResult().hasMatchedOption("--backend")) {
            Backends.named(property); // an unknown name fails here, naming the available ones
            agent.backend = property;
        }
        if (save != null) {
            try {
                Agent.checkSaveDirectory(save);
            } catch (IOException e) {
                throw new IOException("--save " + save + " cannot be written, so nothing was trained: "
                        + CalQlCli.message(e), e);
            }
        }
        DiscreteTraining discreteRun = DiscreteTraining.select(this);
        agent.checkPrecision(spec, discreteRun != null, List.of(method));
        if (discreteRun != null) {
            return discreteRun.run(stdout, stderr);
        }
        boolean isMaze = env == Env.MAZE;
        double scale = rewardScale != null ? rewardScale : isMaze ? 10.0 : 1.0;
        double bias = rewardBias != null ? rewardBias : isMaze ? -5.0 : 0.0;
        double sparse = sparseFailureReward != null ? sparseFailureReward : isMaze ? -5.0 : Double.NaN;
        Supplier<Environment> environments = isMaze ? () -> new PointMaze(maze.layout(), maxEpisodeSteps, speed,
                PointMaze.DEFAULT_GOAL_RADIUS, PointMaze.DEFAULT_START_NOISE) : Pendulum::new;

        OfflineDataset data;
        double behaviourSuccess = Double.NaN;
        if (dataset != null) {
            data = DatasetInfoCommand.load(dataset, format, allowMissingChunks);
        } else {
            Environment e = environments.get();
            Rollouts rollouts = isMaze
                    ? DatasetGenerator.rollout(e, new MazeWanderer((PointMaze) e), episodes, dataSeed)
                    : DatasetGenerator.rollout(e, new PendulumBehaviour(), episodes, dataSeed);
            data = rollouts.toDataset();
            behaviourSuccess = rollouts.successRate();
        }
        Environment probe = environments.get();
        if (data.observationDim() != probe.observationDim() || data.actionDim() != probe.actionDim()) {
            throw new IllegalArgumentException("the dataset has observationDim " + data.observationDim()
                    + " and actionDim " + data.actionDim() + " but --env " + env.name().toLowerCase(Locale.ROOT)
                    + " has observationDim " + probe.observationDim() + " and actionDim " + probe.actionDim());
        }
        stderr.println(agent.settingsLine());
        DatasetFacts facts = DemoRunner.facts(data, behaviourSuccess, scale, bias, agent.discount, sparse);
        stderr.printf(Locale.ROOT, "data: %d transitions, %d episodes, mean start return %.2f; %s on %s, backend %s%n",
                facts.transitions(), facts.episodes(), facts.meanStartReturn(), method.label(),
                env.name().toLowerCase(Locale.ROOT), agent.backend);
        stderr.flush();

        DemoRunner runner = new DemoRunner(agent, environments, data, scale, bias, sparse, offlineSteps, onlineSteps);
        DemoReference calibration = new DemoReference(DemoReference.Kind.BEHAVIOUR, null, FitSettings.defaults(),
                agent.backend(), offlineSteps);
        runner.useReference(calibration);
        DemoRunner.Trained trained;
        try (Progress progress = Progress.create("train", runner.workPerRun(), stderr)) {
            trained = runner.train(method, seed, runner.training(), progress, stderr);
        }
        RunOutcome outcome = trained.outcome();
        stdout.printf(Locale.ROOT, "dataset start states: Q %.2f, Monte-Carlo return %.2f%n", outcome.datasetStartQ(),
                outcome.datasetStartReturn());
        stdout.print(calibration.lines());
        if (!Double.isNaN(outcome.cumulativeRegret())) {
            stdout.printf(Locale.ROOT, "cumulative regret over fine-tuning episodes: %.3f%n",
                    outcome.cumulativeRegret());
        }
        if (metrics != null) {
            MetricsCsv.write(metrics, outcome.rows());
            stdout.println("wrote " + metrics);
        }
        if (save != null) {
            trained.agent().save(save);
            stdout.println("saved the agent to " + save);
        }
        stdout.flush();
        return 0;
    }

}
