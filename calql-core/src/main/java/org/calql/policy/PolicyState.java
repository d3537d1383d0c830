package org.calql.policy;

import org.calql.spi.AdamState;

/**
 * Every learned value of a {@link Policy} and its optimizer state. The layout of {@code parameters} is the
 * policy's own (see its class javadoc); the optimizer's moments have the same layout.
 *
 * @param parameters the parameter arrays
 * @param optimizer  Adam's step count and moments over {@code parameters}
 */
public record PolicyState(double[][] parameters, AdamState optimizer) {
}
