package org.calql.policy;

/** Gradients with respect to every parameter of one {@link Policy}, in the layout of its {@link PolicyState}. */
public interface PolicyGradients {
    /** Sets every gradient to zero. */
    void zero();

    /** A copy in the layout of {@link PolicyState#parameters()}. */
    double[][] export();
}
