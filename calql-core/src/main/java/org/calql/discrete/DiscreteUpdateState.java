package org.calql.discrete;

import org.calql.critic.CriticEnsembleState;

/**
 * Everything a {@link DiscreteUpdateStep} needs to continue bit for bit: the critics, their targets and Adam
 * states, and the number of updates taken (which decides when the targets move).
 *
 * @param critics the ensemble's state
 * @param steps   updates taken so far, not negative
 */
public record DiscreteUpdateState(CriticEnsembleState critics, long steps) {
}
