/**
 * Actor-Critic Alignment (Yu &amp; Zhang, ICML 2023): the second offline-to-online method on the same trainer.
 *
 * <p>Offline, "SAC+ML": SAC's soft Bellman critics (no conservative term), an actor that adds a maximum-likelihood
 * term {@code −E_D[log π(a|s)]} to {@code λ·E[α log π − min Q]} with {@code λ = w_ML / mean|Q|}, auto-tuned α, and a
 * state-value ensemble {@code Z_i(s)} fitted so that {@code log π(a|s) + Z_i(s)} is a soft Q-value. Then the
 * alignment step ({@link org.calql.aca.Alignment}): π₀ frozen, α reset to 1, each online critic {@code R_i} takes
 * {@code Z_i}'s weights with its action columns zeroed, targets hard-synced. Online, plain SAC on the reparameterised
 * critic {@code Q_i = R_i + w·ℓ}, {@code ℓ = softplus(log π₀ − c) + c} ({@link org.calql.aca.ReparameterisedCritic}),
 * with {@code w} falling linearly to a floor ({@link org.calql.aca.InterpolationSchedule}).
 *
 * <p>{@link org.calql.aca.AcaConfig} holds the settings and the authors' presets; {@link org.calql.aca.AcaUpdate} is
 * the update rule; {@code org.calql.agent.AcaAgent} is the agent the {@code Trainer} runs. All math is on primitive
 * arrays here; networks run through the {@code org.calql.spi} backend.
 */
package org.calql.aca;
