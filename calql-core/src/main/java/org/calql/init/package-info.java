/**
 * Initial parameters for networks of any backend: {@link org.calql.init.ParameterInitializer} draws the
 * parameters of a {@link org.calql.spi.NetworkSpec} the way the Cal-QL reference code does
 * ({@code init_module_weights} in CORL: PyTorch's {@code nn.Linear} default or orthogonal, see
 * {@link org.calql.spi.Initialization}), reproducibly from an injected {@link java.util.SplittableRandom},
 * in the spec's parameter layout; a backend receives them with
 * {@link org.calql.spi.Network#importParameters(double[][])}. LayerNorm gains start at 1 and shifts at 0
 * without consuming random numbers.
 */
package org.calql.init;
