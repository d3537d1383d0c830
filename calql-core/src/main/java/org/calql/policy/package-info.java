/**
 * Policies: the {@link org.calql.policy.Policy} seam (sampling from injected noise, log-probabilities, the
 * deterministic action, the backward pass, parameters with their optimizer state), the factory an agent builds
 * its policy with, and the reference code's tanh-Gaussian policy with its math ({@link
 * org.calql.policy.TanhGaussian}).
 */
package org.calql.policy;
