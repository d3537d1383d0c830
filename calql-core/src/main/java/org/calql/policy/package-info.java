/**
 * Policies: the {@link org.calql.policy.Policy} seam (sampling from injected noise, log-probabilities, the
 * deterministic action, the backward pass, parameters with their optimizer state), the factory an agent builds
 * its policy with, and the reference code's tanh-Gaussian policy with its math ({@link
 * org.calql.policy.TanhGaussian}); for discrete actions the greedy policy over critics
 * ({@link org.calql.policy.GreedyPolicy}) and ε-greedy exploration ({@link org.calql.policy.EpsilonGreedyPolicy}
 * with a {@link org.calql.policy.LinearDecay}).
 */
package org.calql.policy;
