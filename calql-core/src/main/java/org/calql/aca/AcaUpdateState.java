package org.calql.aca;

import org.calql.critic.CriticEnsembleState;
import org.calql.optim.ScalarState;
import org.calql.policy.PolicyState;

/**
 * Everything an {@link AcaUpdate} needs to continue bit for bit.
 *
 * @param policy    the policy π and its Adam state
 * @param critics   the critics ({@code Q_i} offline, {@code R_i} online), targets and Adam states
 * @param z         the {@code Z_i} ensemble and its Adam states
 * @param logAlpha  the temperature's {@code log α} and its Adam state
 * @param reference the frozen π₀ (its optimizer state unused), or null before alignment
 * @param weight    the current w of the reparameterised critic (meaningful online)
 * @param online    whether alignment has happened
 * @param steps     updates taken so far
 */
public record AcaUpdateState(PolicyState policy, CriticEnsembleState critics, CriticEnsembleState z,
                             ScalarState logAlpha, PolicyState reference, double weight, boolean online, long steps) {
}
