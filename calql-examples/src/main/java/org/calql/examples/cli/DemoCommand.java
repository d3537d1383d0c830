package org.calql.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.calql.data.OfflineDataset;
import org.calql.env.Environment;
import org.calql.examples.env.DatasetGenerator;
import org.calql.examples.env.MazeWanderer;
import org.calql.examples.env.PointMaze;
import org.calql.examples.env.Rollouts;
import org.calql.examples.report.DatasetFacts;
import org.calql.examples.report.DemoReport;
import org.calql.examples.report.MetricsCsv;
import org.calql.examples.report.Plots;
import org.calql.examples.report.RunOutcome;
import org.calql.examples.report.SummaryMarkdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code calql demo}: pre-trains CQL and Cal-QL on the point-maze data, fine-tunes both online and writes
 * {@code metrics.csv}, {@code finetune.png}, {@code calibration.png} and {@code summary.md}. With
 * {@code --env mountaincar} it does the same with the discrete agents on {@link MountainCarTask}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pre-train CQL and Cal-QL on the point-maze data, fine-tune both online, and write "
                + "metrics.csv, finetune.png, calibration.png and summary.md into --out."})
final class DemoCommand implements Callable<Integer> {
    /** The demo's tasks. */
    enum Task {
        /** The point maze, continuous actions. */
        MAZE,
        /** Gymnasium's MountainCar-v0, discrete actions. */
        MOUNTAINCAR
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--env", description = "Task: maze (the point maze, continuous actions) or mountaincar "
            + "(MountainCar-v0, 3 discrete actions, with its own defaults: 4000 pre-training updates, 4000 "
            + "fine-tuning steps, 150 episodes, raw rewards, backend java, batch 64, CQL α 0.1, discount 0.99) "
            + "(default: ${DEFAULT-VALUE}).")
    Task env = Task.MAZE;

    @Option(names = "--offline-steps", description = "Pre-training updates per run (default: ${DEFAULT-VALUE}).")
    long offlineSteps = 3000;

    @Option(names = "--online-steps", description = "Fine-tuning environment steps per run (default: ${DEFAULT-VALUE}).")
    long onlineSteps = 4000;

    @Option(names = "--seeds", converter = Converters.Seeds.class, paramLabel = "N|a,b,..",
            description = "Seed count (seeds 0..N-1) or a comma list of seeds (default: 3, i.e. 0,1,2).")
    Converters.SeedList seeds = new Converters.SeedList(new long[] {0, 1, 2});

    @Option(names = "--methods", split = ",", paramLabel = "calql,cql,aca",
            description = "Methods to compare: calql, cql, aca (ACA: continuous tasks only) (default: calql,cql).")
    List<Method> methods = new ArrayList<>(List.of(Method.CALQL, Method.CQL));

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "demo");

    @Option(names = "--episodes", description = "Episodes of behaviour data (default: ${DEFAULT-VALUE}).")
    int episodes = 50;

    @Option(names = "--data-seed", description = "Seed of the behaviour data (default: ${DEFAULT-VALUE}).")
    long dataSeed = 12345;

    @Option(names = "--maze", description = "Maze layout: umaze, corner or medium (default: ${DEFAULT-VALUE}).")
    MazeChoice maze = MazeChoice.CORNER;

    @Option(names = "--max-episode-steps", description = "Step limit of a maze episode (default: ${DEFAULT-VALUE}).")
    int maxEpisodeSteps = 60;

    @Option(names = "--speed", description = "Cells moved per step at full action (default: ${DEFAULT-VALUE}).")
    double speed = 0.2;

    @Option(names = "--threads", description = "Runs in parallel (default: 1 with nd4j, whose update runs its "
            + "critics side by side on every core; the core count with java).")
    Integer threads;

    @Option(names = "--reward-scale", description = "Reward scale (default: ${DEFAULT-VALUE}, as for AntMaze).")
    double rewardScale = 10.0;

    @Option(names = "--reward-bias", description = "Reward bias (default: ${DEFAULT-VALUE}, as for AntMaze).")
    double rewardBias = -5.0;

    @Option(names = "--sparse-failure-reward", description = "Failure reward of the sparse-reward rule, in "
            + "transformed units (default: ${DEFAULT-VALUE}).")
    double sparseFailureReward = -5.0;

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
        boolean mountainCar = env == Task.MOUNTAINCAR;
        if (mountainCar) {
            MountainCarTask.applyDemoDefaults(this);
        }
        check(offlineSteps >= 0, "--offline-steps must not be negative, found " + offlineSteps);
        check(onlineSteps >= 0, "--online-steps must not be negative, found " + onlineSteps);
        check(episodes >= 1, "--episodes must be at least 1, found " + episodes);
        check(!methods.isEmpty(), "--methods must name at least one method");
        check(!mountainCar || methods.stream().allMatch(Method::conservative),
                "--methods aca trains continuous actions only; --env mountaincar has discrete ones: use calql,cql");
        check(threads == null || threads >= 1, "--threads must be at least 1, found " + threads);
        long start = System.nanoTime();
        Files.createDirectories(out);

        Supplier<Environment> environments;
        AgentFactory agents;
        Rollouts rollouts;
        if (mountainCar) {
            environments = MountainCarTask.environments();
            agents = AgentFactory.discrete(agent, discrete.epsilon(), MountainCarTask.OBSERVATION_DIM,
                    MountainCarTask.ACTIONS);
            rollouts = MountainCarTask.behaviour(episodes, dataSeed);
        } else {
            PointMaze dataMaze = newMaze();
            environments = this::newMaze;
            agents = AgentFactory.continuous(agent, dataMaze.observationDim(), dataMaze.actionDim());
            rollouts = DatasetGenerator.rollout(dataMaze, new MazeWanderer(dataMaze), episodes, dataSeed);
        }
        OfflineDataset dataset = rollouts.toDataset();
        DatasetFacts facts = DemoRunner.facts(dataset, rollouts.successRate(), rewardScale, rewardBias,
                agent.discount, sparseFailureReward);
        stderr.println(agents.settingsLine());
        stderr.printf(Locale.ROOT, "data: %d transitions, %d episodes, behaviour success %.0f%%, backend %s%n",
                facts.transitions(), facts.episodes(), 100 * facts.behaviourSuccessRate(), agent.backend);
        stderr.flush();

        DemoRunner runner = new DemoRunner(agent, agents, environments, dataset,
                rewardScale, rewardBias, sparseFailureReward, offlineSteps, onlineSteps);
        int runs = methods.size() * seeds.seeds().length;
        int parallel = threads != null ? threads
                : "java".equals(agent.backend) ? Math.min(runs, Runtime.getRuntime().availableProcessors()) : 1;
        List<RunOutcome> outcomes;
        try (Progress progress = Progress.create("demo", runs * runner.workPerRun(), stderr)) {
            outcomes = runner.runAll(methods, seeds.seeds(), parallel, progress, verbosity.verbose ? stderr : null);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        List<String> labels = methods.stream().map(Method::label).collect(Collectors.toList());
        DemoReport report = new DemoReport("Cal-QL vs CQL: offline pre-training, then online fine-tuning, on the "
                + (mountainCar ? "MountainCar (discrete actions)" : "point maze"), commandLine(), settings(runner, parallel), facts, labels, outcomes, seconds);
        MetricsCsv.write(out.resolve("metrics.csv"), report.allRows());
        Plots.finetune(out.resolve("finetune.png"), report.allRows(), labels, offlineSteps);
        Plots.calibration(out.resolve("calibration.png"), report.allRows(), labels, offlineSteps,
                facts.meanStartReturn());
        String summary = SummaryMarkdown.format(report);
        org.calql.examples.report.AtomicFiles.writeString(out.resolve("summary.md"), summary);

        stdout.println(resultsTable(summary));
        stdout.printf(Locale.ROOT, "wrote %s (metrics.csv, finetune.png, calibration.png, summary.md) in %.0f s%n",
                out, seconds);
        stdout.flush();
        return 0;
    }

    private PointMaze newMaze() {
        return new PointMaze(maze.layout(), maxEpisodeSteps, speed, PointMaze.DEFAULT_GOAL_RADIUS,
                PointMaze.DEFAULT_START_NOISE);
    }

    private Map<String, String> settings(DemoRunner runner, int parallel) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("methods", methods.stream().map(Method::label).collect(Collectors.joining(", ")));
        m.put("seeds", seeds.toString());
        m.put("pre-training updates", Long.toString(offlineSteps));
        m.put("fine-tuning environment steps", Long.toString(onlineSteps));
        if (env == Task.MOUNTAINCAR) {
            m.put("environment", MountainCarTask.describe());
        } else {
            m.put("maze", maze.name().toLowerCase(Locale.ROOT) + ", step limit " + maxEpisodeSteps + ", speed "
                    + speed);
        }
        m.put("behaviour episodes", episodes + " (data seed " + dataSeed + ")");
        m.put("reward transform", "r' = " + rewardScale + "·r + (" + rewardBias + "), sparse failure reward "
                + sparseFailureReward);
        m.putAll(runner.describeAgents());
        var training = runner.training();
        m.put("evaluation every", training.pretrainEvaluationInterval() + " updates (pre-training), "
                + runner.onlineInterval() + " environment steps (fine-tuning)");
        m.put("parallel runs", Integer.toString(parallel));
        m.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version"));
        return m;
    }

    private String commandLine() {
        List<String> args = spec.root().commandLine().getParseResult().originalArgs();
        StringBuilder sb = new StringBuilder("java -jar calql.jar");
        for (String a : args) {
            sb.append(' ').append(a.isEmpty() || a.matches(".*[\\s'\"$`\\\\].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return sb.toString();
    }

    /** The "Results" section of the summary, for the console. */
    private static String resultsTable(String summary) {
        int from = summary.indexOf("## Results");
        int to = summary.indexOf("## Per run");
        return from < 0 || to < 0 ? summary : summary.substring(from, to).trim();
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
