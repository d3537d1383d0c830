package org.calql.spi;

/**
 * Gradients of a loss with respect to every parameter of one {@link Network}, held by the backend.
 * {@link Network#backward} adds into them; {@link #zero()} clears them.
 */
public interface ParameterGradients {
    /** Sets every gradient to zero. */
    void zero();

    /** A copy in the layout of {@link Network#exportParameters()}. */
    double[][] export();

    /** Multiplies every gradient by {@code factor}. */
    void scale(double factor);
}
