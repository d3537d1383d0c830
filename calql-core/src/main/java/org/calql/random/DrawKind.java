package org.calql.random;

/** The five random draws one update step takes (names follow the conformance cases). */
public enum DrawKind {
    /** Standard normal {@code [B, A]}: actions for the policy and temperature losses. */
    POLICY_NOISE,
    /**
     * Standard normal {@code [B, N, A]} with max-target backup, else {@code [B, A]}: next actions for the TD
     * target.
     */
    TARGET_NOISE,
    /** Uniform in [−1, 1] {@code [B, N, A]}: the random actions of the CQL term. */
    RANDOM_ACTIONS,
    /** Standard normal {@code [B, N, A]}: policy actions at {@code s} for the CQL term. */
    CURRENT_NOISE,
    /** Standard normal {@code [B, N, A]}: policy actions at {@code s'} for the CQL term. */
    NEXT_NOISE
}
