package org.calql.spi;

/**
 * Adam with PyTorch semantics ({@code torch.optim.Adam}: β = (0.9, 0.999), ε = 1e-8 added to the
 * bias-corrected root of the second moment, bias correction on both moments, no weight decay) bound
 * to one {@link Network}.
 */
public interface Optimizer {
    /** One Adam step on the bound network's parameters from {@code gradients} with step size {@code learningRate}. */
    void step(ParameterGradients gradients, double learningRate);

    /** A copy of the optimizer's state. */
    AdamState exportState();

    /**
     * Replaces the optimizer's state.
     *
     * @throws IllegalArgumentException if the moments do not have the network's layout
     */
    void importState(AdamState state);
}
