package org.calql.update;

import org.calql.critic.CriticEnsembleState;
import org.calql.optim.ScalarState;
import org.calql.policy.PolicyState;

/**
 * Everything an {@link UpdateStep} needs to continue bit for bit.
 *
 * @param critics     the critics, targets and their optimizers
 * @param policy      the policy's parameters and optimizer
 * @param temperature {@code logAlpha} and its optimizer
 * @param lagrange    {@code logAlphaPrime} and its optimizer
 * @param steps       updates taken so far
 */
public record UpdateStepState(CriticEnsembleState critics, PolicyState policy, ScalarState temperature,
                              ScalarState lagrange, long steps) {
}
