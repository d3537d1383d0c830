package org.calql.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.RewardTransform;
import org.calql.examples.env.DatasetGenerator;
import org.calql.examples.env.MountainCar;
import org.calql.examples.report.MetricsCsv;
import org.calql.io.DatasetLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --env mountaincar}, {@code train --env mountaincar} and {@code train} on discrete files. */
class DiscreteCliTest {
    /** Discount of the task's defaults: a discounted return of −1 per step lies in [−1/(1−γ), 0). */
    private static final double GAMMA = 0.99;

    @TempDir
    Path dir;

    private static Path coreDataset(String name) {
        return Path.of("..", "calql-core", "src", "test", "resources", "datasets", name).toAbsolutePath().normalize();
    }

    /** A D4RL file of MountainCar behaviour whose {@code actions} is an int32 vector {@code [N]}. */
    private static Path writeMountainCar(Path file, int episodes) {
        OfflineDataset d = DatasetGenerator.mountainCar(episodes, 5);
        int n = d.size();
        float[][] obs = new float[n][d.observationDim()];
        int[] act = new int[n];
        float[] rew = new float[n];
        boolean[] term = new boolean[n];
        boolean[] timeouts = new boolean[n];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < d.observationDim(); j++) {
                obs[t][j] = d.observation(t, j);
            }
            act[t] = (int) d.action(t, 0);
            rew[t] = d.reward(t);
            term[t] = d.isTerminal(t);
            timeouts[t] = d.isEpisodeEnd(t) && !d.isTerminal(t);
        }
        try (WritableHdfFile out = HdfFile.write(file)) {
            out.putDataset("observations", obs);
            out.putDataset("actions", act);
            out.putDataset("rewards", rew);
            out.putDataset("terminals", term);
            out.putDataset("timeouts", timeouts);
        }
        return file;
    }

    /** Checks a metrics row of MountainCar: every step gives −1 until the goal, at most 200 steps. */
    private static void assertMountainCarRow(String line) {
        String[] cells = line.split(",", -1);
        assertEquals(10, cells.length, line);
        double ret = Double.parseDouble(cells[4]);
        double success = Double.parseDouble(cells[5]);
        double q = Double.parseDouble(cells[6]);
        double realised = Double.parseDouble(cells[7]);
        assertTrue(ret >= -MountainCar.MAX_STEPS && ret < 0, "undiscounted return in [-200, 0): " + line);
        assertTrue(success >= 0 && success <= 1, line);
        assertTrue(success > 0 || ret == -MountainCar.MAX_STEPS, "no success means 200 steps of -1: " + line);
        assertTrue(realised < 0 && realised >= -1 / (1 - GAMMA) - 1e-9, "discounted return in [-100, 0): " + line);
        assertTrue(Double.isFinite(q), line);
    }

    @Test
    void tinyMountainCarDemoWritesEveryReportFileWithARowPerMethodAndTheRightSigns() throws Exception {
        Path out = dir.resolve("demo");
        CliTest.Result r = CliTest.run("demo", "--env", "mountaincar", "--offline-steps", "40", "--online-steps",
                "40", "--seeds", "2", "--hidden", "8,8", "--batch-size", "16", "--episodes", "3", "--eval-every", "20",
                "--eval-episodes", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("\r") || r.err().contains("\u001b"), "progress without a terminal: " + r.err());
        assertTrue(r.err().contains("demo: 100% (320/320)"), "progress over 4 runs of 40 + 40 updates: " + r.err());

        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(MetricsCsv.HEADER, csv.get(0));
        // 2 methods × 2 seeds × (2 pre-training + 2 fine-tuning evaluations)
        assertEquals(1 + 16, csv.size(), String.join("\n", csv));
        for (String method : List.of("calql", "cql")) {
            for (int seed = 0; seed < 2; seed++) {
                String prefix = method + "," + seed + ",";
                assertTrue(csv.stream().anyMatch(l -> l.startsWith(prefix + "pretrain,40,")), String.join("\n", csv));
                assertTrue(csv.stream().anyMatch(l -> l.startsWith(prefix + "finetune,40,")), String.join("\n", csv));
            }
        }
        csv.subList(1, csv.size()).forEach(DiscreteCliTest::assertMountainCarRow);

        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        for (String png : List.of("finetune.png", "calibration.png", "regret.png")) {
            assertArrayEquals(magic, Arrays.copyOf(Files.readAllBytes(out.resolve(png)), 8), png);
        }

        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("MountainCar (discrete actions)"), summary);
        assertTrue(summary.contains("| | Cal-QL | CQL |"), summary);
        assertTrue(summary.contains("| environment | MountainCar-v0"), summary);
        // The task's defaults where no flag was given, the flag where one was.
        assertTrue(summary.contains("| CQL α | 0.1 |") && summary.contains("| discount | 0.99 |")
                && summary.contains("| backend | java |") && summary.contains("| batch size | 16 |"), summary);
        assertFalse(summary.contains("sampled actions N"), "continuous-only setting in a discrete report");
        // Every step costs −1, so the data's Monte-Carlo return at episode starts is negative for both methods.
        String mc = summary.lines().filter(l -> l.startsWith("| Monte-Carlo return of the data at those states |"))
                .findFirst().orElseThrow();
        String[] cells = mc.split("\\|");
        assertEquals(4, cells.length, mc);
        for (int i = 2; i <= 3; i++) {
            double v = Double.parseDouble(cells[i].trim().split(" ")[0].replace('−', '-'));
            assertTrue(v < 0 && v >= -1 / (1 - GAMMA), mc);
        }
        assertTrue(r.out().contains("## Results"), r.out());
    }

    @Test
    void mazeFlagsAreRefusedWithMountainCar() {
        CliTest.Result r = CliTest.run("demo", "--env", "mountaincar", "--maze", "umaze");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--maze applies to --env maze only"), r.err());
    }

    @Test
    void trainMountainCarRunsAtATinyBudget() throws Exception {
        Path metrics = dir.resolve("train.csv");
        CliTest.Result r = CliTest.run("train", "--env", "mountaincar", "--method", "cql", "--offline-steps", "20",
                "--online-steps", "20", "--hidden", "8,8", "--batch-size", "16", "--episodes", "2", "--eval-every",
                "10", "--eval-episodes", "1", "--metrics", metrics.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("3 discrete actions; cql on mountaincar, backend java"), r.err());
        List<String> csv = Files.readAllLines(metrics);
        assertEquals(1 + 4, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("cql,0,pretrain,10,") && csv.get(4).startsWith("cql,0,finetune,20,"),
                String.join("\n", csv));
        csv.subList(1, csv.size()).forEach(DiscreteCliTest::assertMountainCarRow);
        // 20 steps end no 200-step episode, so there is no regret to report yet.
        assertTrue(r.out().contains("dataset start states: Q -") && !r.out().contains("regret"), r.out());
    }

    @Test
    void trainSavesADiscreteAgentThatLoads() throws Exception {
        Path saved = dir.resolve("agent");
        CliTest.Result r = CliTest.run("train", "--env", "mountaincar", "--offline-steps", "20", "--online-steps", "20",
                "--hidden", "8,8", "--batch-size", "16", "--episodes", "2", "--eval-every", "10", "--eval-episodes",
                "1", "--epsilon", "0.3,0.05,500", "--save", saved.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("settings: discrete, discount 0.99, CQL α 0.1 (library default 1)"), r.err());
        // as the continuous train does: Cal-QL's calibration against its reference at the end of pre-training
        assertTrue(r.out().lines().anyMatch(l -> l.matches("calibration against monteCarlo over the last "
                + "tenth of pre-training: bound rate (0\\.\\d{3}|1\\.000), mean gap Q − V_ref -?\\d+\\.\\d{2}")),
                r.out());
        org.calql.agent.DiscreteAgent agent = org.calql.agent.DiscreteAgent.load(saved,
                org.calql.spi.Backends.named("java"));
        assertEquals(20, agent.trainingState().pretrainUpdates());
        assertEquals(20, agent.trainingState().finetuneSteps());
        assertEquals(new org.calql.policy.LinearDecay(0.3, 0.05, 500), agent.epsilon());
        assertEquals(16, agent.config().batchSize());
        assertEquals(0.1, agent.config().cqlAlpha());
        CliTest.Result info = CliTest.run("checkpoint-info", saved.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("calql-discrete"), info.out());
    }

    @Test
    void discreteFileWithoutEnvironmentIsPretrainedWithItsActionCount() throws Exception {
        Path file = coreDataset("discrete/d4rl-discrete.hdf5");
        CliTest.Result r = CliTest.run("train", "--dataset", file.toString(), "--offline-steps", "30",
                "--batch-size", "8", "--hidden", "8,8");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("37 transitions, 5 episodes") && r.err().contains("5 discrete actions"),
                r.err());
        assertTrue(r.err().contains("pre-training only") && r.err().contains("train: 100% (30/30)"), r.err());
        OfflineDataset data = DatasetLoader.loadDiscrete(file, 5);
        PreparedDataset p = PreparedDataset.prepare(data, new RewardTransform(1, 0), GAMMA, OptionalDouble.empty());
        double sum = 0;
        for (int s : data.episodeStarts()) {
            sum += p.returnToGo(s);
        }
        String expected = String.format(Locale.ROOT, "Monte-Carlo return %.2f", sum / data.episodeCount());
        assertTrue(r.out().contains(expected), expected + " in " + r.out());
        assertFalse(r.out().contains("regret"), r.out());
    }

    @Test
    void discreteFileFineTunesOnMountainCar() throws Exception {
        Path file = writeMountainCar(dir.resolve("mc.hdf5"), 3);
        assertEquals("discrete, 3 actions (inferred: largest index + 1)", DatasetLoader.inspect(file).toString());
        Path metrics = dir.resolve("m.csv");
        CliTest.Result r = CliTest.run("train", "--env", "mountaincar", "--dataset", file.toString(),
                "--offline-steps", "20", "--online-steps", "20", "--hidden", "8,8", "--batch-size", "16",
                "--eval-every", "10", "--eval-episodes", "1", "--metrics", metrics.toString());
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(metrics);
        assertEquals(1 + 4, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(4).startsWith("calql,0,finetune,20,"), String.join("\n", csv));
        csv.subList(1, csv.size()).forEach(DiscreteCliTest::assertMountainCarRow);
    }

    @Test
    void mismatchedFilesAndFlagsFailInOneLine() throws Exception {
        Path discrete = coreDataset("discrete/d4rl-discrete.hdf5");
        Path continuous = DatasetInfoCommandTest.writeD4rl(DatasetGenerator.pendulum(2, 1), dir.resolve("p.hdf5"));
        CliTest.Result[] runtime = {
            CliTest.run("train", "--dataset", discrete.toString(), "--env", "maze"),
            CliTest.run("train", "--dataset", continuous.toString(), "--env", "mountaincar"),
            CliTest.run("train", "--dataset", discrete.toString(), "--env", "mountaincar")};
        String[] reasons = {
            "holds discrete actions (discrete, 5 actions (inferred: largest index + 1)) but --env maze has "
                    + "continuous actions",
            "holds continuous actions (continuous, 1 dimension) but --env mountaincar has 3 discrete actions",
            "a discrete action must be an index in [0, 3) for 3 actions"};
        for (int i = 0; i < runtime.length; i++) {
            CliTest.Result r = runtime[i];
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line, before any training: " + r.err());
            assertTrue(r.err().contains(reasons[i]), reasons[i] + " in " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }

        CliTest.Result online = CliTest.run("train", "--dataset", discrete.toString(), "--online-steps", "5");
        assertEquals(2, online.code(), online.err());
        assertTrue(online.err().contains("--online-steps needs an environment"), online.err());
        CliTest.Result epsilon = CliTest.run("train", "--env", "mountaincar", "--epsilon", "0.5,2,10");
        assertEquals(2, epsilon.code(), epsilon.err());
        assertTrue(epsilon.err().contains("'--epsilon'") && epsilon.err().contains("epsilon end must lie in [0, 1]"),
                epsilon.err());
        CliTest.Result preset = CliTest.run("demo", "--env", "mountaincar", "--preset", "antmaze");
        assertEquals(2, preset.code(), preset.err());
        assertTrue(preset.err().contains("--preset applies to continuous agents only"), preset.err());
    }
}
