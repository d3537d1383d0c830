package org.calql.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.calql.agent.Agent;
import org.calql.agent.CheckpointInfo;
import org.calql.agent.DiscreteAgent;
import org.calql.data.OfflineDataset;
import org.calql.env.ActionScaling;
import org.calql.env.BoxSpace;
import org.calql.env.DiscreteSpace;
import org.calql.env.ResettableToState;
import org.calql.examples.env.DatasetGenerator;
import org.calql.examples.env.MazeWanderer;
import org.calql.examples.env.MountainCar;
import org.calql.examples.env.PointMaze;
import org.calql.io.DatasetFormat;
import org.calql.reference.CriticUnits;
import org.calql.reference.FitSettings;
import org.calql.reference.FittedQEvaluation;
import org.calql.reference.ReferenceData;
import org.calql.reference.ReferencePolicy;
import org.calql.reference.RolloutEstimator;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code calql evaluate-policy}: off-policy evaluation of a saved agent's deterministic policy by fitted Q evaluation
 * ({@link FittedQEvaluation}) on a dataset, reported as {@code fqeInitialValue}, the estimate of its value at the
 * dataset's episode start states; with {@code --env}, also {@code rolloutReturn}, the realised discounted return of
 * the policy from the same start states ({@link RolloutEstimator}; the environment is reset to each start state).
 * Both are in the units the critic learns: the agent's reward transform and sparse rule, its config's discount.
 * Without {@code --dataset}, {@code --env maze} (or {@code mountaincar}) evaluates on the behaviour data the demo
 * generates for it (the demo's defaults, or the maze and data flags given).
 */
@Command(name = "evaluate-policy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate a saved agent's policy value by fitted Q evaluation (FQE) at the dataset's start "
                + "states (fqeInitialValue); with --env, also its realised discounted return from the same start "
                + "states (rolloutReturn). Both in critic units: transformed rewards, the config's discount."})
final class EvaluatePolicyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "The agent's directory.")
    Path checkpoint;

    @Option(names = "--dataset", paramLabel = "FILE", description = "The data to evaluate on (D4RL or Minari).")
    Path dataset;

    @Option(names = "--format", description = "Format of --dataset: d4rl or minari (default: detected).")
    DatasetFormat format;

    @Option(names = "--env", description = "Environment for rollouts from the start states (and, without "
            + "--dataset, whose demo behaviour data to use): maze or mountaincar.")
    DemoCommand.Task env;

    @Option(names = "--episodes", description = "Rollouts per start state with --env (default: ${DEFAULT-VALUE}).")
    int episodes = 1;

    @Option(names = "--fqe-steps", description = "FQE updates (default: ${DEFAULT-VALUE}).")
    int fqeSteps = 5000;

    @Option(names = "--fqe-hidden", split = ",", paramLabel = "W,W", description = "FQE critic widths "
            + "(default: 64,64).")
    int[] fqeHidden = {64, 64};

    @Option(names = "--fqe-lr", description = "FQE Adam learning rate (default: ${DEFAULT-VALUE}).")
    double fqeLr = 3e-4;

    @Option(names = "--fqe-target-period", description = "Updates between FQE target copies "
            + "(default: ${DEFAULT-VALUE}).")
    int fqeTargetPeriod = 20;

    @Option(names = "--seed", description = "Seed of FQE and the rollouts (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--backend", converter = Converters.BackendName.class,
            description = "Network backend for the agent and FQE (default: java).")
    String backend = "java";

    @Option(names = "--data-episodes", description = "Behaviour episodes generated without --dataset "
            + "(default: the demo's, 50).")
    int dataEpisodes = 50;

    @Option(names = "--data-seed", description = "Seed of the generated behaviour data (default: ${DEFAULT-VALUE}).")
    long dataSeed = 12345;

    @Option(names = "--maze", description = "Maze layout (default: ${DEFAULT-VALUE}, the demo's).")
    MazeChoice maze = MazeChoice.CORNER;

    @Option(names = "--max-episode-steps", description = "Maze step limit (default: ${DEFAULT-VALUE}).")
    int maxEpisodeSteps = 60;

    @Option(names = "--speed", description = "Maze speed (default: ${DEFAULT-VALUE}).")
    double speed = 0.2;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws Exception {
        if (dataset == null && env == null) {
            throw new ParameterException(spec.commandLine(), "give --dataset FILE, or --env maze|mountaincar to use "
                    + "the demo's behaviour data");
        }
        if (episodes < 1) {
            throw new ParameterException(spec.commandLine(), "--episodes must be at least 1, found " + episodes);
        }
        Backend b = Backends.named(backend);
        boolean discrete = "calql-discrete".equals(CheckpointInfo.read(checkpoint).agentKind());
        OfflineDataset data = dataset != null ? DatasetInfoCommand.load(dataset, format, false) : behaviourData();
        FitSettings settings = FitSettings.builder().hidden(fqeHidden).steps(fqeSteps).learningRate(fqeLr)
                .targetUpdatePeriod(fqeTargetPeriod).seed(seed).build();
        ReferenceData referenceData;
        ReferencePolicy fqePolicy;
        ReferencePolicy environmentPolicy;
        if (discrete) {
            DiscreteAgent agent = DiscreteAgent.load(checkpoint, b);
            referenceData = agent.referenceData(data);
            fqePolicy = agent.referencePolicy();
            environmentPolicy = fqePolicy;
        } else {
            Agent agent = Agent.load(checkpoint, b);
            referenceData = agent.referenceData(data);
            fqePolicy = agent.referencePolicy(false);
            environmentPolicy = null;
            if (env != null) {
                ResettableToState e = environment();
                if (!(e.actionSpace() instanceof BoxSpace box)) {
                    throw new ParameterException(spec.commandLine(), "--env " + name(env) + " has discrete actions, "
                            + "the checkpoint a continuous agent");
                }
                ActionScaling scaling = new ActionScaling(box, agent.config().maxAction());
                environmentPolicy = ReferencePolicy.deterministic(e.observationDim(), box,
                        o -> scaling.toEnvironment(agent.act(o)));
            }
        }
        if (discrete && env != null && !(environment().actionSpace() instanceof DiscreteSpace)) {
            throw new ParameterException(spec.commandLine(), "--env " + name(env) + " has continuous actions, the "
                    + "checkpoint a discrete agent");
        }
        FittedQEvaluation fqe = FittedQEvaluation.fit(referenceData, fqePolicy, settings, b, null);
        double fqeValue = fqe.startStateValue();
        int[] starts = data.episodeStarts();
        double mcSum = 0.0;
        for (int s : starts) {
            mcSum += referenceData.prepared().returnToGo(s);
        }
        CriticUnits units = referenceData.units();
        Json out = new Json().put("checkpoint", checkpoint.toString()).put("agentKind",
                discrete ? "calql-discrete" : "calql-continuous").put("startStates", starts.length)
                .put("fqeInitialValue", fqeValue).put("fqeFinalTdLoss", fqe.finalLoss()).put("fqeSteps", fqeSteps)
                .put("datasetStartReturn", mcSum / starts.length);
        RolloutEstimator.Estimate rollout = null;
        if (env != null) {
            double[][] states = new double[starts.length][data.observationDim()];
            for (int i = 0; i < starts.length; i++) {
                data.copyObservation(starts[i], states[i], 0);
            }
            ResettableToState e = environment();
            rollout = RolloutEstimator.estimate(e, environmentPolicy, states, units, episodes, e.maxEpisodeSteps(),
                    seed, null);
            out.put("rolloutReturn", rollout.average()).put("rolloutEpisodes", episodes).put("env", name(env));
        }
        out.put("rewardScale", units.rewardTransform().scale()).put("rewardBias", units.rewardTransform().bias())
                .put("discount", units.discount());
        if (units.sparseFailureReward().isPresent()) {
            out.put("sparseFailureReward", units.sparseFailureReward().getAsDouble());
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(out);
        } else {
            stdout.printf(Locale.ROOT, "FQE estimate at %d start states   %.4f (critic units)%n", starts.length,
                    fqeValue);
            if (rollout != null) {
                stdout.printf(Locale.ROOT, "realised return from them (%s)  %.4f (%d rollout%s each)%n", name(env),
                        rollout.average(), episodes, episodes == 1 ? "" : "s");
            }
            stdout.printf(Locale.ROOT, "behaviour's return from them     %.4f%n", mcSum / starts.length);
        }
        stdout.flush();
        return 0;
    }

    private OfflineDataset behaviourData() {
        if (env == DemoCommand.Task.MOUNTAINCAR) {
            return MountainCarTask.behaviour(dataEpisodes, dataSeed).toDataset();
        }
        PointMaze m = newMaze();
        return DatasetGenerator.rollout(m, new MazeWanderer(m), dataEpisodes, dataSeed).toDataset();
    }

    private ResettableToState environment() {
        return env == DemoCommand.Task.MOUNTAINCAR ? new MountainCar() : newMaze();
    }

    private PointMaze newMaze() {
        return new PointMaze(maze.layout(), maxEpisodeSteps, speed, PointMaze.DEFAULT_GOAL_RADIUS,
                PointMaze.DEFAULT_START_NOISE);
    }

    private static String name(DemoCommand.Task task) {
        return task.name().toLowerCase(Locale.ROOT);
    }
}
