package org.calql.update;

import org.calql.regularizer.ReferenceMetrics;

/**
 * Losses and diagnostics of one update, all computed at the parameters before the step. Per-critic
 * arrays have one entry per critic.
 *
 * @param step               1-based number of this update
 * @param tdLoss             {@code mean((Q_k(s,a) − y)²)}
 * @param conservativeGap    the regularizer's value per critic (CQL's {@code cql_qf_diff})
 * @param conservativeLoss   the weighted conservative term per critic ({@code cql_min_qf_loss})
 * @param averageQ           {@code mean Q_k(s, a_data)}
 * @param boundRateCurrent   fraction of {@code Q_k(s, a_cur)} strictly below {@code V_ref(s)}
 * @param boundRateNext      fraction of {@code Q_k(s, a_next)} strictly below {@code V_ref(s)}
 * @param policyLoss         {@code mean(α·log π − min_k Q_k(s, ã))} (or the behaviour-cloning loss)
 * @param alphaLoss          temperature loss (0 without auto-tuning)
 * @param alphaPrimeLoss     Lagrange multiplier loss (0 without Lagrange)
 * @param alpha              temperature used in this update
 * @param alphaPrime         Lagrange multiplier used (0 without Lagrange)
 * @param logPi              {@code mean log π(ã|s)}
 * @param averageTargetQ     mean backed-up target value (after any entropy term)
 * @param reference          bound rate and mean gap {@code Q − V_ref} of the policy-action Q-values per reference
 *                           ({@link ReferenceMetrics#NONE} when not measured)
 */
public record UpdateResult(long step, double[] tdLoss, double[] conservativeGap, double[] conservativeLoss,
                           double[] averageQ, double[] boundRateCurrent, double[] boundRateNext,
                           double policyLoss, double alphaLoss, double alphaPrimeLoss, double alpha,
                           double alphaPrime, double logPi, double averageTargetQ,
                           ReferenceMetrics reference) {
    /** A result without reference metrics ({@link ReferenceMetrics#NONE}). */
    public UpdateResult(long step, double[] tdLoss, double[] conservativeGap, double[] conservativeLoss,
                        double[] averageQ, double[] boundRateCurrent, double[] boundRateNext, double policyLoss,
                        double alphaLoss, double alphaPrimeLoss, double alpha, double alphaPrime, double logPi,
                        double averageTargetQ) {
        this(step, tdLoss, conservativeGap, conservativeLoss, averageQ, boundRateCurrent, boundRateNext, policyLoss,
                alphaLoss, alphaPrimeLoss, alpha, alphaPrime, logPi, averageTargetQ, ReferenceMetrics.NONE);
    }
}
