package org.calql.update;

import java.util.Arrays;

/**
 * Test helpers for {@link ModelParameters} of the tanh-Gaussian policy, whose policy arrays are the network's,
 * then {@code [logStdMultiplier]} and {@code [logStdOffset]}.
 */
public final class TanhParameters {
    private TanhParameters() {
    }

    /** Parameters from the network layers and the two log-std scalars. */
    public static ModelParameters of(double[][][] critics, double[][][] targets, double[][] policyNetwork,
                                     double logStdMultiplier, double logStdOffset, double logAlpha,
                                     double logAlphaPrime) {
        return new ModelParameters(critics, targets, policy(policyNetwork, logStdMultiplier, logStdOffset), logAlpha,
                logAlphaPrime);
    }

    /** The policy arrays: network layers, then the two scalars. */
    public static double[][] policy(double[][] network, double logStdMultiplier, double logStdOffset) {
        double[][] out = Arrays.copyOf(network, network.length + 2);
        out[network.length] = new double[] {logStdMultiplier};
        out[network.length + 1] = new double[] {logStdOffset};
        return out;
    }

    /** {@code p} with other log-std scalars. */
    public static ModelParameters withScalars(ModelParameters p, double logStdMultiplier, double logStdOffset) {
        return of(p.critics(), p.targetCritics(), network(p.policy()), logStdMultiplier, logStdOffset, p.logAlpha(),
                p.logAlphaPrime());
    }

    /** The network layers of policy arrays. */
    public static double[][] network(double[][] policy) {
        return Arrays.copyOf(policy, policy.length - 2);
    }

    /** The log-std multiplier of {@code p} (or its gradient). */
    public static double multiplier(ModelParameters p) {
        return p.policy()[p.policy().length - 2][0];
    }

    /** The log-std offset of {@code p} (or its gradient). */
    public static double offset(ModelParameters p) {
        return p.policy()[p.policy().length - 1][0];
    }
}
