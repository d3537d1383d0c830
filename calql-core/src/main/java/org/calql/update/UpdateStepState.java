package org.calql.update;

import org.calql.spi.AdamState;

/**
 * Everything an {@link UpdateStep} needs to continue bit for bit: parameters, optimizer states and the
 * update count.
 *
 * @param parameters        all learned values
 * @param criticOptimizers  Adam state per critic
 * @param policyOptimizer   Adam state of the policy network
 * @param scalarOptimizers  Adam states {@code [steps, m, v]} of logStdMultiplier, logStdOffset, logAlpha, logAlphaPrime
 * @param steps             updates taken
 */
public record UpdateStepState(ModelParameters parameters, AdamState[] criticOptimizers, AdamState policyOptimizer,
                              double[][] scalarOptimizers, long steps) {
}
