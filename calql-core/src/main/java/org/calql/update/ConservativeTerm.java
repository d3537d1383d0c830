package org.calql.update;

import org.calql.regularizer.ConservativeRegularizer;
import org.calql.regularizer.PenaltyInputs;

/**
 * The conservative term of one critic: the {@link ConservativeRegularizer}'s gap over the critic's
 * {@code B·(1 + 3N)} stacked Q-values, weighted by {@code cqlAlpha}, or with Lagrange by
 * {@code α'·cqlAlpha} around {@code targetActionGap}, and the bound rates of the policy actions' values below
 * {@code V_ref}.
 */
final class ConservativeTerm {
    private ConservativeTerm() {
    }

    /**
     * Evaluates the regularizer on {@code stackedQ}, writes its gradient scaled by {@code weight} into
     * {@code gradQ}, and returns the unweighted gap.
     */
    static double gap(ConservativeRegularizer regularizer, PenaltyInputs inputs, double[] stackedQ, double[] gradQ,
                      double weight) {
        double gap = regularizer.evaluate(inputs, stackedQ, gradQ);
        int n = inputs.batchSize() * inputs.stride();
        for (int i = 0; i < n; i++) {
            gradQ[i] *= weight;
        }
        return gap;
    }

    /** The loss of a gap: {@code weight·(gap − targetActionGap)} with Lagrange, else {@code weight·gap}. */
    static double loss(double gap, double weight, boolean lagrange, double targetActionGap) {
        return lagrange ? weight * (gap - targetActionGap) : weight * gap;
    }

    /** Fraction of the N entries starting at {@code offset} in each state's block strictly below V_ref. */
    static double boundRate(double[] stackedQ, PenaltyInputs inputs, int offset) {
        int batchSize = inputs.batchSize();
        int stride = inputs.stride();
        int samples = inputs.samples();
        double[] reference = inputs.referenceValues();
        int below = 0;
        for (int b = 0; b < batchSize; b++) {
            int base = b * stride + offset;
            for (int j = 0; j < samples; j++) {
                if (stackedQ[base + j] < reference[b]) {
                    below++;
                }
            }
        }
        return (double) below / (batchSize * samples);
    }
}
