package org.calql.examples.report;

import java.util.List;

/**
 * What one run (one method, one seed) produced.
 *
 * @param method             the method's label
 * @param seed               the run's seed
 * @param rows               its evaluations in order
 * @param cumulativeRegret   mean of {@code 1 − success} over its fine-tuning episodes (NaN without fine-tuning)
 * @param datasetStartQ      mean learned {@code Q(s₀, π(s₀))} over the dataset's episode starts after pre-training
 * @param datasetStartReturn mean Monte-Carlo return-to-go of those states (transformed rewards)
 * @param seconds            wall time of the run
 */
public record RunOutcome(String method, long seed, List<EvaluationRow> rows, double cumulativeRegret,
                         double datasetStartQ, double datasetStartReturn, double seconds) {
    /** Copies the rows. */
    public RunOutcome {
        rows = List.copyOf(rows);
    }
}
