package org.calql.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACA on the command line: {@code demo --methods calql,cql,aca} runs it beside Cal-QL and CQL on the same data,
 * {@code train --method aca} saves an ACA checkpoint that {@code checkpoint-info} names, and discrete tasks refuse
 * it.
 */
class AcaCliTest {
    @TempDir
    Path dir;

    @Test
    void demoRunsAcaBesideCalQlAndCql() throws Exception {
        Path out = dir.resolve("demo");
        CliTest.Result r = CliTest.run("demo", "--env", "maze", "--backend", "java", "--methods", "calql,cql,aca", "--offline-steps",
                "20", "--online-steps", "20", "--seeds", "1", "--hidden", "8,8", "--batch-size", "16", "--n-actions",
                "2", "--episodes", "4", "--max-episode-steps", "30", "--eval-every", "10", "--eval-episodes", "1",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        for (String method : List.of("calql", "cql", "aca")) {
            assertEquals(4, csv.stream().filter(l -> l.startsWith(method + ",0,")).count(),
                    method + ": 2 pre-training and 2 fine-tuning evaluations\n" + String.join("\n", csv));
        }
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| | Cal-QL | CQL | ACA |"), summary);
        assertTrue(summary.startsWith("# Cal-QL vs CQL vs ACA: "), summary);
        assertTrue(summary.contains("| CQL α (Cal-QL, CQL) | 20.0 |"), summary);
        assertTrue(summary.contains("| ACA networks | 2 critics R_i and 2 state values Z_i of [8, 8], policy [8, 8] "
                + "tanh-gaussian |"), summary);
        assertTrue(summary.contains("| ACA offline actor | SAC + maximum likelihood, w_ML 30.0"), summary);
        assertTrue(summary.contains("| ACA learning rates | actor 3.0E-4, critics 0.001, Z_i 0.001, temperature "
                + "3.0E-4 |"), summary);
    }

    @Test
    void acaAloneReportsItsOwnSettingsWithoutCqlOnes() {
        AgentOptions options = new AgentOptions();
        options.backend = "java";
        Map<String, String> aca = AgentFactory.continuous(options, 4, 2).describe(List.of(Method.ACA));
        for (String cqlOnly : AgentOptions.CONSERVATIVE_ONLY) {
            assertFalse(aca.keySet().stream().anyMatch(k -> k.startsWith(cqlOnly)), cqlOnly + " in " + aca);
        }
        assertEquals("1.0", aca.get("ACA alignment floor β"), aca.toString());
        assertEquals("from 1.0 over 100.0 epochs of 1000 updates, floor 1.0", aca.get("ACA interpolation w"));
        assertTrue(aca.get("ACA temperature").contains("target entropy -2.0"), aca.toString());
        Map<String, String> pair = AgentFactory.continuous(options, 4, 2).describe(List.of(Method.CALQL,
                Method.CQL));
        assertEquals(options.describe(), pair, "without ACA the rows are the Cal-QL/CQL ones, unchanged");
        options.preset = "antmaze";
        Map<String, String> preset = AgentFactory.continuous(options, 4, 2).describe(List.of(Method.ACA));
        assertTrue(preset.get("ACA networks").contains("non-squashed-gaussian (preset antmaze)"), preset.toString());
        assertTrue(preset.get("ACA online").contains("reward shift -1.0"), preset.toString());
    }

    @Test
    void trainSavesAnAcaCheckpointThatInfoNames() {
        Path save = dir.resolve("agent");
        CliTest.Result r = CliTest.run("train", "--backend", "java", "--env", "maze", "--method", "aca",
                "--offline-steps", "6", "--online-steps", "4", "--hidden", "8,8", "--batch-size", "8", "--episodes",
                "3", "--eval-episodes", "1", "--save", save.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(save.resolve("agent.calql")), r.err());
        CliTest.Result info = CliTest.run("checkpoint-info", save.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("calql-aca (Actor-Critic Alignment; load with AcaAgent.load)"), info.out());
        assertTrue(info.out().contains("z-values") && info.out().contains("reference-policy"), info.out());
        assertTrue(info.out().contains("interpolationFloor = 1.0"), info.out());
    }

    @Test
    void discreteTasksRefuseAca() {
        CliTest.Result r = CliTest.run("demo", "--backend", "java", "--env", "mountaincar", "--methods", "aca",
                "--offline-steps", "1", "--online-steps", "0", "--seeds", "1", "--out", dir.resolve("d").toString());
        assertTrue(r.code() != 0, r.err());
        assertTrue(r.err().contains("continuous actions only"), r.err());
    }
}
