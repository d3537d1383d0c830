package org.calql.train;

/**
 * Deterministic-policy evaluation episodes at one point of training, with the calibration diagnostic:
 * the learned value of the start states next to the discounted return the policy really obtained from
 * them (both in the training reward scale, i.e. after the reward transform).
 *
 * @param phase                   when it was taken
 * @param step                    updates (pre-training) or environment steps (fine-tuning) so far
 * @param episodes                episodes run
 * @param averageReturn           mean undiscounted return in raw environment rewards
 * @param successRate             fraction of episodes whose info flagged success
 * @param startQ                  mean over episodes of {@code mean_k Q_k(s₀, π(s₀))}
 * @param realisedDiscountedReturn mean over episodes of {@code Σ_t γᵗ·r'_t} with transformed rewards
 */
public record EvaluationResult(Phase phase, long step, int episodes, double averageReturn, double successRate,
                               double startQ, double realisedDiscountedReturn) {
}
