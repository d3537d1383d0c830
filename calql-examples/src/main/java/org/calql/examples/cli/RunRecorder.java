package org.calql.examples.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.calql.examples.report.EvaluationRow;
import org.calql.train.EpisodeResult;
import org.calql.train.EvaluationResult;
import org.calql.train.Phase;
import org.calql.train.TrainingListener;
import org.calql.update.UpdateResult;

/**
 * A training listener that keeps one run's evaluations as rows, with the mean {@code boundRateCurrent} of
 * the updates since the previous evaluation, and moves a progress display one unit per update.
 */
final class RunRecorder implements TrainingListener {
    private final String method;
    private final long seed;
    private final Progress progress;
    private final PrintWriter log;
    private final List<EvaluationRow> rows = new ArrayList<>();
    private TrainingListener trace = new TrainingListener() { };
    private double boundRateSum;
    private long boundRateCount;
    private double cumulativeRegret = Double.NaN;

    /**
     * @param log where to print a line per evaluation, or null for none
     */
    RunRecorder(String method, long seed, Progress progress, PrintWriter log) {
        this.method = method;
        this.seed = seed;
        this.progress = progress;
        this.log = log;
    }

    /** Also passes every event to {@code trace}. */
    RunRecorder tracing(TrainingListener trace) {
        this.trace = trace;
        return this;
    }

    @Override
    public void onEpisode(EpisodeResult result) {
        trace.onEpisode(result);
        cumulativeRegret = result.cumulativeRegret();
    }

    @Override
    public void onUpdate(Phase phase, long step, UpdateResult result) {
        trace.onUpdate(phase, step, result);
        double[] rates = result.boundRateCurrent();
        if (rates != null && rates.length > 0) {
            double s = 0.0;
            for (double r : rates) {
                s += r;
            }
            boundRateSum += s / rates.length;
            boundRateCount++;
        }
        progress.step(1);
    }

    @Override
    public void onEvaluation(EvaluationResult result) {
        trace.onEvaluation(result);
        EvaluationRow row = EvaluationRow.of(method, seed, result,
                boundRateCount == 0 ? Double.NaN : boundRateSum / boundRateCount,
                result.phase() == Phase.FINETUNE ? cumulativeRegret : Double.NaN);
        boundRateSum = 0.0;
        boundRateCount = 0;
        rows.add(row);
        if (log != null) {
            log.printf(Locale.ROOT, "%s seed %d %s step %d: success %.2f, return %.2f, Q(s0) %.1f, realised %.1f%n",
                    method, seed, result.phase().name().toLowerCase(Locale.ROOT), result.step(), result.successRate(),
                    result.averageReturn(), result.startQ(), result.realisedDiscountedReturn());
            log.flush();
        }
    }

    /** The last evaluation so far, or null. */
    EvaluationRow last() {
        return rows.isEmpty() ? null : rows.get(rows.size() - 1);
    }

    /** The rows so far. */
    List<EvaluationRow> rows() {
        return List.copyOf(rows);
    }
}
