package org.calql.examples.report;

/**
 * Facts about the offline dataset for the summary.
 *
 * @param transitions          transitions kept
 * @param episodes             episodes
 * @param terminals            terminal transitions
 * @param behaviourSuccessRate fraction of the behaviour's episodes that succeeded (NaN if unknown)
 * @param meanStartReturn      mean Monte-Carlo return-to-go at the episodes' start states (transformed rewards)
 */
public record DatasetFacts(int transitions, int episodes, int terminals, double behaviourSuccessRate,
                           double meanStartReturn) {
}
