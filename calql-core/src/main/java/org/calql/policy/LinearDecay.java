package org.calql.policy;

/**
 * A value that moves linearly from {@code start} to {@code end} over {@code steps} steps and then stays at
 * {@code end}: {@code value(t) = start + (end − start)·min(t, steps)/steps} for {@code t ≥ 0}
 * ({@code steps = 0}: {@code end} from the first step). The exploration rate of {@link EpsilonGreedyPolicy}, as in
 * DQN's linearly annealed ε (Mnih et al. 2015). Immutable.
 *
 * @param start value at step 0, in {@code [0, 1]}
 * @param end   value from step {@code steps} on, in {@code [0, 1]}
 * @param steps length of the decay, not negative
 */
public record LinearDecay(double start, double end, long steps) {
    /** @throws IllegalArgumentException naming the field, the value and the rule */
    public LinearDecay {
        if (!(start >= 0 && start <= 1)) {
            throw new IllegalArgumentException("epsilon start must lie in [0, 1], found " + start);
        }
        if (!(end >= 0 && end <= 1)) {
            throw new IllegalArgumentException("epsilon end must lie in [0, 1], found " + end);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("epsilon decay steps must not be negative, found " + steps);
        }
    }

    /** A constant {@code value}. */
    public static LinearDecay constant(double value) {
        return new LinearDecay(value, value, 0);
    }

    /**
     * The value at step {@code step}.
     *
     * @throws IllegalArgumentException if {@code step < 0}
     */
    public double value(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative, found " + step);
        }
        if (step >= steps) {
            return end;
        }
        return start + (end - start) * ((double) step / steps);
    }
}
