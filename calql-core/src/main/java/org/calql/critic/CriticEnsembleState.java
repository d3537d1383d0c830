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
}
