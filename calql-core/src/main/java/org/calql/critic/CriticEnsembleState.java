package org.calql.critic;

import org.calql.spi.AdamState;

/**
 * Every learned value of a {@link CriticEnsemble}: each critic's and target's parameters in the layout of
 * {@link org.calql.spi.Network#exportParameters()}, and each critic's Adam state.
 *
 * @param critics    {@code [K][arrays][values]}
 * @param targets    {@code [K][arrays][values]}
 * @param optimizers {@code [K]}
 */
public record CriticEnsembleState(double[][][] critics, double[][][] targets, AdamState[] optimizers) {
    /**
     * The same parameters and targets with every critic's Adam state fresh: zero moments and step count 0, as a
     * newly created optimizer starts.
     */
    public CriticEnsembleState withFreshOptimizers() {
        AdamState[] fresh = new AdamState[optimizers.length];
        for (int k = 0; k < fresh.length; k++) {
            AdamState a = optimizers[k];
            fresh[k] = new AdamState(0, zerosLike(a.firstMoment()), zerosLike(a.secondMoment()));
        }
        return new CriticEnsembleState(critics, targets, fresh);
    }

    private static double[][] zerosLike(double[][] arrays) {
        double[][] z = new double[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            z[i] = new double[arrays[i].length];
        }
        return z;
    }
}
