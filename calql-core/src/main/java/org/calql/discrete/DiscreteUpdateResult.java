package org.calql.discrete;

import org.calql.regularizer.ReferenceMetrics;

/**
 * Losses and diagnostics of one discrete update, all at the parameters before the step; per-critic arrays have one
 * entry per critic.
 *
 * @param step           1-based number of this update
 * @param tdLoss         {@code TD_k = mean_b ℓ(y_b − Q_k(s_b, a_b))}
 * @param conservative   the regularizer's value per critic, unweighted ({@code mean_b [logsumexp_a Q̃_k − Q_k(s,a_b)]})
 * @param total          {@code Σ_k (TD_k + cqlAlpha·conservative_k)}, the loss minimised
 * @param averageQ       {@code mean_b Q_k(s_b, a_b)}
 * @param boundRate      fraction of the {@code B·|A|} values {@code Q_k(s_b, a)} strictly below {@code V_ref(s_b)}
 * @param averageTargetQ {@code mean_b min_k Q̄_k(s'_b, a'_b)}
 * @param reference      bound rate and mean gap {@code Q_k(s, greedy(s)) − V_ref(s)} per reference (greedy over
 *                       {@code mean_k Q_k}, lowest index on ties; {@link ReferenceMetrics#NONE} when not measured)
 */
public record DiscreteUpdateResult(long step, double[] tdLoss, double[] conservative, double total,
                                   double[] averageQ, double[] boundRate, double averageTargetQ,
                                   ReferenceMetrics reference) {
    /** A result without reference metrics ({@link ReferenceMetrics#NONE}). */
    public DiscreteUpdateResult(long step, double[] tdLoss, double[] conservative, double total, double[] averageQ,
                                double[] boundRate, double averageTargetQ) {
        this(step, tdLoss, conservative, total, averageQ, boundRate, averageTargetQ, ReferenceMetrics.NONE);
    }
}
