package org.calql.train;

/**
 * Progress of a reference-value estimator ({@code org.calql.reference}): fitted Q evaluation, a fitted value
 * network, or rollouts, reported through {@link TrainingListener#onEstimatorProgress}.
 *
 * @param estimator the estimator's name ({@code "fqe"}, {@code "fitted-value"}, {@code "rollouts"})
 * @param done      the updates (or rollout states) done so far
 * @param total     the updates (or rollout states) to do
 * @param loss      the last update's loss (TD or regression mean squared error), NaN for rollouts
 */
public record EstimatorProgress(String estimator, long done, long total, double loss) {
}
