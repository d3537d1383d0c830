package org.calql.spi;

/**
 * The state of an Adam optimizer, for checkpoints: the number of steps taken and the first and
 * second moment estimates in the layout of {@link Network#exportParameters()}.
 *
 * @param steps          steps taken so far
 * @param firstMoment    exponential average of gradients
 * @param secondMoment   exponential average of squared gradients
 */
public record AdamState(long steps, double[][] firstMoment, double[][] secondMoment) {
}
