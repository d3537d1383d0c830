package org.calql.train;

/**
 * One online training episode (stochastic policy or exploration).
 *
 * @param environmentStep environment steps so far when it ended
 * @param length          steps in the episode
 * @param averageReturn   undiscounted return in raw environment rewards
 * @param success         whether the info flagged success
 * @param cumulativeRegret mean of {@code 1 − success} over all fine-tuning episodes so far (the paper's metric)
 */
public record EpisodeResult(long environmentStep, int length, double averageReturn, boolean success,
                            double cumulativeRegret) {
}
