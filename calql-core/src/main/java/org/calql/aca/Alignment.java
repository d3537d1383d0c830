package org.calql.aca;

import java.util.Arrays;
import org.calql.critic.CriticEnsemble;

/**
 * ACA's critic initialisation before fine-tuning (the authors' {@code critic_init}): each online critic {@code R_i}
 * takes {@code Z_i}'s weights, its first layer's observation columns from {@code Z_i}'s first layer and its action
 * columns zeroed, so that {@code R_i(s,a) = Z_i(s)} for every action; then every target is hard-synced to its
 * critic. Critic and Z networks must have the same hidden layers.
 */
public final class Alignment {
    private Alignment() {
    }

    /**
     * Copies {@code z} into {@code critics} as above.
     *
     * @param observationDim the width of the observation, the leading columns of a critic's input
     * @throws IllegalArgumentException if the ensembles differ in size or layout; nothing changes then
     */
    public static void align(ZEnsemble z, CriticEnsemble critics, int observationDim) {
        if (z.size() != critics.size()) {
            throw new IllegalArgumentException("alignment needs as many Z networks as critics, found " + z.size()
                    + " and " + critics.size());
        }
        double[][][] aligned = new double[critics.size()][][];
        for (int k = 0; k < critics.size(); k++) {
            aligned[k] = alignedParameters(z.network(k).exportParameters(), critics.critic(k).exportParameters(),
                    observationDim, k);
        }
        for (int k = 0; k < critics.size(); k++) {
            critics.critic(k).importParameters(aligned[k]);
            critics.target(k).copyParametersFrom(critics.critic(k));
        }
    }

    /** {@code zParameters} in the critic's layout: the first weight matrix widened by zero action columns. */
    static double[][] alignedParameters(double[][] zParameters, double[][] criticParameters, int observationDim,
                                        int k) {
        if (zParameters.length != criticParameters.length) {
            throw new IllegalArgumentException("Z network " + k + " has " + zParameters.length
                    + " parameter arrays, critic " + k + " " + criticParameters.length + ": their layers must match");
        }
        double[][] out = new double[criticParameters.length][];
        double[] zw = zParameters[0];
        double[] cw = criticParameters[0];
        int rows = zw.length / observationDim;
        if (rows * observationDim != zw.length || cw.length % rows != 0 || cw.length / rows < observationDim) {
            throw new IllegalArgumentException("Z network " + k + "'s first layer (" + zw.length
                    + " weights) does not fit critic " + k + "'s (" + cw.length + ") with observationDim "
                    + observationDim);
        }
        int inputs = cw.length / rows;
        double[] w = new double[cw.length];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(zw, r * observationDim, w, r * inputs, observationDim);
        }
        out[0] = w;
        for (int i = 1; i < out.length; i++) {
            if (zParameters[i].length != criticParameters[i].length) {
                throw new IllegalArgumentException("Z network " + k + "'s parameter array " + i + " has "
                        + zParameters[i].length + " values, critic " + k + "'s " + criticParameters[i].length);
            }
            out[i] = Arrays.copyOf(zParameters[i], zParameters[i].length);
        }
        return out;
    }
}
