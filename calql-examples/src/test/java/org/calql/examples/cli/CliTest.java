package org.calql.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.calql.examples.report.MetricsCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CliTest {
    @TempDir
    Path dir;

    /** Exit code, standard output and standard error of one command line. */
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CalQlCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "demo --offline-stepz 5 | --offline-stepz",
        "demo --seeds abc | --seeds",
        "demo --seeds 0 | --seeds",
        "demo --seeds 2 --seed-list 0,1 | --seed-list",
        "demo --seed-list 1,1 | --seed-list",
        "demo --backend tpu | --backend",
        "demo --offline-steps -1 | --offline-steps",
        "demo --hidden 64,x | --hidden",
        "train --method sac | --method",
        "train --env cartpole | --env",
        "train --format d4rl | --format",
        "dataset-info | FILE",
        "frobnicate | frobnicate",
    })
    void badFlagsAreUsageErrorsThatNameTheFlag(String args, String flag) {
        Result r = run(args.trim().split(" "));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(flag), r.err());
    }

    @Test
    void runtimeErrorIsOneLineWithoutStackTraceUnlessVerbose() {
        String missing = dir.resolve("missing.hdf5").toString();
        Result r = run("dataset-info", missing, "--json");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("error"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals("", r.out());

        Result verbose = run("dataset-info", missing, "--json", "--verbose");
        assertEquals(1, verbose.code());
        assertTrue(verbose.err().contains("\tat "), verbose.err());
    }

    @Test
    void helpListsTheSubcommands() {
        Result r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("demo") && r.out().contains("train") && r.out().contains("dataset-info"), r.out());
    }

    @Test
    void tinyDemoWritesAllFourFiles() throws Exception {
        Path out = dir.resolve("demo");
        Result r = run("demo", "--env", "maze", "--backend", "java", "--offline-steps", "30", "--online-steps", "30", "--seeds", "2",
                "--hidden", "8,8", "--batch-size", "16", "--n-actions", "2", "--episodes", "5",
                "--max-episode-steps", "40", "--eval-every", "10", "--eval-episodes", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("\r") || r.err().contains("\u001b"), "progress without a terminal: " + r.err());

        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(MetricsCsv.HEADER, csv.get(0));
        // 2 methods × 2 seeds × (3 pre-training + 3 fine-tuning evaluations)
        assertEquals(1 + 24, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("calql,0,pretrain,10,"), csv.get(1));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("cql,1,finetune,30,")), String.join("\n", csv));
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",", -1);
            assertEquals(10, cells.length, line);
            double success = Double.parseDouble(cells[5]);
            assertTrue(success >= 0 && success <= 1, line);
            Double.parseDouble(cells[6]);
            Double.parseDouble(cells[7]);
        }

        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        for (String png : List.of("finetune.png", "calibration.png", "regret.png")) {
            assertArrayEquals(magic, Arrays.copyOf(Files.readAllBytes(out.resolve(png)), 8), png);
        }

        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| | Cal-QL | CQL |"), summary);
        assertTrue(summary.contains("| success at end of pre-training |"), summary);
        assertTrue(summary.contains("| transitions |"), summary);
        assertTrue(summary.contains("java -jar calql.jar demo --env maze --backend java"), summary);
        assertTrue(r.out().contains("## Results"), r.out());
    }

    @Test
    void trainPrintsItsOwnDefaultsBesideTheLibrarys() {
        Result r = run("train", "--env", "pendulum", "--method", "cql", "--backend", "java", "--offline-steps", "2",
                "--online-steps", "0", "--hidden", "8,8", "--batch-size", "16", "--n-actions", "2", "--episodes", "1",
                "--eval-episodes", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("discount 0.97 (library default 0.99)"), r.err());
        assertTrue(r.err().contains("CQL α 20.0 (library default 5.0)"), r.err());
        assertTrue(r.err().contains("tau 0.05 (library default 0.005)"), r.err());
        assertTrue(r.err().contains("critic lr 0.001 (library default 3.0E-4)"), r.err());
    }

    @Test
    void trainWithAPresetTakesItsSettings() throws Exception {
        Path saved = dir.resolve("preset-agent");
        Result r = run("train", "--env", "maze", "--max-episode-steps", "8", "--backend", "java", "--preset",
                "antmaze", "--offline-steps", "2", "--online-steps", "3", "--episodes", "2", "--eval-every", "100",
                "--eval-episodes", "1", "--save", saved.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("settings: preset antmaze"), r.err());
        org.calql.agent.Agent agent = org.calql.agent.Agent.load(saved, org.calql.spi.Backends.named("java"));
        assertArrayEquals(new int[] {256, 256, 256, 256}, agent.config().qHidden());
        assertEquals(5.0, agent.config().cqlAlpha());
        assertTrue(agent.config().lagrange());
        assertTrue(agent.config().maxTargetBackup());
        assertEquals(10.0, agent.trainingConfig().rewardScale());
        assertEquals(-5.0, agent.trainingConfig().rewardBias());
        // the authors' schedule: the 3-step episode cut by the budget gets its 3 updates at the end
        assertEquals(3, agent.trainingState().finetuneUpdates());
    }

    @Test
    void anUnknownPresetIsRefusedByName() {
        Result r = run("train", "--env", "pendulum", "--backend", "java", "--preset", "hopper", "--offline-steps",
                "1", "--online-steps", "0", "--episodes", "1");
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("'hopper'"), r.err());
    }

    @Test
    void trainSavesAnAgentThatLoads() throws Exception {
        Path saved = dir.resolve("agent");
        Path metrics = dir.resolve("train.csv");
        Result r = run("train", "--env", "pendulum", "--method", "cql", "--backend", "java", "--offline-steps", "20",
                "--online-steps", "20", "--hidden", "8,8", "--batch-size", "16", "--n-actions", "2", "--episodes", "2",
                "--eval-every", "10", "--eval-episodes", "1", "--save", saved.toString(), "--metrics",
                metrics.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(saved.resolve("agent.calql")), r.out());
        assertEquals(1 + 4, Files.readAllLines(metrics).size());
        org.calql.agent.Agent agent = org.calql.agent.Agent.load(saved, org.calql.spi.Backends.named("java"));
        assertEquals(20, agent.pretrainUpdates());
        assertEquals(20, agent.finetuneSteps());
    }

    @Test
    void trainRejectsADatasetOfOtherDimensions() throws Exception {
        Path file = DatasetInfoCommandTest.writeD4rl(org.calql.examples.env.DatasetGenerator.pointMaze(
                new org.calql.examples.env.PointMaze(org.calql.examples.env.MazeLayout.uMaze(), 30), 2, 1),
                dir.resolve("maze.hdf5"));
        Result r = run("train", "--env", "pendulum", "--dataset", file.toString(), "--backend", "java");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("observationDim 2") && r.err().contains("pendulum"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }
}
