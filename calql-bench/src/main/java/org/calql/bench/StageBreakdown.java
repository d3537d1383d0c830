package org.calql.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.nn.ParameterInitializer;
import org.calql.policy.PolicyPass;
import org.calql.policy.TanhGaussian;
import org.calql.policy.TanhGaussianPolicy;
import org.calql.random.DrawKind;
import org.calql.random.Rng;
import org.calql.random.UpdateDraws;
import org.calql.regularizer.PenaltyInputs;
import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.spi.Network;
import org.calql.spi.NetworkSpec;
import org.calql.spi.Optimizer;
import org.calql.spi.ParameterGradients;
import org.calql.spi.Workspace;
import org.calql.update.UpdateStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the time of one update goes: a manual timing harness (not JMH) that replays each stage of
 * {@link UpdateStep#update} with the same calls and shapes on networks of its own, times each stage alone
 * (median of repeated runs after a warm-up), and compares their sum with a full update timed in the same
 * JVM. What the full update takes beyond the stages is the host-side glue of {@code UpdateStep} itself
 * (batch checks, TD targets, stacking actions, bookkeeping) plus interference between stages.
 *
 * <p>Run alone: {@code java -cp calql-bench.jar:lib/* org.calql.bench.StageBreakdown [config] [backend] [reps]}.
 */
public final class StageBreakdown {
    private final CalQlConfig config;
    private final Backend backend;
    private final int reps;
    private final int b;
    private final int n;
    private final int a;
    private final int k;
    private final int stride;

    private final TanhGaussianPolicy policy;
    private final PolicyPass passCurrent;
    private final PolicyPass passNext;
    private final ParameterGradients policyGradients;
    private final Optimizer policyAdam;
    private final Network[] critics;
    private final Network[] targets;
    private final Workspace[] stacked;
    private final Workspace[] targetWs;
    private final Workspace[] actorWs;
    private final ParameterGradients[] criticGradients;
    private final Optimizer[] criticAdam;
    private final TransitionBatch batch;
    private final PenaltyInputs penaltyInputs;
    private final UpdateDraws draws = UpdateDraws.from(new Rng(99L));
    private final double[] policyNoise;
    private final double[] targetNoise;
    private final double[] randomActions;
    private final double[] currentNoise;
    private final double[] nextNoise;
    private final double[] newActions;
    private final double[] newSquashed;
    private final double[] newLogPi;
    private final double[] targetActions;
    private final double[] targetSquashed;
    private final double[] targetLogPi;
    private final double[] currentActions;
    private final double[] nextActions;
    private final double[] sampleSquashed;
    private final double[] stackedActions;
    private final double[] stackedQ;
    private final double[] stackedGradQ;
    private final double[] targetQ;
    private final double[] actorQ;
    private final double[] actorGradQ;
    private final double[] actorGradTail;
    private final double[] scalarGradients = new double[2];
    private final UpdateStep step;

    /** One timed stage. */
    public record Stage(String name, double millis, double flops) {
    }

    /** Builds networks, buffers and a full update step for {@code config} on {@code backend}. */
    public StageBreakdown(CalQlConfig config, Backend backend, int reps) {
        this.config = config;
        this.backend = backend;
        this.reps = reps;
        b = config.batchSize();
        n = config.cqlNActions();
        a = config.actionDim();
        k = config.criticEnsembleSize();
        stride = 1 + 3 * n;
        int targetSamples = config.maxTargetBackup() ? n : 1;
        SplittableRandom init = new SplittableRandom(config.seed());
        NetworkSpec criticSpec = NetworkSpec.of(config.observationDim() + a, config.qHidden(), 1);
        NetworkSpec policySpec = NetworkSpec.of(config.observationDim(), config.policyHidden(), 2 * a);
        critics = new Network[k];
        targets = new Network[k];
        stacked = new Workspace[k];
        targetWs = new Workspace[k];
        actorWs = new Workspace[k];
        criticGradients = new ParameterGradients[k];
        criticAdam = new Optimizer[k];
        for (int i = 0; i < k; i++) {
            critics[i] = backend.createNetwork(criticSpec);
            critics[i].importParameters(ParameterInitializer.initialize(criticSpec, config.initialization(), init));
            targets[i] = backend.createNetwork(criticSpec);
            targets[i].copyParametersFrom(critics[i]);
            stacked[i] = critics[i].newWorkspace(b * stride);
            targetWs[i] = targets[i].newWorkspace(b * targetSamples);
            actorWs[i] = critics[i].newWorkspace(b);
            criticGradients[i] = critics[i].newGradients();
            criticAdam[i] = critics[i].newAdam();
        }
        Network policyNet = backend.createNetwork(policySpec);
        policyNet.importParameters(ParameterInitializer.initialize(policySpec, config.initialization(), init));
        policy = new TanhGaussianPolicy(policyNet, a, config.maxAction(), config.logStdMultiplier(),
                config.logStdOffset());
        passCurrent = policy.newPass(b);
        passNext = policy.newPass(b);
        policyGradients = policyNet.newGradients();
        policyAdam = policyNet.newAdam();
        batch = BenchConfigs.randomBatch(config, 11L);
        penaltyInputs = new PenaltyInputs(b, n, a);
        System.arraycopy(batch.returnsToGo(), 0, penaltyInputs.referenceValues(), 0, b);
        policyNoise = new double[b * a];
        targetNoise = new double[b * targetSamples * a];
        randomActions = new double[b * n * a];
        currentNoise = new double[b * n * a];
        nextNoise = new double[b * n * a];
        newActions = new double[b * a];
        newSquashed = new double[b * a];
        newLogPi = new double[b];
        targetActions = new double[b * targetSamples * a];
        targetSquashed = new double[b * targetSamples * a];
        targetLogPi = new double[b * targetSamples];
        currentActions = new double[b * n * a];
        nextActions = new double[b * n * a];
        sampleSquashed = new double[b * n * a];
        stackedActions = new double[b * stride * a];
        stackedQ = new double[b * stride];
        stackedGradQ = new double[b * stride];
        targetQ = new double[b * targetSamples];
        actorQ = new double[b];
        actorGradQ = new double[b];
        actorGradTail = new double[b * a];
        SplittableRandom rng = new SplittableRandom(13);
        for (int i = 0; i < b; i++) {
            actorGradQ[i] = -1.0 / b;
        }
        step = new UpdateStep(config, backend, UpdateDraws.from(new Rng(config.seed())));
        // one pass of everything so that every buffer holds sensible values
        sampling();
        policy.forward(passCurrent, batch.observations(), b);
        policy.forward(passNext, batch.nextObservations(), b);
        sampling();
        BenchConfigs.fillGaussian(rng, passCurrent.gradMean());
        BenchConfigs.fillGaussian(rng, passCurrent.gradLogStd());
    }

    /** Draws and tanh-Gaussian sampling of one update, and stacking of the critic's action sets. */
    private void sampling() {
        draws();
        tanhGaussian();
    }

    /** The update's random draws ({@code UpdateDraws.from(Rng)}, as {@code UpdateStep.drawAll}). */
    private void draws() {
        draws.fill(DrawKind.POLICY_NOISE, policyNoise, policyNoise.length);
        draws.fill(DrawKind.TARGET_NOISE, targetNoise, targetNoise.length);
        draws.fill(DrawKind.RANDOM_ACTIONS, randomActions, randomActions.length);
        draws.fill(DrawKind.CURRENT_NOISE, currentNoise, currentNoise.length);
        draws.fill(DrawKind.NEXT_NOISE, nextNoise, nextNoise.length);
    }

    /** The four {@code TanhGaussian.sample} calls of an update and the stacking of the action sets. */
    private void tanhGaussian() {
        double max = config.maxAction();
        TanhGaussian.sample(passCurrent.mean(), passCurrent.logStd(), b, 1, a, policyNoise, max, newActions,
                newSquashed, newLogPi);
        int ts = targetLogPi.length / b;
        TanhGaussian.sample(passNext.mean(), passNext.logStd(), b, ts, a, targetNoise, max, targetActions,
                targetSquashed, targetLogPi);
        TanhGaussian.sample(passCurrent.mean(), passCurrent.logStd(), b, n, a, currentNoise, max, currentActions,
                sampleSquashed, penaltyInputs.logProbCurrent());
        TanhGaussian.sample(passNext.mean(), passNext.logStd(), b, n, a, nextNoise, max, nextActions,
                sampleSquashed, penaltyInputs.logProbNext());
        for (int r = 0; r < b; r++) {
            int dst = r * stride * a;
            System.arraycopy(batch.actions(), r * a, stackedActions, dst, a);
            System.arraycopy(randomActions, r * n * a, stackedActions, dst + a, n * a);
            System.arraycopy(nextActions, r * n * a, stackedActions, dst + (1 + n) * a, n * a);
            System.arraycopy(currentActions, r * n * a, stackedActions, dst + (1 + 2 * n) * a, n * a);
        }
    }

    private void stackedForward() {
        for (int i = 0; i < k; i++) {
            critics[i].forward(stacked[i], batch.observations(), stackedActions, a, b, stride, stackedQ);
        }
    }

    private void stackedForwardBackward() {
        for (int i = 0; i < k; i++) {
            critics[i].forward(stacked[i], batch.observations(), stackedActions, a, b, stride, stackedQ);
            config.regularizer().evaluate(penaltyInputs, stackedQ, stackedGradQ);
            criticGradients[i].zero();
            critics[i].backward(stacked[i], stackedGradQ, criticGradients[i], null, null);
        }
    }

    private void regularizer() {
        for (int i = 0; i < k; i++) {
            config.regularizer().evaluate(penaltyInputs, stackedQ, stackedGradQ);
        }
    }

    private void targetForward() {
        int ts = targetLogPi.length / b;
        for (int i = 0; i < k; i++) {
            targets[i].forward(targetWs[i], batch.nextObservations(), targetActions, a, b, ts, targetQ);
        }
    }

    private void actorPass() {
        for (int i = 0; i < k; i++) {
            critics[i].forward(actorWs[i], batch.observations(), newActions, a, b, 1, actorQ);
            critics[i].backward(actorWs[i], actorGradQ, null, null, actorGradTail);
        }
    }

    private void policyForward() {
        policy.forward(passCurrent, batch.observations(), b);
        policy.forward(passNext, batch.nextObservations(), b);
    }

    private void policyBackward() {
        policyGradients.zero();
        scalarGradients[0] = 0.0;
        scalarGradients[1] = 0.0;
        policy.backward(passCurrent, policyGradients, scalarGradients);
    }

    private void adam() {
        for (int i = 0; i < k; i++) {
            criticAdam[i].step(criticGradients[i], 1e-12);
        }
        policyAdam.step(policyGradients, 1e-12);
    }

    private void softUpdate() {
        for (int i = 0; i < k; i++) {
            targets[i].softUpdateFrom(critics[i], config.tau());
        }
    }

    /** Median milliseconds of one call of {@code body} over {@link #reps} timed calls, after a warm-up. */
    private double time(Runnable body) {
        int warm = Math.max(3, reps / 3);
        for (int i = 0; i < warm; i++) {
            body.run();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    /** Times every stage and the full update; the last entry is the full update, the one before it the rest. */
    public List<Stage> run() {
        int obs = config.observationDim();
        int[] q = config.qHidden();
        int[] pi = EssentialFlops.widths(obs, config.policyHidden(), 2 * a);
        long stackedRows = (long) b * stride;
        double fwdQ = EssentialFlops.criticForward(b, stackedRows, obs, a, q);
        EssentialFlops.Breakdown essential = EssentialFlops.breakdown(config);

        List<Stage> stages = new ArrayList<>();
        double fullBefore = time(() -> step.update(batch));
        stages.add(new Stage("policy forward (s and s')", time(this::policyForward),
                2 * EssentialFlops.mlpForward(b, pi)));
        stages.add(new Stage("policy backward (param grads)", time(this::policyBackward),
                EssentialFlops.mlpForward(b, pi) + EssentialFlops.mlpInputGradient(b, pi)));
        stages.add(new Stage("random draws: UpdateDraws/Rng (core)", time(this::draws), 0));
        stages.add(new Stage("TanhGaussian.sample ×4 + stacking actions (core)", time(this::tanhGaussian), 0));
        double forward = time(this::stackedForward);
        double regularizer = time(this::regularizer);
        double forwardBackward = time(this::stackedForwardBackward);
        stages.add(new Stage(k + "× critic stacked forward (" + stackedRows + " rows)", forward, k * fwdQ));
        stages.add(new Stage(k + "× regularizer evaluate (core)", regularizer, 0));
        stages.add(new Stage(k + "× critic stacked backward (param grads)",
                Math.max(0.0, forwardBackward - forward - regularizer), k * (essential.criticStacked() - fwdQ)));
        stages.add(new Stage(k + "× target forward (" + (targetLogPi.length) + " rows)", time(this::targetForward),
                k * essential.target()));
        stages.add(new Stage(k + "× actor pass (forward + action gradient, " + b + " rows)", time(this::actorPass),
                k * essential.actor()));
        stages.add(new Stage("Adam steps (" + k + " critics + policy)", time(this::adam), 0));
        stages.add(new Stage(k + "× soft target update", time(this::softUpdate), 0));
        // the full update again, now that every stage is warm; the lower median counts (less interference)
        double full = Math.min(fullBefore, time(() -> step.update(batch)));
        double sum = stages.stream().mapToDouble(Stage::millis).sum();
        stages.add(new Stage("rest of UpdateStep.update (glue, TD target, checks)", full - sum, 0));
        stages.add(new Stage("full update", full, essential.total()));
        return stages;
    }

    /**
     * A cross-check of the JMH ratio that is robust to other load on the machine: full updates and
     * {@code 7936x256x256} sgemm calls alternate in this JVM, so both see the same interference.
     *
     * @return {median update ms, median sgemm GFLOP/s, min update ms, max sgemm GFLOP/s}
     */
    public double[] interleaved() {
        Backends.named("nd4j");
        INDArray x = Nd4j.rand(DataType.FLOAT, 7936, 256).dup('f');
        INDArray w = Nd4j.rand(DataType.FLOAT, 256, 256).dup('f');
        INDArray y = Nd4j.create(DataType.FLOAT, new long[] {7936, 256}, 'f');
        double gemmFlops = 2.0 * 7936 * 256 * 256;
        int inner = 8;
        double[] update = new double[reps];
        double[] rate = new double[reps];
        for (int i = -3; i < reps; i++) {
            long t0 = System.nanoTime();
            step.update(batch);
            long t1 = System.nanoTime();
            for (int j = 0; j < inner; j++) {
                Nd4j.gemm(x, w, y, false, true, 1.0, 0.0);
            }
            long t2 = System.nanoTime();
            if (i >= 0) {
                update[i] = (t1 - t0) / 1e6;
                rate[i] = inner * gemmFlops / (t2 - t1); // GFLOP/s
            }
        }
        Arrays.sort(update);
        Arrays.sort(rate);
        return new double[] {update[reps / 2], rate[reps / 2], update[0], rate[reps - 1]};
    }

    /** Prints {@link #run()} as a table, then {@link #interleaved()}; returns the latter's median-based ratio. */
    public double print(PrintStream out) {
        List<Stage> stages = run();
        double full = stages.get(stages.size() - 1).millis();
        out.printf(Locale.ROOT, "Stage breakdown: %s on %s (median of %d timed calls per stage, one JVM)%n",
                describe(config), backend.name(), reps);
        out.printf(Locale.ROOT, "  %-58s %9s %7s %9s %9s%n", "stage", "ms", "share", "GFLOP", "GFLOP/s");
        for (Stage s : stages) {
            String gflop = s.flops() > 0 ? String.format(Locale.ROOT, "%9.3f", s.flops() / 1e9) : "        -";
            String rate = s.flops() > 0 && s.millis() > 0
                    ? String.format(Locale.ROOT, "%9.1f", s.flops() / 1e6 / s.millis()) : "        -";
            out.printf(Locale.ROOT, "  %-58s %9.2f %6.1f%% %s %s%n", s.name(), s.millis(),
                    100.0 * s.millis() / full, gflop, rate);
        }
        return printInterleaved(out);
    }

    /** Prints {@link #interleaved()}; returns its median-based ratio to the sgemm bound. */
    public double printInterleaved(PrintStream out) {
        double[] check = interleaved();
        double essential = EssentialFlops.update(config);
        out.printf(Locale.ROOT, "  interleaved with sgemm 7936x256x256 (%d pairs): update median %.1f ms, sgemm median %.1f"
                + " GFLOP/s → ratio %.2f; best update %.1f ms, best sgemm %.1f GFLOP/s → ratio %.2f%n", reps,
                check[0], check[1], check[0] / (essential / 1e6 / check[1]), check[2], check[3],
                check[2] / (essential / 1e6 / check[3]));
        return check[0] / (essential / 1e6 / check[1]);
    }

    private static String describe(CalQlConfig c) {
        return "obs " + c.observationDim() + ", act " + c.actionDim() + ", Q " + Arrays.toString(c.qHidden())
                + ", π " + Arrays.toString(c.policyHidden()) + ", B " + c.batchSize() + ", N " + c.cqlNActions();
    }

    /** {@code [config (antmaze)] [backend (nd4j)] [reps (15)]}. */
    public static void main(String[] args) {
        String config = args.length > 0 ? args[0] : "antmaze";
        String backend = args.length > 1 ? args[1] : "nd4j";
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        new StageBreakdown(BenchConfigs.named(config), Backends.named(backend), reps).print(System.out);
    }
}
