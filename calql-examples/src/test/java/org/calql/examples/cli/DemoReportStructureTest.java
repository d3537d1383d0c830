package org.calql.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo at a tiny budget: its summary has a row per method in every table, every interval is ordered, a drop
 * is negative (and agrees with metrics.csv), and every claim has a verdict.
 */
class DemoReportStructureTest {
    private static final Pattern INTERVAL = Pattern.compile("(−?[0-9.]+)%? \\[(−?[0-9.]+), (−?[0-9.]+)\\]");

    @TempDir
    Path dir;

    @Test
    void summaryHasARowPerMethodOrderedIntervalsAndNegativeDrops() throws Exception {
        Path out = dir.resolve("demo");
        CliTest.Result r = CliTest.run("demo", "--offline-steps", "60", "--online-steps", "420", "--seed-list", "0,4",
                "--hidden", "8,8", "--batch-size", "16", "--episodes", "3", "--eval-every", "60", "--eval-episodes",
                "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("MountainCar"), "the default task: " + summary);
        assertTrue(summary.contains("| seeds | [0, 4] |"), summary);
        assertTrue(summary.contains("95% Student-t interval"), summary);

        // every Results row has a cell per method, each mean inside its interval
        String results = section(summary, "## Results");
        int rows = 0;
        for (String line : results.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| |")).toList()) {
            String[] cells = line.split(" \\| ");
            assertEquals(3, cells.length, "label + Cal-QL + CQL: " + line);
            for (int i = 1; i < cells.length; i++) {
                Matcher m = INTERVAL.matcher(cells[i]);
                assertTrue(m.find(), "mean [lo, hi] in " + line);
                double mean = number(m.group(1));
                double lo = number(m.group(2));
                double hi = number(m.group(3));
                assertTrue(lo <= mean + 1e-9 && mean <= hi + 1e-9, "lo ≤ mean ≤ hi in " + line);
            }
            rows++;
        }
        assertTrue(rows >= 10, results);
        assertFalse(results.contains("+"), "a change is never printed with a plus: " + results);

        // each run's change in the per-run table is earlyMin − pre-trained success from metrics.csv
        Map<String, double[]> fromCsv = preAndEarlyMin(Files.readAllLines(out.resolve("metrics.csv")));
        String perRun = section(summary, "## Per run");
        List<String> runs = perRun.lines().filter(l -> l.startsWith("| Cal-QL |") || l.startsWith("| CQL |")).toList();
        assertEquals(4, runs.size(), perRun);
        for (String line : runs) {
            String[] cells = line.split(" \\| ");
            String key = (cells[0].contains("Cal-QL") ? "calql" : "cql") + "," + cells[1].trim();
            double[] v = fromCsv.get(key);
            double change = Math.round(100 * (v[1] - v[0]));
            assertEquals(change, number(cells[4].trim()), line);
            if (change < 0) {
                assertTrue(cells[4].trim().startsWith("−"), "a drop is negative: " + line);
            }
        }

        String claims = section(summary, "## Claims");
        long verdicts = claims.lines().filter(l -> l.contains("**shows**") || l.contains("does not show |")).count();
        assertEquals(7, verdicts, claims);
    }

    /** method,seed → {last pre-training success, lowest success among the first quarter of fine-tuning}. */
    private static Map<String, double[]> preAndEarlyMin(List<String> csv) {
        Map<String, List<double[]>> fine = new HashMap<>();
        Map<String, double[]> out = new HashMap<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] c = line.split(",", -1);
            String key = c[0] + "," + c[1];
            if (c[2].equals("pretrain")) {
                out.computeIfAbsent(key, k -> new double[2])[0] = Double.parseDouble(c[5]);
            } else {
                fine.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {Double.parseDouble(c[3]),
                    Double.parseDouble(c[5])});
            }
        }
        fine.forEach((key, rows) -> {
            rows.sort((a, b) -> Double.compare(a[0], b[0]));
            int early = Math.max(1, (int) Math.ceil(0.25 * rows.size()));
            double min = 1.0;
            for (int k = 0; k < early; k++) {
                min = Math.min(min, rows.get(k)[1]);
            }
            out.get(key)[1] = min;
        });
        return out;
    }

    private static String section(String text, String heading) {
        int from = text.indexOf(heading);
        assertTrue(from >= 0, heading + " in " + text);
        int to = text.indexOf("\n## ", from + heading.length());
        return to < 0 ? text.substring(from) : text.substring(from, to);
    }

    private static double number(String s) {
        return Double.parseDouble(s.replace('−', '-'));
    }
}
