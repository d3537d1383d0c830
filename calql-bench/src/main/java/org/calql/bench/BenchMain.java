package org.calql.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.calql.nd4j.Bf16Gemm;
import org.calql.nd4j.OpenBlasKernel;
import org.calql.spi.Backends;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the calql benchmarks with JMH and prints the results table (see {@code calql-bench/README.md}).
 *
 * <pre>
 *   java -cp calql-bench.jar:lib/* org.calql.bench.BenchMain [--quick] [--out DIR] [--no-breakdown]
 * </pre>
 * Two JMH runs, one fork per benchmark: ND4J and sgemm with a few one-second iterations, then the plain-Java
 * backend with fewer (an antmaze update takes seconds there). JMH's log and its JSON results go to {@code DIR}
 * (default {@code target/bench}). The last line printed is {@code antmaze nd4j ratio-to-sgemm-bound: X.XX}; the
 * discrete update's (issue 10) comes just above it, {@code discrete nd4j ratio-to-sgemm-bound: X.XX}, measured the
 * same way (paired with sgemm in one JVM unless {@code --no-breakdown}).
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** One row of the table. */
    private record Row(String benchmark, String backend, String what, double millis, double error, double best,
                       double flops) {
    }

    /** The fastest measurement iteration's score (interference from other load only ever adds time). */
    private static double best(RunResult r) {
        double best = Double.POSITIVE_INFINITY;
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult i : b.getIterationResults()) {
                best = Math.min(best, i.getPrimaryResult().getScore());
            }
        }
        return Double.isInfinite(best) ? r.getPrimaryResult().getScore() : best;
    }

    /** Entry point; exits 1 if the antmaze ND4J update produced no result. */
    public static void main(String[] args) throws RunnerException, IOException {
        boolean quick = false;
        boolean breakdown = true;
        Path out = Path.of("target", "bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--no-breakdown" -> breakdown = false;
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: BenchMain [--quick] [--no-breakdown] [--out DIR]; unknown '"
                            + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        Files.createDirectories(out);
        PrintStream o = System.out;
        long start = System.nanoTime();

        o.println("calql-bench " + (quick ? "--quick" : "full") + ": JMH log and JSON in " + out);
        // The forks choose the kernel the same way (same environment, same calql.nd4j.coreType).
        String kernel = SgemmBenchmark.kernel();
        o.println(kernel);
        ChainedOptionsBuilder nd4j = base(out, "nd4j", quick ? 1 : 3, quick ? 2 : 4,
                quick ? TimeValue.milliseconds(400) : TimeValue.seconds(1),
                quick ? TimeValue.milliseconds(500) : TimeValue.seconds(2))
                .include(pattern(SgemmBenchmark.class)).include(pattern(UpdateBenchmark.class))
                .include(pattern(CriticBenchmark.class)).include(pattern(RegularizerBenchmark.class))
                .include(pattern(DiscreteUpdateBenchmark.class)).include(pattern(ServingBenchmark.class))
                .param("backend", "nd4j");
        if (Bf16Gemm.fp32UnavailableReason().isEmpty()) {
            nd4j.param("layout", "f", "rows");
        }
        if (quick) {
            nd4j.param("shape", SgemmBenchmark.BOUND_SHAPE);
        }
        o.println("[1/2] sgemm, ND4J update / critic, regularizer, discrete update ...");
        List<RunResult> results = new ArrayList<>(new Runner(nd4j.build()).run());

        ChainedOptionsBuilder java = base(out, "java", 1, quick ? 1 : 2, TimeValue.milliseconds(500),
                TimeValue.seconds(1))
                .include(pattern(UpdateBenchmark.class)).include(pattern(DiscreteUpdateBenchmark.class))
                .param("backend", "java");
        if (quick) {
            java.param("config", "small");
        } else {
            java.include(pattern(CriticBenchmark.class));
        }
        if (Bf16Gemm.unavailableReason().isEmpty()) {
            ChainedOptionsBuilder bf16 = base(out, "bf16", quick ? 1 : 3, quick ? 2 : 4,
                    quick ? TimeValue.milliseconds(400) : TimeValue.seconds(1),
                    quick ? TimeValue.milliseconds(500) : TimeValue.seconds(2))
                    .include(pattern(SgemmBenchmark.class)).include(pattern(UpdateBenchmark.class))
                    .param("precision", "bf16").param("layout", "f", "rows")
                    .param("backend", UpdateBenchmark.BF16_BACKEND).param("config", "antmaze");
            if (quick) {
                bf16.param("shape", SgemmBenchmark.BOUND_SHAPE);
            }
            o.println("[bf16] bf16 gemm (" + Bf16Gemm.kernel().orElse("?") + "), antmaze update on nd4j-bf16 ...");
            results.addAll(new Runner(bf16.build()).run());
        } else {
            o.println("[bf16] skipped: " + Bf16Gemm.unavailableReason().get());
        }
        o.println("[2/2] plain-Java update" + (quick ? " (small only)" : " / critic") + ", discrete update ...");
        results.addAll(new Runner(java.build()).run());

        double interleaved = Double.NaN;
        double discreteInterleaved = Double.NaN;
        if (breakdown) {
            o.println();
            StageBreakdown stages = new StageBreakdown(BenchConfigs.named("antmaze"), Backends.named("nd4j"),
                    quick ? 5 : 25);
            if (quick) {
                o.println("Cross-check: antmaze update on nd4j alternating with sgemm in one JVM");
                interleaved = stages.printInterleaved(o);
            } else {
                interleaved = stages.print(o);
            }
            o.println();
            // A discrete update is ≈ 60× less work than an antmaze one: 10 in a row per pair (StageBreakdown).
            StageBreakdown discrete = StageBreakdown.discrete(BenchConfigs.discrete(), Backends.named("nd4j"),
                    quick ? DISCRETE_PAIRS_QUICK : DISCRETE_PAIRS);
            if (quick) {
                o.println("Cross-check: discrete update on nd4j alternating with sgemm in one JVM");
                discreteInterleaved = discrete.printInterleaved(o);
            } else {
                discreteInterleaved = discrete.print(o);
            }
        }

        List<String> lines = table(results, quick, interleaved, discreteInterleaved);
        lines.add(0, "");
        lines.add(1, String.format(Locale.ROOT, "(%s, %.0f s)", quick ? "--quick" : "full",
                (System.nanoTime() - start) / 1e9));
        lines.add(2, kernel);
        Files.write(out.resolve("table.txt"), lines, StandardCharsets.UTF_8);
        lines.forEach(o::println);
        if (lines.get(lines.size() - 1).endsWith("n/a")) {
            System.exit(1);
        }
    }

    /**
     * Pairs of the discrete update's paired ratio (full run, {@code --quick}), each
     * {@link StageBreakdown#DISCRETE_UPDATES_PER_PAIR} updates and 8 sgemm calls.
     */
    static final int DISCRETE_PAIRS = 25;
    static final int DISCRETE_PAIRS_QUICK = 10;

    private static ChainedOptionsBuilder base(Path out, String name, int warmups, int measurements,
                                              TimeValue warmupTime, TimeValue measurementTime) {
        return new OptionsBuilder().forks(1).warmupIterations(warmups).warmupTime(warmupTime)
                .measurementIterations(measurements).measurementTime(measurementTime)
                .jvmArgsAppend(forkArgs())
                .shouldFailOnError(false)
                .resultFormat(ResultFormatType.JSON).result(out.resolve("jmh-" + name + ".json").toString())
                .output(out.resolve("jmh-" + name + ".log").toString());
    }

    /** The forks' JVM options: heap, and the parent's {@value OpenBlasKernel#PROPERTY} if it has one. */
    private static String[] forkArgs() {
        String coreType = System.getProperty(OpenBlasKernel.PROPERTY);
        return coreType == null ? new String[] {"-Xms1g", "-Xmx3g"}
                : new String[] {"-Xms1g", "-Xmx3g", "-D" + OpenBlasKernel.PROPERTY + "=" + coreType};
    }

    private static String pattern(Class<?> benchmark) {
        return "^" + benchmark.getName().replace(".", "\\.") + "\\.";
    }

    /**
     * The bound shape laid out row by row, as plain-ReLU networks multiply it on oneDNN: a candidate for the fp32
     * bound and the bf16 bound.
     */
    static final String BOUND_ROWS = SgemmBenchmark.BOUND_SHAPE + " rows";

    /**
     * The results table; its last line is the antmaze ND4J ratio, the line above it the discrete one.
     * {@code interleaved} and {@code discreteInterleaved} are the paired ratios (NaN without the breakdown).
     */
    static List<String> table(Collection<RunResult> results, boolean quick, double interleaved,
                              double discreteInterleaved) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            var p = r.getParams();
            String bench = p.getBenchmark();
            double ms = r.getPrimaryResult().getScore();
            double err = r.getPrimaryResult().getScoreError();
            double best = best(r);
            if (bench.contains("SgemmBenchmark")) {
                String shape = p.getParam("shape");
                boolean bf16 = "bf16".equals(p.getParam("precision"));
                boolean byRows = "rows".equals(p.getParam("layout"));
                rows.add(new Row(bf16 ? "bf16 gemm" : "sgemm", "nd4j", shape + (byRows ? " rows" : ""), ms, err, best,
                        SgemmBenchmark.flops(shape)));
            } else if (bench.contains("DiscreteUpdateBenchmark")) { // before UpdateBenchmark, which it contains
                rows.add(new Row("discrete update", p.getParam("backend"), DiscreteUpdateBenchmark.CONFIG, ms, err,
                        best, EssentialFlops.discreteUpdate(BenchConfigs.discrete())));
            } else if (bench.contains("UpdateBenchmark")) {
                String config = p.getParam("config");
                rows.add(new Row("update", p.getParam("backend"), config, ms, err, best,
                        EssentialFlops.update(BenchConfigs.named(config))));
            } else if (bench.contains("CriticBenchmark")) {
                rows.add(new Row("critic fwd+bwd", p.getParam("backend"), "antmaze 2 × 256×31", ms, err, best,
                        CriticBenchmark.flops()));
            } else if (bench.contains("ServingBenchmark")) { // µs/op
                rows.add(new Row("act", p.getParam("path"), "antmaze π " + p.getParam("rows") + " obs", ms / 1e3,
                        err / 1e3, best / 1e3, 0));
            } else if (bench.contains("RegularizerBenchmark")) {
                rows.add(new Row("regularizer", "core", p.getParam("regularizer") + " B256 N10", ms, err, best, 0));
            }
        }
        rows.sort((x, y) -> Integer.compare(order(x), order(y)));
        // The fp32 bound: the faster of OpenBLAS's f-order product and oneDNN's row-by-row one (the best fp32 GEMM
        // this machine reaches).
        Row boundRow = rows.stream().filter(r -> r.benchmark.equals("sgemm")
                && (r.what.equals(SgemmBenchmark.BOUND_SHAPE) || r.what.equals(BOUND_ROWS)))
                .min((x, y) -> Double.compare(x.millis, y.millis)).orElse(null);
        double boundRate = boundRow == null ? Double.NaN : boundRow.flops / boundRow.millis; // FLOP per ms
        double boundBest = boundRow == null ? Double.NaN : boundRow.flops / boundRow.best;
        double sgemmRate = boundRate;
        double sgemmBest = boundBest;
        // bf16 rows (bf16 gemm, update on nd4j-bf16) are taken against the bf16 bound measured in the same run: the
        // bound shape laid out as the bf16 network runs it (rows), else in f-order.
        Row bf16Row = rows.stream().filter(r -> r.benchmark.equals("bf16 gemm") && r.what.equals(BOUND_ROWS))
                .findFirst().orElseGet(() -> rows.stream().filter(r -> r.benchmark.equals("bf16 gemm")
                        && r.what.equals(SgemmBenchmark.BOUND_SHAPE)).findFirst().orElse(null));
        double bf16Rate = bf16Row == null ? Double.NaN : bf16Row.flops / bf16Row.millis;
        double bf16Best = bf16Row == null ? Double.NaN : bf16Row.flops / bf16Row.best;

        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-15s %-7s %-20s %11s %10s %9s %9s %8s %9s %8s", "benchmark",
                "backend", "config / shape", "ms/op", "± (99.9%)", "GFLOP/op", "GFLOP/s", "ratio", "best ms", "ratio*"));
        for (Row r : rows) {
            boolean bf16 = r.benchmark.equals("bf16 gemm") || r.backend.equals(UpdateBenchmark.BF16_BACKEND);
            double rowBound = bf16 ? bf16Rate : sgemmRate;
            double rowBoundBest = bf16 ? bf16Best : sgemmBest;
            String gflop = r.flops > 0 ? String.format(Locale.ROOT, "%9.3f", r.flops / 1e9) : "        -";
            String rate = r.flops > 0 ? String.format(Locale.ROOT, "%9.1f", r.flops / 1e6 / r.millis) : "        -";
            String ratio = r.flops > 0 && !Double.isNaN(rowBound)
                    ? String.format(Locale.ROOT, "%9.2f", r.millis / (r.flops / rowBound)) : "        -";
            String err = Double.isNaN(r.error) ? "         -" : String.format(Locale.ROOT, "%10.3f", r.error);
            String ratioBest = r.flops > 0 && !Double.isNaN(rowBoundBest)
                    ? String.format(Locale.ROOT, "%8.2f", r.best / (r.flops / rowBoundBest)) : "       -";
            lines.add(String.format(Locale.ROOT, "%-15s %-7s %-20s %11.3f %s %s %s %s %9.3f %s", r.benchmark,
                    r.backend, r.what, r.millis, err, gflop, rate, ratio.substring(1), r.best, ratioBest));
        }
        List<String> serving = new ArrayList<>();
        for (Row r : rows) {
            if (r.benchmark.equals("act")) {
                serving.add(String.format(Locale.ROOT, "%s %s %.2f ± %.2f", r.backend,
                        r.what.substring("antmaze π ".length()), r.millis * 1e3,
                        Double.isNaN(r.error) ? 0.0 : r.error * 1e3));
            }
        }
        if (!serving.isEmpty()) {
            lines.add("act µs/op (nd4j/java: agent.policy(); served: ServedPolicy, host path): "
                    + String.join(", ", serving));
        }
        if (quick) {
            lines.add("(update java antmaze and critic java skipped with --quick)");
        }
        lines.add("");
        lines.add("ratio = ms/op ÷ (essential GFLOP ÷ sgemm " + (boundRow == null ? SgemmBenchmark.BOUND_SHAPE
                : boundRow.what) + " GFLOP/s of this run: the faster fp32 " + SgemmBenchmark.BOUND_SHAPE + ", OpenBLAS "
                + "f-order or oneDNN rows); ratio* = the same from each benchmark's fastest iteration; bf16 rows (bf16 "
                + "gemm, update nd4j-bf16) against the bf16 gemm " + (bf16Row == null ? BOUND_ROWS : bf16Row.what)
                + " of this run (rows: laid out as the network calls it, activations row by row)");
        EssentialFlops.Breakdown e = EssentialFlops.breakdown(BenchConfigs.named("antmaze"));
        lines.add("antmaze essential work: " + e);
        Row antmaze = rows.stream().filter(r -> r.benchmark.equals("update") && r.backend.equals("nd4j")
                && r.what.equals("antmaze")).findFirst().orElse(null);
        double jmhRatio = Double.NaN;
        if (antmaze != null && !Double.isNaN(boundRate)) {
            double boundMs = e.total() / boundRate;
            jmhRatio = antmaze.millis / boundMs;
            lines.add(String.format(Locale.ROOT, "JMH, update and sgemm in separate JVMs: sgemm bound %.1f GFLOP/s → "
                    + "antmaze bound %.1f ms; measured %.1f ms → ratio %.2f (fastest iterations: %.1f GFLOP/s, %.1f ms "
                    + "→ ratio %.2f)", boundRate / 1e6, boundMs, antmaze.millis, jmhRatio, boundBest / 1e6, antmaze.best,
                    antmaze.best / (e.total() / boundBest)));
        }
        if (antmaze != null && boundRow != null
                && (antmaze.error > 0.25 * antmaze.millis || boundRow.error > 0.25 * boundRow.millis)) {
            lines.add(String.format(Locale.ROOT, "warning: noisy JMH run (update ± %.0f%%, sgemm ± %.0f%%): other load "
                    + "on the machine", 100 * antmaze.error / antmaze.millis, 100 * boundRow.error / boundRow.millis));
        }
        // The discrete update (issue 10): the same two estimates as the headline, on its own line above it.
        EssentialFlops.DiscreteBreakdown d = EssentialFlops.discrete(BenchConfigs.discrete());
        lines.add("discrete essential work: " + d);
        Row discrete = rows.stream().filter(r -> r.benchmark.equals("discrete update") && r.backend.equals("nd4j"))
                .findFirst().orElse(null);
        double discreteJmh = Double.NaN;
        if (discrete != null && !Double.isNaN(boundRate)) {
            double boundMs = d.total() / boundRate;
            discreteJmh = discrete.millis / boundMs;
            lines.add(String.format(Locale.ROOT, "JMH, discrete update and sgemm in separate JVMs: bound %.2f ms; "
                    + "measured %.2f ms → ratio %.2f (fastest iterations: %.2f ms → ratio %.2f)", boundMs,
                    discrete.millis, discreteJmh, discrete.best, discrete.best / (d.total() / boundBest)));
        }
        if (!Double.isNaN(discreteInterleaved)) {
            lines.add(String.format(Locale.ROOT, "discrete nd4j ratio-to-sgemm-bound: %.2f (paired, as the headline)",
                    discreteInterleaved));
        } else if (!Double.isNaN(discreteJmh)) {
            lines.add(String.format(Locale.ROOT, "discrete nd4j ratio-to-sgemm-bound: %.2f (JMH means)",
                    discreteJmh));
        } else {
            lines.add("discrete nd4j ratio-to-sgemm-bound: n/a");
        }
        // The headline pairs each update with sgemm calls right after it in one JVM, so both see the same load;
        // the JMH ratio divides two measurements taken minutes apart. Without the breakdown, JMH's is all there is.
        if (!Double.isNaN(interleaved)) {
            lines.add("headline: update and sgemm alternating in one JVM, ratio of their medians (the JMH ratio above "
                    + "divides measurements taken minutes apart)");
            lines.add(String.format(Locale.ROOT, "antmaze nd4j ratio-to-sgemm-bound: %.2f", interleaved));
        } else if (!Double.isNaN(jmhRatio)) {
            lines.add("headline: JMH means (run without --no-breakdown for the paired measurement)");
            lines.add(String.format(Locale.ROOT, "antmaze nd4j ratio-to-sgemm-bound: %.2f", jmhRatio));
        } else {
            lines.add("antmaze nd4j ratio-to-sgemm-bound: n/a");
        }
        return lines;
    }

    private static int order(Row r) {
        if (r.benchmark.equals("act")) { // after the critic rows: 1 obs then 256, each nd4j, java, served
            return 250 + (r.what.endsWith(" 1 obs") ? 0 : 5) + switch (r.backend) {
                case "nd4j" -> 0;
                case "java" -> 1;
                default -> 2;
            };
        }
        int base = switch (r.benchmark) {
            case "sgemm" -> 0;
            case "bf16 gemm" -> 50;
            case "update" -> 100;
            case "discrete update" -> 150;
            case "critic fwd+bwd" -> 200;
            default -> 300;
        };
        int config = r.what.startsWith("antmaze") ? 10 : 0;
        int backend = r.backend.equals("java") ? 1 : 0;
        if (r.benchmark.equals("sgemm")) {
            int shape = SgemmBenchmark.SHAPES.indexOf(r.what);
            return base + (shape < 0 ? 99 : shape);
        }
        return base + config + backend;
    }
}
