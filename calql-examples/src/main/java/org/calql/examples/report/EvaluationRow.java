package org.calql.examples.report;

import org.calql.train.EvaluationResult;
import org.calql.train.Phase;

/**
 * One evaluation of one run, as a row of {@code metrics.csv}.
 *
 * @param method         the method's label, e.g. {@code calql} or {@code cql}
 * @param seed           the run's seed
 * @param phase          pre-training or fine-tuning
 * @param step           updates (pre-training) or environment steps (fine-tuning) so far in that phase
 * @param averageReturn  mean undiscounted raw return of the evaluation episodes
 * @param successRate    fraction of evaluation episodes that succeeded
 * @param startQ         mean learned {@code Q(s₀, π(s₀))} at the episodes' start states
 * @param realisedReturn mean discounted return the policy obtained from those states (transformed rewards)
 * @param boundRate      mean {@code boundRateCurrent} of the updates since the previous evaluation (NaN if none)
 * @param cumulativeRegret mean of {@code 1 − success} over the fine-tuning (training) episodes ended so far (NaN in
 *                       pre-training and before the first episode ends)
 */
public record EvaluationRow(String method, long seed, Phase phase, long step, double averageReturn,
                            double successRate, double startQ, double realisedReturn, double boundRate,
                            double cumulativeRegret) {

    /** A row from an agent's evaluation. */
    public static EvaluationRow of(String method, long seed, EvaluationResult r, double boundRate,
                                   double cumulativeRegret) {
        return new EvaluationRow(method, seed, r.phase(), r.step(), r.averageReturn(), r.successRate(), r.startQ(),
                r.realisedDiscountedReturn(), boundRate, cumulativeRegret);
    }

    /**
     * The position on one axis through both phases: pre-training steps are shifted to end at 0
     * ({@code step − offlineSteps}), fine-tuning steps are positive.
     */
    public double timelineStep(long offlineSteps) {
        return phase == Phase.PRETRAIN ? step - offlineSteps : step;
    }
}
