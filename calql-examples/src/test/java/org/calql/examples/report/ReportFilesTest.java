package org.calql.examples.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.calql.train.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    static List<EvaluationRow> rows(String method, long seed, double successShift) {
        List<EvaluationRow> rows = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            rows.add(new EvaluationRow(method, seed, Phase.PRETRAIN, 100L * i, 0.1 * i, 0.1 * i + successShift,
                    -50.0 * i, -400 + 10.0 * i, i == 1 ? Double.NaN : 0.25, Double.NaN));
        }
        for (int i = 1; i <= 8; i++) {
            rows.add(new EvaluationRow(method, seed, Phase.FINETUNE, 50L * i, 0.5, i <= 2 ? 0.0 : 0.5 + successShift,
                    -300.0 + i, -350 + 5.0 * i, 0.5, 0.1 * i));
        }
        return rows;
    }

    @Test
    void csvHasHeaderAndOneRowPerEvaluationWithEmptyCellForNaN() throws IOException {
        List<EvaluationRow> rows = rows("calql", 3, 0.0);
        Path file = dir.resolve("metrics.csv");
        MetricsCsv.write(file, rows);
        List<String> lines = Files.readAllLines(file);
        assertEquals(MetricsCsv.HEADER, lines.get(0));
        assertEquals(rows.size() + 1, lines.size());
        assertEquals("calql,3,pretrain,100,0.1,0.1,-50,-390,,", lines.get(1));
        assertEquals("calql,3,finetune,50,0.5,0,-299,-345,0.5,0.1", lines.get(5));
        for (String line : lines) {
            assertEquals(10, line.split(",", -1).length, line);
        }
    }

    @Test
    void plotsArePngFiles() throws IOException {
        List<EvaluationRow> rows = new ArrayList<>(rows("calql", 0, 0.1));
        rows.addAll(rows("calql", 1, 0.0));
        rows.addAll(rows("cql", 0, -0.05));
        Path finetune = dir.resolve("finetune.png");
        Path calibration = dir.resolve("calibration.png");
        Path regret = dir.resolve("regret.png");
        Plots.finetune(finetune, rows, List.of("calql", "cql"), 400);
        Plots.calibration(calibration, rows, List.of("calql", "cql"), 400, -450.0);
        Plots.regret(regret, rows, List.of("calql", "cql"));
        for (Path p : List.of(finetune, calibration, regret)) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(p), PNG_MAGIC.length);
            assertArrayEquals(PNG_MAGIC, head, p.toString());
            assertTrue(Files.size(p) > 5_000, p + " is suspiciously small");
        }
        assertNoTemporaryFiles();
    }

    @Test
    void meanLineAveragesSeedsOnOneTimeline() {
        List<EvaluationRow> rows = new ArrayList<>(rows("calql", 0, 0.1));
        rows.addAll(rows("calql", 1, 0.0));
        double[][] mean = Plots.meanLine(rows, "calql", 400, EvaluationRow::successRate);
        assertEquals(12, mean[0].length);
        assertEquals(-300.0, mean[0][0]);
        assertEquals(0.0, mean[0][3]);
        assertEquals(0.15, mean[1][0], 1e-12);
    }

    @Test
    void bandHoldsTheMeanAndItsTInterval() {
        List<EvaluationRow> rows = new ArrayList<>(rows("calql", 0, 0.1));
        rows.addAll(rows("calql", 1, 0.0));
        double[][] band = Plots.band(rows, "calql", 400, EvaluationRow::successRate);
        // first point: seeds 0.2 and 0.1 → mean 0.15, sd 0.0707, t(0.975, 1) = 12.706, half-width 0.635
        assertEquals(0.15, band[1][0], 1e-12);
        assertEquals(0.15 - 12.706 * Math.sqrt(0.005) / Math.sqrt(2), band[2][0], 1e-9);
        assertEquals(0.15 + 12.706 * Math.sqrt(0.005) / Math.sqrt(2), band[3][0], 1e-9);
    }

    @Test
    void summaryHasTheTableOfNumbers() throws IOException {
        List<RunOutcome> outcomes = List.of(
                new RunOutcome("calql", 0, rows("calql", 0, 0.1), 0.4, -420, -450, 10),
                new RunOutcome("calql", 1, rows("calql", 1, 0.0), 0.6, -430, -450, 10),
                new RunOutcome("cql", 0, rows("cql", 0, 0.0), 0.8, -900, -450, 10));
        DemoReport report = new DemoReport("Test", "java -jar calql.jar demo", Map.of("seeds", "[0, 1]"),
                new DatasetFacts(1000, 10, 2, 0.2, -450.0), List.of("calql", "cql"), outcomes, 20.0);
        Path file = dir.resolve("summary.md");
        SummaryMarkdown.write(file, report);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.contains("| | Cal-QL | CQL |"), text);
        // 0.5 and 0.4: mean 0.45, sd 0.0707, 95% t half-width 12.706·0.0707/√2 = 0.635, clipped to [0, 100]
        assertTrue(text.contains("| success at end of pre-training | 45% [0, 100] | 40% [40, 40] |"), text);
        // early window: the first 2 of 8 fine-tuning evaluations, both at success 0
        assertTrue(text.contains("| lowest success in early fine-tuning (first 25% of evaluations) | 0% [0, 0] | "
                + "0% [0, 0] |"), text);
        // a drop is negative, with a true minus sign
        assertTrue(text.contains("| change from the pre-trained success (points; negative: a drop) | −45 [−109, 19] | "
                + "−40 [−40, −40] |"), text);
        assertTrue(text.contains("| cumulative regret (mean 1 − success over training episodes) | 0.500 [0.000, "
                + "1.000] | 0.800 [0.800, 0.800] |"), text);
        assertTrue(text.contains("| Q − data return (≥ 0: at or above the behaviour's value) | 25.0 [−38.5, 88.5] | "
                + "−450.0 [−450.0, −450.0] |"), text);
        assertFalse(text.contains("+"), "no drop is printed with a plus sign: " + text);
        assertTrue(text.contains("## Claims"), text);
        assertTrue(text.contains("| 1 | CQL's Q lies below the data's return (interval of Q − data return below 0) | "
                + "**shows** | CQL −450.0 [−450.0, −450.0] |"), text);
        assertTrue(text.contains("| 2 | Cal-QL's cumulative regret lies below CQL's | does not show | Cal-QL 0.500 "
                + "[0.000, 1.000], CQL 0.800 [0.800, 0.800] |"), text);
        assertTrue(text.contains("java -jar calql.jar demo"), text);
        assertTrue(text.contains("| behaviour success rate | 20% |"), text);
    }

    @Test
    void methodSummaryMeasuresTheEarlyDrop() {
        MethodSummary s = MethodSummary.of("cql", List.of(new RunOutcome("cql", 0, rows("cql", 0, 0.0), 0.5, -1, -2, 1)),
                0.25);
        assertEquals(0.4, s.pretrainedSuccess().mean(), 1e-12);
        assertEquals(0.0, s.earlyMinSuccess().mean(), 1e-12);
        assertEquals(-0.4, s.earlyChange().mean(), 1e-12);
        assertEquals(0.5, s.finalSuccess().mean(), 1e-12);
        assertEquals(1.0, s.datasetGap().mean(), 1e-12);
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path file = dir.resolve("summary.md");
        AtomicFiles.writeString(file, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(file));
        assertNoTemporaryFiles();
    }

    @Test
    void statsIgnoreNaNAndFormat() {
        Stats s = Stats.of(1.0, 3.0, Double.NaN);
        assertEquals(2, s.count());
        assertEquals(1.0, s.min());
        assertEquals(3.0, s.max());
        // mean 2, sd √2, t(0.975, 1) = 12.706: half-width 12.706 → [−10.706, 14.706]
        assertEquals("2.00 [−10.71, 14.71]", s.format(2));
        assertEquals("—", Stats.of(Double.NaN).format(1));
        assertEquals("50% [50, 50]", Stats.of(0.5).formatPercent());
        assertEquals("−0.5", Stats.number(-0.5, 1));
        assertEquals("0", Stats.number(-0.2, 0));
    }

    @Test
    void tIntervalUsesStudentsQuantile() {
        // five seeds: t(0.975, 4) = 2.776
        Stats s = Stats.of(1, 2, 3, 4, 5);
        assertEquals(2.776 * Math.sqrt(2.5) / Math.sqrt(5), s.halfWidth(), 1e-12);
        assertTrue(s.lo() <= s.mean() && s.mean() <= s.hi());
        assertEquals(1.96, Stats.t975(100));
        assertTrue(Stats.of(10, 11, 12).above(Stats.of(1, 2, 3)));
        assertFalse(Stats.of(1, 2, 3).above(Stats.of(2, 3, 4)));
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }
}
