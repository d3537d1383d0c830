/**
 * One CQL / Cal-QL gradient update (critics, policy, temperature, Lagrange multiplier, targets) on a
 * {@link org.calql.data.TransitionBatch}, with its losses and diagnostics.
 */
package org.calql.update;
