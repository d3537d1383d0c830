package org.calql.critic;

/**
 * When and how far target critics follow the critics: after update {@code t} (numbered from 1), when
 * {@code t mod period = 0}, every target moves {@code θ̄ ← (1 − τ)·θ̄ + τ·θ}. {@code τ = 1} is a hard copy, so
 * {@code (τ, 1)} is the soft update of SAC-style methods and {@code (1, P)} the periodic sync of DQN.
 *
 * @param tau    step toward the critics, in {@code (0, 1]}
 * @param period updates between target moves, at least 1
 */
public record TargetUpdate(double tau, int period) {
    /** @throws IllegalArgumentException if {@code tau} is outside {@code (0, 1]} or {@code period < 1} */
    public TargetUpdate {
        if (!(tau > 0.0 && tau <= 1.0)) {
            throw new IllegalArgumentException("tau must be in (0, 1], found " + tau);
        }
        if (period < 1) {
            throw new IllegalArgumentException("target update period must be at least 1, found " + period);
        }
    }

    /** Whether the targets move after update {@code step} (numbered from 1). */
    public boolean isDue(long step) {
        return step % period == 0;
    }
}
