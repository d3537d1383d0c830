package org.calql.regularizer;

/** The two standard regularizers with their default settings. */
public final class Regularizers {
    private Regularizers() {
    }

    /** CQL(H) with temperature 1, importance sampling, no clipping. */
    public static CqlRegularizer cql() {
        return CqlRegularizer.builder().build();
    }

    /** Cal-QL: {@link #cql()} with policy-action Q-values bounded below by {@code V_ref}. */
    public static CqlRegularizer calQl() {
        return CqlRegularizer.builder().calibration(Calibration.lowerBound()).build();
    }
}
