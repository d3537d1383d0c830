package org.calql.policy;

/** Gradients with respect to every parameter of one {@link Policy}, in the layout of its {@link PolicyState}. */
public interface PolicyGradients {
    /** Sets every gradient to zero. */
    void zero();

    /** A copy in the layout of {@link PolicyState#parameters()}. */
    double[][] export();

    /**
     * Multiplies every gradient by {@code factor} (gradient-norm clipping).
     *
     * @throws UnsupportedOperationException by default, for gradients that cannot be scaled in place
     */
    default void scale(double factor) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot scale its gradients");
    }
}
