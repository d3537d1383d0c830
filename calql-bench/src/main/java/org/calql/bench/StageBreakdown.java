package org.calql.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.discrete.DiscreteConfig;
import org.calql.discrete.DiscreteUpdateStep;
import org.calql.nd4j.Bf16Gemm;
import org.calql.random.Rng;
import org.calql.random.UpdateDraws;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.update.UpdateStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the time of one update goes: a manual timing harness (not JMH) that runs the real
 * {@link UpdateStep#update} on a {@link TimedBackend}, which times each critic section (the passes that may run
 * at once, one per critic) and every network call without changing what is computed. What the full update takes
 * beyond the sections and the calling thread's network calls is the host-side math of calql-core (draws,
 * tanh-Gaussian sampling, the regularizer, TD targets, checks, the scalar optimizers).
 *
 * <p>The same for the discrete update ({@link #discrete}): its critics' sections (the forwards at s and s', the
 * backwards, the Adam steps with the target moves) against {@link EssentialFlops#discreteUpdate}.
 *
 * <p>Run alone: {@code java -cp calql-bench.jar:lib/* org.calql.bench.StageBreakdown [config] [backend] [reps]},
 * {@code config} = {@code small}, {@code antmaze} or {@code discrete}.
 */
public final class StageBreakdown {
    private final String description;
    private final String hostMath;
    private final Backend backend;
    private final int reps;
    /** Updates in a row per pair of {@link #interleaved()}. */
    private final int updatesPerPair;
    private final double essential;
    private final TimedBackend timed;
    private final Runnable timedUpdate;
    private final Runnable update;

    /** Discrete updates in a row per pair of {@link #interleaved()}. */
    public static final int DISCRETE_UPDATES_PER_PAIR = 10;

    /** One line of the breakdown; {@code detail} lines are calls inside the section above them (thread time). */
    public record Stage(String name, double millis, double flops, boolean detail) {
    }

    /** Builds a timed and an untimed update step for {@code config} on {@code backend}, and a random batch. */
    public StageBreakdown(CalQlConfig config, Backend backend, int reps) {
        this(describe(config), "draws, sampling, regularizer, TD target, checks", backend, reps, 1,
                EssentialFlops.update(config), new TimedBackend(backend), on -> continuous(config, on));
    }

    private StageBreakdown(String description, String hostMath, Backend backend, int reps, int updatesPerPair,
                           double essential,
                           TimedBackend timed, Function<Backend, Runnable> updateOn) {
        this.description = description;
        this.hostMath = hostMath;
        this.backend = backend;
        this.reps = reps;
        this.updatesPerPair = updatesPerPair;
        this.essential = essential;
        this.timed = timed;
        this.timedUpdate = updateOn.apply(timed);
        this.update = updateOn.apply(backend);
    }

    /**
     * The breakdown of the discrete update of {@code config} on {@code backend} (every network it creates is a
     * critic or, once it copies one, a target), against {@link EssentialFlops#discreteUpdate}. Each pair of
     * {@link #interleaved()} runs {@value #DISCRETE_UPDATES_PER_PAIR} updates in a row (a few milliseconds each),
     * so that the time the first one after the sgemm calls may lose (caches, waking the pass gang) weighs little.
     */
    public static StageBreakdown discrete(DiscreteConfig config, Backend backend, int reps) {
        return new StageBreakdown(describe(config), "next actions, TD targets, regularizer, checks", backend, reps,
                DISCRETE_UPDATES_PER_PAIR, EssentialFlops.discreteUpdate(config), new TimedBackend(backend, spec -> "critic"), on -> {
                    DiscreteUpdateStep step = new DiscreteUpdateStep(config, on);
                    TransitionBatch batch = BenchConfigs.randomDiscreteBatch(config, 11L);
                    return () -> step.update(batch);
                });
    }

    private static Runnable continuous(CalQlConfig config, Backend on) {
        UpdateStep step = new UpdateStep(config, on, UpdateDraws.from(new Rng(config.seed())));
        TransitionBatch batch = BenchConfigs.randomBatch(config, 11L);
        return () -> step.update(batch);
    }

    /**
     * Runs {@code reps} timed updates after a warm-up and splits their mean time: each critic section (wall time)
     * with the network calls made inside it (thread time, so concurrent critics add up to more than the wall),
     * the calling thread's network calls, and the rest. The last entry is the full update.
     */
    public List<Stage> run() {
        for (int i = 0; i < Math.max(3, reps / 3); i++) {
            timedUpdate.run();
        }
        timed.reset();
        long total = 0;
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            timedUpdate.run();
            total += System.nanoTime() - start;
        }
        double full = total / 1e6 / reps;

        List<Stage> stages = new ArrayList<>();
        Map<String, Map<String, TimedBackend.Tally>> inside = timed.callsBySection();
        double accounted = 0;
        double counted = 0;
        for (Map.Entry<String, TimedBackend.Tally> section : timed.sections().entrySet()) {
            Map<String, TimedBackend.Tally> own = inside.getOrDefault(section.getKey(), Map.of());
            double ms = section.getValue().nanos / 1e6 / reps;
            accounted += ms;
            counted += addGroup(stages, section.getKey() + ", passes at once: "
                    + String.join(", ", shortNames(own.keySet())), ms, own);
        }
        Map<String, TimedBackend.Tally> outside = inside.getOrDefault(TimedBackend.CALLING_THREAD, Map.of());
        double outsideMs = 0;
        for (TimedBackend.Tally t : outside.values()) {
            outsideMs += t.nanos / 1e6 / reps;
        }
        if (!outside.isEmpty()) {
            counted += addGroup(stages, "on the calling thread: " + String.join(", ", shortNames(outside.keySet())),
                    outsideMs, outside);
        }
        accounted += outsideMs;
        stages.add(new Stage("host math in calql-core (" + hostMath + ")",
                full - accounted, 0.0, false));
        stages.add(new Stage("full update", full, essential, false));
        if (inside.isEmpty() || Math.abs(counted - essential) > 1e-9 * essential) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the timed calls add up to %.6f GFLOP, but "
                    + "EssentialFlops counts %.6f GFLOP for this config (%s)", counted / 1e9, essential / 1e9,
                    description));
        }
        return stages;
    }

    /** Adds a group line and its calls' lines; returns the group's FLOPs per update. */
    private double addGroup(List<Stage> stages, String name, double millis, Map<String, TimedBackend.Tally> calls) {
        double flops = 0;
        for (TimedBackend.Tally t : calls.values()) {
            flops += t.flops / reps;
        }
        stages.add(new Stage(name, millis, flops, false));
        for (Map.Entry<String, TimedBackend.Tally> call : calls.entrySet()) {
            TimedBackend.Tally t = call.getValue();
            stages.add(new Stage(call.getKey(), t.nanos / 1e6 / reps, t.flops / reps, true));
        }
        return flops;
    }

    private static List<String> shortNames(Iterable<String> labels) {
        List<String> names = new ArrayList<>();
        for (String label : labels) {
            String shortName = label.contains(",") ? label.substring(0, label.indexOf(',')) : label;
            if (!names.contains(shortName)) {
                names.add(shortName);
            }
        }
        return names;
    }

    /**
     * A cross-check of the JMH ratio that is robust to other load on the machine: full updates and
     * {@code 7936x256x256} sgemm calls alternate in this JVM, so both see the same interference: {@code reps} pairs
     * of {@code updatesPerPair} updates in a row (their mean is the pair's update time), 8 OpenBLAS sgemm calls on
     * f-order operands and, where oneDNN's float32 matmul runs, 8 oneDNN calls on row-by-row operands; a pair's
     * bound is the faster of the two (the best fp32 GEMM this machine reaches).
     *
     * @return {median update ms, median bound GFLOP/s, min update ms, max bound GFLOP/s, median OpenBLAS GFLOP/s,
     *         median oneDNN GFLOP/s (0 where it does not run)}
     */
    public double[] interleaved() {
        Backends.named("nd4j");
        INDArray x = Nd4j.rand(DataType.FLOAT, 7936, 256).dup('f');
        INDArray w = Nd4j.rand(DataType.FLOAT, 256, 256).dup('f');
        INDArray y = Nd4j.create(DataType.FLOAT, new long[] {7936, 256}, 'f');
        // oneDNN's float32 product on row-by-row operands (how float32 plain-ReLU networks multiply), if it runs here.
        boolean oneDnn = Bf16Gemm.fp32UnavailableReason().isEmpty();
        INDArray xRows = x.dup('c');
        INDArray yRows = Nd4j.create(DataType.FLOAT, new long[] {7936, 256}, 'c');
        double gemmFlops = 2.0 * 7936 * 256 * 256;
        int inner = 8;
        double[] updateMs = new double[reps];
        double[] rate = new double[reps];
        double[] openBlasRate = new double[reps];
        double[] oneDnnRate = new double[reps];
        var blas = Nd4j.factory().blas();
        int updateBlasThreads = blas.getMaxThreads();
        for (int i = -3; i < reps; i++) {
            long t0 = System.nanoTime();
            for (int u = 0; u < updatesPerPair; u++) {
                update.run();
            }
            long t1 = System.nanoTime();
            SgemmBenchmark.useEveryCore(); // the bound: every core on one product, as SgemmBenchmark measures it
            long t1b = System.nanoTime();
            for (int j = 0; j < inner; j++) {
                Nd4j.gemm(x, w, y, false, true, 1.0, 0.0);
            }
            long t2 = System.nanoTime();
            for (int j = 0; oneDnn && j < inner; j++) {
                Bf16Gemm.gemmFp32(xRows, w, yRows, false, true, 1.0, 0.0);
            }
            long t3 = System.nanoTime();
            blas.setMaxThreads(updateBlasThreads);
            if (i >= 0) {
                updateMs[i] = (t1 - t0) / 1e6 / updatesPerPair;
                openBlasRate[i] = inner * gemmFlops / (t2 - t1b); // GFLOP/s
                oneDnnRate[i] = oneDnn ? inner * gemmFlops / (t3 - t2) : 0;
                rate[i] = Math.max(openBlasRate[i], oneDnnRate[i]); // the best fp32 GEMM of this pair
            }
        }
        Arrays.sort(updateMs);
        Arrays.sort(rate);
        Arrays.sort(openBlasRate);
        Arrays.sort(oneDnnRate);
        return new double[] {updateMs[reps / 2], rate[reps / 2], updateMs[0], rate[reps - 1], openBlasRate[reps / 2],
            oneDnnRate[reps / 2]};
    }

    /** Prints {@link #run()} as a table, then {@link #interleaved()}; returns the latter's median-based ratio. */
    public double print(PrintStream out) {
        List<Stage> stages = run();
        double full = stages.get(stages.size() - 1).millis();
        out.printf(Locale.ROOT, "Stage breakdown: %s on %s (mean of %d timed updates, one JVM; indented lines are "
                + "thread time inside the section above)%n", description, backend.name(), reps);
        out.printf(Locale.ROOT, "  %-74s %9s %7s %9s %9s%n", "stage", "ms", "share", "GFLOP", "GFLOP/s");
        for (Stage s : stages) {
            String gflop = s.flops() > 0 ? String.format(Locale.ROOT, "%9.3f", s.flops() / 1e9) : "        -";
            String rate = s.flops() > 0 && s.millis() > 0
                    ? String.format(Locale.ROOT, "%9.1f", s.flops() / 1e6 / s.millis()) : "        -";
            String share = s.detail() ? "       " : String.format(Locale.ROOT, "%6.1f%%", 100.0 * s.millis() / full);
            out.printf(Locale.ROOT, "  %-74s %9.2f %s %s %s%n", (s.detail() ? "    " : "") + s.name(), s.millis(),
                    share, gflop, rate);
        }
        return printInterleaved(out);
    }

    /** Prints {@link #interleaved()}; returns its median-based ratio to the sgemm bound. */
    public double printInterleaved(PrintStream out) {
        double[] check = interleaved();
        out.printf(Locale.ROOT, "  interleaved with sgemm 7936x256x256 (%d pairs%s): update median %.2f ms, sgemm "
                + "median %.1f GFLOP/s → ratio %.2f; best update %.2f ms, best sgemm %.1f GFLOP/s → ratio %.2f"
                + " (sgemm = the faster per pair of OpenBLAS f-order, median %.1f GFLOP/s, and oneDNN rows, %s)%n",
                reps, updatesPerPair == 1 ? "" : ", " + updatesPerPair + " updates in a row each",
                check[0], check[1], check[0] / (essential / 1e6 / check[1]), check[2], check[3],
                check[2] / (essential / 1e6 / check[3]), check[4],
                check[5] > 0 ? String.format(Locale.ROOT, "%.1f GFLOP/s", check[5]) : "not run here");
        return check[0] / (essential / 1e6 / check[1]);
    }

    private static String describe(DiscreteConfig c) {
        return "discrete, obs " + c.observationDim() + ", |A| " + c.numActions() + ", Q "
                + Arrays.toString(c.critic().hidden()) + ", B " + c.batchSize() + ", K " + c.criticCount()
                + (c.doubleDqn() ? ", Double DQN" : ", DQN") + ", " + c.tdLoss();
    }

    private static String describe(CalQlConfig c) {
        return "obs " + c.observationDim() + ", act " + c.actionDim() + ", Q " + Arrays.toString(c.qHidden())
                + ", π " + Arrays.toString(c.policyHidden()) + ", B " + c.batchSize() + ", N " + c.cqlNActions();
    }

    /** {@code [config (antmaze; or small, discrete)] [backend (nd4j; java, nd4j-bf16)] [reps (15)]}. */
    public static void main(String[] args) {
        String config = args.length > 0 ? args[0] : "antmaze";
        String backend = args.length > 1 ? args[1] : "nd4j";
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        StageBreakdown b = config.equals("discrete")
                ? discrete(BenchConfigs.discrete(), UpdateBenchmark.backend(backend), reps)
                : new StageBreakdown(BenchConfigs.named(config), UpdateBenchmark.backend(backend), reps);
        b.print(System.out);
    }
}
