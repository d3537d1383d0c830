package org.calql.update;

/**
 * Every learned value of an update step (or, from {@link UpdateStep#lastGradients()}, the gradients with respect
 * to them; then {@code targetCritics} is null).
 *
 * @param critics       {@code [K][arrays][values]}, each critic in the layout of
 *                      {@link org.calql.spi.Network#exportParameters()}
 * @param targetCritics {@code [K][arrays][values]}
 * @param policy        the policy's parameters in its own layout (see {@link org.calql.policy.PolicyState});
 *                      for the tanh-Gaussian policy the network's arrays, then {@code [logStdMultiplier]} and
 *                      {@code [logStdOffset]}
 * @param logAlpha      the temperature's log
 * @param logAlphaPrime the Lagrange multiplier's log
 */
public record ModelParameters(double[][][] critics, double[][][] targetCritics, double[][] policy,
                              double logAlpha, double logAlphaPrime) {
}
