package org.calql.examples.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.calql.train.Phase;

/**
 * The numbers that matter for one method, each as mean ± sd over its runs (seeds).
 *
 * @param method            the method's label
 * @param runs              runs summarised
 * @param pretrainedSuccess success rate at the last pre-training evaluation
 * @param earlyMinSuccess   lowest success rate over the early fine-tuning evaluations
 * @param earlyDrop         {@code pretrainedSuccess − earlyMinSuccess} per run (positive: performance dropped)
 * @param finalSuccess      success rate at the last fine-tuning evaluation
 * @param finalReturn       average return at the last fine-tuning evaluation
 * @param cumulativeRegret  mean of {@code 1 − success} over fine-tuning episodes
 * @param pretrainedQ       learned {@code Q(s₀, π(s₀))} at evaluation start states, end of pre-training
 * @param pretrainedRealised realised discounted return from those states, end of pre-training
 * @param datasetQ          learned Q at the dataset's episode start states after pre-training
 * @param datasetReturn     Monte-Carlo return of those states in the data
 * @param datasetGap        {@code datasetQ − datasetReturn} per run (≥ 0: at or above the behaviour's return)
 */
public record MethodSummary(String method, int runs, Stats pretrainedSuccess, Stats earlyMinSuccess,
                            Stats earlyDrop, Stats finalSuccess, Stats finalReturn, Stats cumulativeRegret,
                            Stats pretrainedQ, Stats pretrainedRealised, Stats datasetQ, Stats datasetReturn,
                            Stats datasetGap) {

    /** The default share of fine-tuning evaluations that count as early. */
    public static final double EARLY_FRACTION = 0.25;

    /**
     * Summarises the runs of one method.
     *
     * @param earlyFraction share of the fine-tuning evaluations (the first ones, at least one) that count as early
     */
    public static MethodSummary of(String method, List<RunOutcome> runs, double earlyFraction) {
        int n = runs.size();
        double[] pre = new double[n];
        double[] earlyMin = new double[n];
        double[] drop = new double[n];
        double[] end = new double[n];
        double[] endReturn = new double[n];
        double[] regret = new double[n];
        double[] preQ = new double[n];
        double[] preRealised = new double[n];
        double[] dataQ = new double[n];
        double[] dataReturn = new double[n];
        double[] gap = new double[n];
        for (int i = 0; i < n; i++) {
            RunOutcome run = runs.get(i);
            EvaluationRow lastPre = last(run.rows(), Phase.PRETRAIN);
            List<EvaluationRow> fine = phase(run.rows(), Phase.FINETUNE);
            pre[i] = lastPre == null ? Double.NaN : lastPre.successRate();
            preQ[i] = lastPre == null ? Double.NaN : lastPre.startQ();
            preRealised[i] = lastPre == null ? Double.NaN : lastPre.realisedReturn();
            if (fine.isEmpty()) {
                earlyMin[i] = Double.NaN;
                end[i] = Double.NaN;
                endReturn[i] = Double.NaN;
            } else {
                int early = Math.max(1, (int) Math.ceil(earlyFraction * fine.size()));
                double min = Double.POSITIVE_INFINITY;
                for (int k = 0; k < early; k++) {
                    min = Math.min(min, fine.get(k).successRate());
                }
                earlyMin[i] = min;
                EvaluationRow lastFine = fine.get(fine.size() - 1);
                end[i] = lastFine.successRate();
                endReturn[i] = lastFine.averageReturn();
            }
            drop[i] = pre[i] - earlyMin[i];
            regret[i] = run.cumulativeRegret();
            dataQ[i] = run.datasetStartQ();
            dataReturn[i] = run.datasetStartReturn();
            gap[i] = dataQ[i] - dataReturn[i];
        }
        return new MethodSummary(method, n, Stats.of(pre), Stats.of(earlyMin), Stats.of(drop), Stats.of(end),
                Stats.of(endReturn), Stats.of(regret), Stats.of(preQ), Stats.of(preRealised), Stats.of(dataQ),
                Stats.of(dataReturn), Stats.of(gap));
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
