package org.calql.discrete;

/**
 * The loss {@code ℓ(d)} of a TD error {@code d = y − Q(s, a)}; the TD loss of a critic is {@code mean_B ℓ(d)}.
 */
public enum TdLoss {
    /**
     * Huber with threshold 1, as DQN and d3rlpy's {@code DiscreteCQL} use: {@code ℓ(d) = d²/2} for {@code |d| < 1},
     * else {@code |d| − 1/2} ({@code torch.nn.functional.huber_loss}, δ = 1).
     */
    HUBER {
        @Override
        public double loss(double d) {
            double a = Math.abs(d);
            return a < 1.0 ? 0.5 * d * d : a - 0.5;
        }

        @Override
        public double derivative(double d) {
            return Math.abs(d) < 1.0 ? d : Math.signum(d);
        }
    },
    /** Squared error {@code ℓ(d) = d²}. */
    MSE {
        @Override
        public double loss(double d) {
            return d * d;
        }

        @Override
        public double derivative(double d) {
            return 2.0 * d;
        }
    };

    /** {@code ℓ(d)}. */
    public abstract double loss(double d);

    /** {@code dℓ/dd}. */
    public abstract double derivative(double d);
}
