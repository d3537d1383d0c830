package org.calql.examples.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.calql.train.Phase;

/**
 * The numbers that matter for one method, each a {@link Stats} over its runs (one value per seed).
 *
 * @param method             the method's label
 * @param runs               runs summarised
 * @param pretrainedSuccess  success rate at the last pre-training evaluation
 * @param earlyMinSuccess    lowest success rate over the early fine-tuning evaluations
 * @param earlyChange        {@code earlyMinSuccess − pretrainedSuccess} per run: negative when performance dropped
 *                           (unlearning), 0 when it held
 * @param finalSuccess       success rate at the last fine-tuning evaluation
 * @param finalReturn        average return at the last fine-tuning evaluation
 * @param cumulativeRegret   mean of {@code 1 − success} over fine-tuning episodes
 * @param pretrainedQ        learned {@code Q(s₀, π(s₀))} at evaluation start states, end of pre-training
 * @param pretrainedRealised realised discounted return from those states, end of pre-training
 * @param pretrainedQError   {@code pretrainedQ − pretrainedRealised} per run (negative: Q below what the policy gets)
 * @param pretrainedQMiss    {@code |pretrainedQ − pretrainedRealised|} per run
 * @param finetunedQ         learned {@code Q(s₀, π(s₀))} at the last fine-tuning evaluation
 * @param finetunedRealised  realised discounted return at the last fine-tuning evaluation
 * @param datasetQ           learned Q at the dataset's episode start states after pre-training
 * @param datasetReturn      Monte-Carlo return of those states in the data
 * @param datasetGap         {@code datasetQ − datasetReturn} per run (≥ 0: at or above the behaviour's return)
 */
public record MethodSummary(String method, int runs, Stats pretrainedSuccess, Stats earlyMinSuccess,
                            Stats earlyChange, Stats finalSuccess, Stats finalReturn, Stats cumulativeRegret,
                            Stats pretrainedQ, Stats pretrainedRealised, Stats pretrainedQError, Stats pretrainedQMiss,
                            Stats finetunedQ,
                            Stats finetunedRealised, Stats datasetQ, Stats datasetReturn, Stats datasetGap) {

    /** The default share of fine-tuning evaluations that count as early. */
    public static final double EARLY_FRACTION = 0.25;

    /**
     * Summarises the runs of one method.
     *
     * @param earlyFraction share of the fine-tuning evaluations (the first ones, at least one) that count as early
     */
    public static MethodSummary of(String method, List<RunOutcome> runs, double earlyFraction) {
        int n = runs.size();
        double[][] v = new double[15][n];
        for (int i = 0; i < n; i++) {
            RunOutcome run = runs.get(i);
            EvaluationRow lastPre = last(run.rows(), Phase.PRETRAIN);
            List<EvaluationRow> fine = phase(run.rows(), Phase.FINETUNE);
            double pre = lastPre == null ? Double.NaN : lastPre.successRate();
            double earlyMin = Double.NaN;
            EvaluationRow lastFine = fine.isEmpty() ? null : fine.get(fine.size() - 1);
            if (!fine.isEmpty()) {
                int early = Math.max(1, (int) Math.ceil(earlyFraction * fine.size()));
                earlyMin = Double.POSITIVE_INFINITY;
                for (int k = 0; k < early; k++) {
                    earlyMin = Math.min(earlyMin, fine.get(k).successRate());
                }
            }
            v[0][i] = pre;
            v[1][i] = earlyMin;
            v[2][i] = earlyMin - pre;
            v[3][i] = lastFine == null ? Double.NaN : lastFine.successRate();
            v[4][i] = lastFine == null ? Double.NaN : lastFine.averageReturn();
            v[5][i] = run.cumulativeRegret();
            v[6][i] = lastPre == null ? Double.NaN : lastPre.startQ();
            v[7][i] = lastPre == null ? Double.NaN : lastPre.realisedReturn();
            v[8][i] = v[6][i] - v[7][i];
            v[9][i] = lastFine == null ? Double.NaN : lastFine.startQ();
            v[10][i] = lastFine == null ? Double.NaN : lastFine.realisedReturn();
            v[11][i] = run.datasetStartQ();
            v[12][i] = run.datasetStartReturn();
            v[13][i] = v[11][i] - v[12][i];
            v[14][i] = Math.abs(v[8][i]);
        }
        return new MethodSummary(method, n, Stats.of(v[0]), Stats.of(v[1]), Stats.of(v[2]), Stats.of(v[3]),
                Stats.of(v[4]), Stats.of(v[5]), Stats.of(v[6]), Stats.of(v[7]), Stats.of(v[8]), Stats.of(v[14]), Stats.of(v[9]),
                Stats.of(v[10]), Stats.of(v[11]), Stats.of(v[12]), Stats.of(v[13]));
    }

    /** The rows of one phase, by step. */
    static List<EvaluationRow> phase(List<EvaluationRow> rows, Phase phase) {
        List<EvaluationRow> out = new ArrayList<>();
        for (EvaluationRow r : rows) {
            if (r.phase() == phase) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparingLong(EvaluationRow::step));
        return out;
    }

    private static EvaluationRow last(List<EvaluationRow> rows, Phase phase) {
        List<EvaluationRow> p = phase(rows, phase);
        return p.isEmpty() ? null : p.get(p.size() - 1);
    }
}
