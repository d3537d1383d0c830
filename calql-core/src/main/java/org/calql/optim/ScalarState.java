package org.calql.optim;

/**
 * A scalar parameter and its {@link ScalarAdam} state, for checkpoints.
 *
 * @param value the parameter
 * @param adam  {@code [steps, m, v]} (see {@link ScalarAdam#exportState()})
 */
public record ScalarState(double value, double[] adam) {
}
