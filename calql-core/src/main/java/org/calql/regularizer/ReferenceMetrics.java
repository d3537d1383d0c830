package org.calql.regularizer;

import java.util.List;

/**
 * How the policy-action Q-values of one update stand against each reference: for reference {@code j} (the
 * configured one, and for a maximum of several also each of its {@link ReferenceValues#parts()}), the bound rate
 * {@code mean 1[Q_k(s, a_π) < V_j(s)]} and the mean gap {@code mean (Q_k(s, a_π) − V_j(s))}, over the batch's
 * states, every critic {@code k} and the policy's actions {@code a_π}: the sampled current-policy actions of a
 * continuous update, the greedy action of a discrete one. Cal-QL aims at a bound rate near 0 where the data supports
 * the reference; a positive gap is the calibration margin, in critic units.
 *
 * @param names     the references, configured one first (its {@code toString()})
 * @param boundRate per reference, the share of policy-action Q-values strictly below it
 * @param meanGap   per reference, the mean of {@code Q − V_ref}
 */
public record ReferenceMetrics(List<String> names, double[] boundRate, double[] meanGap) {
    /** No metrics (an update that did not measure them). */
    public static final ReferenceMetrics NONE = new ReferenceMetrics(List.of(), new double[0], new double[0]);

    /** @throws IllegalArgumentException if the lengths differ */
    public ReferenceMetrics {
        names = List.copyOf(names);
        if (boundRate.length != names.size() || meanGap.length != names.size()) {
            throw new IllegalArgumentException("reference metrics need one bound rate and one gap per name, found "
                    + names.size() + " names, " + boundRate.length + " and " + meanGap.length);
        }
    }

    /** The bound rate of the configured reference (NaN when none was measured). */
    public double boundRateOfReference() {
        return boundRate.length == 0 ? Double.NaN : boundRate[0];
    }

    /** The mean gap of the configured reference (NaN when none was measured). */
    public double meanGapOfReference() {
        return meanGap.length == 0 ? Double.NaN : meanGap[0];
    }
}
