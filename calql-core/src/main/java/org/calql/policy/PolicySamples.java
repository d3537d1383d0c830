package org.calql.policy;

/**
 * Actions a {@link Policy} sampled, {@code samplesPerRow()} per observation, with their log-probabilities and
 * whatever the policy needs to chain gradients back through them. Created by {@link Policy#newSamples}; not
 * thread-safe.
 */
public interface PolicySamples {
    /** Actions drawn for each observation. */
    int samplesPerRow();

    /** Observations of the last sampling. */
    int rows();

    /** {@code [rows, samplesPerRow, actionDim]}: the sampled actions. */
    double[] actions();

    /** {@code [rows, samplesPerRow]}: {@code log π(a | s)} of each sampled action. */
    double[] logProbs();
}
