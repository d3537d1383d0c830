package org.calql.update;

/**
 * Every learned value of an agent (or, from {@link UpdateStep#lastGradients()}, the gradient of every
 * one). Network parameters use the layout of {@link org.calql.spi.Network#exportParameters()}:
 * {@code [w0, b0, w1, b1, …]}, weights row-major {@code [out, in]}.
 *
 * @param critics          per critic, its parameters
 * @param targetCritics    per critic, its target's parameters ({@code null} in gradients)
 * @param policy           the policy network's parameters
 * @param logStdMultiplier the policy's log-std multiplier
 * @param logStdOffset     the policy's log-std offset
 * @param logAlpha         the log-temperature
 * @param logAlphaPrime    the log of the Lagrange multiplier
 */
public record ModelParameters(double[][][] critics, double[][][] targetCritics, double[][] policy,
                              double logStdMultiplier, double logStdOffset, double logAlpha, double logAlphaPrime) {
}
