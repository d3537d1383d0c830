/**
 * Optimizers that run on the host, for the few scalar parameters core owns itself (the temperature, the
 * Lagrange multiplier, a policy's log-std affine). Network parameters are stepped by their backend
 * ({@link org.calql.spi.Optimizer}); both follow PyTorch's Adam exactly.
 */
package org.calql.optim;
