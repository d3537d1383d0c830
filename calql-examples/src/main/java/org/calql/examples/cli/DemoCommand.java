package org.calql.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.calql.data.OfflineDataset;
import org.calql.env.Environment;
import org.calql.examples.env.DatasetGenerator;
import org.calql.examples.env.MazeWanderer;
import org.calql.examples.env.PointMaze;
import org.calql.examples.env.Rollouts;
import org.calql.examples.report.DatasetFacts;
import org.calql.examples.report.DemoReport;
import org.calql.examples.report.MethodLabels;
import org.calql.examples.report.MetricsCsv;
import org.calql.examples.report.Plots;
import org.calql.examples.report.RunOutcome;
import org.calql.examples.report.SummaryMarkdown;
import org.calql.reference.FitSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code calql demo}: pre-trains each method (Cal-QL and CQL by default) on behaviour data, fine-tunes it online,
 * over several seeds, and writes {@code summary.md} (the paper's claims checked against 95% intervals),
 * {@code metrics.csv}, {@code finetune.png}, {@code calibration.png} and {@code regret.png}. The default task is
 * the discrete {@link MountainCarTask}; {@code --env maze} runs the continuous agents on the point maze.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pre-train Cal-QL and CQL offline, fine-tune each online, over several seeds, and write "
                + "summary.md (the paper's two claims checked against 95%% intervals over seeds), metrics.csv, "
                + "finetune.png, calibration.png and regret.png into --out."})
final class DemoCommand implements Callable<Integer> {
    /** Default seeds per method on MountainCar. */
    static final int DEFAULT_SEEDS = 20;
    /** Default seeds per method on the maze, whose runs cost about ten times more. */
    static final int MAZE_SEEDS = 5;
    /** Seeds per method with {@code --quick}. */
    static final int QUICK_SEEDS = 3;
    /** Default pre-training updates on the maze. */
    static final long MAZE_OFFLINE_STEPS = 3000;
    /** Default fine-tuning environment steps on the maze. */
    static final long MAZE_ONLINE_STEPS = 4000;

    /** The demo's tasks. */
    enum Task {
        /** The point maze, continuous actions. */
        MAZE,
        /** Gymnasium's MountainCar-v0, discrete actions. */
        MOUNTAINCAR
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--env", description = "Task: mountaincar (MountainCar-v0, 3 discrete actions: "
            + MountainCarTask.DEMO_DEFAULTS + ") or maze (the point maze, continuous actions: the flags' defaults "
            + "below) (default: ${DEFAULT-VALUE}).")
    Task env = Task.MOUNTAINCAR;

    @Option(names = "--offline-steps", description = "Pre-training updates per run (default: mountaincar "
            + MountainCarTask.OFFLINE_STEPS + ", maze " + MAZE_OFFLINE_STEPS + "; --quick: a half).")
    long offlineSteps = MAZE_OFFLINE_STEPS;

    @Option(names = "--online-steps", description = "Fine-tuning environment steps per run (default: mountaincar "
            + MountainCarTask.ONLINE_STEPS + ", maze " + MAZE_ONLINE_STEPS + "; --quick: a half).")
    long onlineSteps = MAZE_ONLINE_STEPS;

    @Option(names = "--seeds", paramLabel = "N", description = "Number of seeds per method: N runs each, with "
            + "seeds 0, 1, …, N−1 (default: mountaincar " + DEFAULT_SEEDS + ", maze " + MAZE_SEEDS + "; --quick: "
            + QUICK_SEEDS + "). A count, not a seed: --seeds 1 runs seed 0 alone; give particular seeds with "
            + "--seed-list.")
    int seedCount = MAZE_SEEDS;

    @Option(names = "--seed-list", split = ",", paramLabel = "SEED", description = "Exactly these seeds, e.g. "
            + "0,3 (instead of --seeds).")
    long[] seedList;

    @Option(names = "--quick", description = "A first look: " + QUICK_SEEDS + " seeds and half the pre-training "
            + "and fine-tuning steps (about a thirteenth of the default's time on mountaincar); flags given explicitly "
            + "still win. Its intervals are wide; the full run's are the ones to trust.")
    boolean quick;

    @Option(names = "--methods", split = ",", paramLabel = "calql,cql,aca",
            description = "Methods to compare, each a row in every table and a colour in every plot: calql, cql, "
                    + "aca (ACA: continuous tasks only) (default: calql,cql).")
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

    @Option(names = "--trace", description = "Also write trace-METHOD-SEED.csv per run: a row per update, per "
            + "fine-tuning episode and per evaluation (Q at the data's actions, bound rate, losses, α, entropy), to "
            + "see what happens across the switch to online.")
    boolean trace;

    @Option(names = "--reference", converter = DemoCommand.ReferenceKind.class, paramLabel = "behaviour|fqe|fitted-mc",
            description = "What Cal-QL calibrates against: behaviour (the data's Monte-Carlo returns), fqe (fitted Q "
                    + "evaluation of a hand-written controller: the maze's shortest-path steering, MountainCar's "
                    + "push-with-the-velocity) or fitted-mc (a value network on the returns) (default: behaviour).")
    DemoReference.Kind reference = DemoReference.Kind.BEHAVIOUR;

    @Option(names = "--reference-steps", description = "Updates of the reference's networks (default: "
            + "${DEFAULT-VALUE}).")
    int referenceSteps = 4000;

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
        ParseResult parsed = spec.commandLine().getParseResult();
        check(!(parsed.hasMatchedOption("--seeds") && parsed.hasMatchedOption("--seed-list")),
                "give --seeds (a count) or --seed-list (the seeds), not both");
        if (quick) {
            if (!parsed.hasMatchedOption("--offline-steps")) {
                offlineSteps /= 2;
            }
            if (!parsed.hasMatchedOption("--online-steps")) {
                onlineSteps /= 2;
            }
            if (!parsed.hasMatchedOption("--seeds")) {
                seedCount = QUICK_SEEDS;
            }
        }
        long[] seeds = seeds();
        check(offlineSteps >= 0, "--offline-steps must not be negative, found " + offlineSteps);
        check(onlineSteps >= 0, "--online-steps must not be negative, found " + onlineSteps);
        check(episodes >= 1, "--episodes must be at least 1, found " + episodes);
        check(!methods.isEmpty(), "--methods must name at least one method");
        check(!mountainCar || methods.stream().allMatch(Method::conservative),
                "--methods aca trains continuous actions only; --env mountaincar has discrete ones: use calql,cql");
        check(threads == null || threads >= 1, "--threads must be at least 1, found " + threads);
        agent.checkPrecision(spec, mountainCar, methods);
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
        if (trace) {
            runner.tracingInto(out);
        }
        check(referenceSteps >= 1, "--reference-steps must be at least 1, found " + referenceSteps);
        DemoReference calibration = new DemoReference(reference, mountainCar ? DemoReference.mountainCarController()
                : DemoReference.mazeController(newMaze()), FitSettings.builder().hidden(64, 64).steps(referenceSteps)
                .learningRate(3e-4).targetUpdatePeriod(20).seed(dataSeed).build(), agent.backend(), offlineSteps);
        runner.useReference(calibration);
        int runs = methods.size() * seeds.length;
        int parallel = threads != null ? threads
                : "java".equals(agent.backend) ? Math.min(runs, Runtime.getRuntime().availableProcessors()) : 1;
        List<RunOutcome> outcomes;
        try (Progress progress = Progress.create("demo", runs * runner.workPerRun(), stderr)) {
            outcomes = runner.runAll(methods, seeds, parallel, progress, verbosity.verbose ? stderr : null);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        List<String> labels = methods.stream().map(Method::label).collect(Collectors.toList());
        String names = methods.stream().map(m -> MethodLabels.display(m.label())).collect(Collectors.joining(" vs "));
        DemoReport report = new DemoReport(names + ": offline pre-training, then online fine-tuning, on the "
                + (mountainCar ? "MountainCar (discrete actions)" : "point maze"), commandLine(),
                settings(runner, parallel, seeds), facts, labels, outcomes, seconds);
        MetricsCsv.write(out.resolve("metrics.csv"), report.allRows());
        Plots.finetune(out.resolve("finetune.png"), report.allRows(), labels, offlineSteps);
        Plots.calibration(out.resolve("calibration.png"), report.allRows(), labels, offlineSteps,
                facts.meanStartReturn());
        Plots.regret(out.resolve("regret.png"), report.allRows(), labels);
        String summary = SummaryMarkdown.format(report) + "\n" + calibration.markdown();
        org.calql.examples.report.AtomicFiles.writeString(out.resolve("summary.md"), summary);

        stdout.println(resultsTable(summary));
        stdout.println(calibration.markdown());
        stdout.printf(Locale.ROOT, "wrote %s (summary.md, metrics.csv, finetune.png, calibration.png, regret.png) in %.0f s%n",
                out, seconds);
        stdout.flush();
        return 0;
    }

    private PointMaze newMaze() {
        return new PointMaze(maze.layout(), maxEpisodeSteps, speed, PointMaze.DEFAULT_GOAL_RADIUS,
                PointMaze.DEFAULT_START_NOISE);
    }

    /** The seeds of every method: {@code --seed-list}, else {@code 0..N−1} for {@code --seeds N}. */
    private long[] seeds() {
        if (seedList != null) {
            check(seedList.length > 0, "--seed-list must name at least one seed");
            check(Arrays.stream(seedList).distinct().count() == seedList.length,
                    "--seed-list must not repeat a seed, found " + Arrays.toString(seedList));
            return seedList.clone();
        }
        check(seedCount >= 1, "--seeds is the number of seeds and must be at least 1, found " + seedCount
                + " (for seed 0 alone: --seeds 1 or --seed-list 0)");
        return LongStream.range(0, seedCount).toArray();
    }

    private Map<String, String> settings(DemoRunner runner, int parallel, long[] seeds) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("methods", methods.stream().map(Method::label).collect(Collectors.joining(", ")));
        m.put("seeds", Arrays.toString(seeds) + (quick ? " (--quick)" : ""));
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
        m.putAll(runner.describeAgents(methods));
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

    /** {@code behaviour}, {@code fqe} or {@code fitted-mc}. */
    static final class ReferenceKind implements picocli.CommandLine.ITypeConverter<DemoReference.Kind> {
        @Override
        public DemoReference.Kind convert(String value) {
            for (DemoReference.Kind k : DemoReference.Kind.values()) {
                if (k.label.equalsIgnoreCase(value.trim())) {
                    return k;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("--reference must be behaviour, fqe or fitted-mc, "
                    + "found '" + value + "'");
        }
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
