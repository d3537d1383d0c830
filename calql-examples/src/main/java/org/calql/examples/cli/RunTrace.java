package org.calql.examples.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.calql.train.EpisodeResult;
import org.calql.train.EvaluationResult;
import org.calql.train.Phase;
import org.calql.train.TrainingListener;
import org.calql.update.UpdateResult;

/**
 * {@code demo --trace}: one run's step-by-step CSV, a row per update, per fine-tuning episode and per evaluation,
 * to see what happens across the switch to online. Columns: {@code kind} (update, episode or eval), {@code phase},
 * {@code step} (updates, or environment steps for episodes and evaluations), then per kind: for updates the means
 * over critics of {@code Q(s,a_data)}, the bound rate (share of {@code Q(s,a_π) < V_ref(s)}), the TD loss and the
 * conservative gap, the mean backed-up target, the temperature α and {@code −mean log π} (the policy's entropy
 * estimate); for episodes the length, raw return and success; for evaluations the success rate, {@code Q(s₀,π(s₀))}
 * and the realised discounted return.
 */
final class RunTrace implements TrainingListener, AutoCloseable {
    static final String HEADER = "kind,phase,step,q_data,bound_rate,td_loss,conservative_gap,target_q,alpha,"
            + "entropy,episode_length,episode_return,success,start_q,realised_return";
    private final BufferedWriter out;

    /** Writes to {@code file}, replacing it. */
    RunTrace(Path file) {
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write(HEADER);
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onUpdate(Phase phase, long step, UpdateResult r) {
        write(String.format(Locale.ROOT, "update,%s,%d,%.5g,%.4f,%.5g,%.5g,%.5g,%.5g,%.5g,,,,,", name(phase), step,
                mean(r.averageQ()), mean(r.boundRateCurrent()), mean(r.tdLoss()), mean(r.conservativeGap()),
                r.averageTargetQ(), r.alpha(), -r.logPi()));
    }

    @Override
    public void onEpisode(EpisodeResult e) {
        write(String.format(Locale.ROOT, "episode,finetune,%d,,,,,,,,%d,%.5g,%d,,", e.environmentStep(), e.length(),
                e.averageReturn(), e.success() ? 1 : 0));
    }

    @Override
    public void onEvaluation(EvaluationResult e) {
        write(String.format(Locale.ROOT, "eval,%s,%d,,,,,,,,,%.5g,%.4f,%.5g,%.5g", name(e.phase()), e.step(),
                e.averageReturn(), e.successRate(), e.startQ(), e.realisedDiscountedReturn()));
    }

    private void write(String line) {
        try {
            out.write(line);
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(Phase p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    private static double mean(double[] v) {
        if (v == null || v.length == 0) {
            return Double.NaN;
        }
        double s = 0.0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
