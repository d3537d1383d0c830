package org.calql.spi;

/**
 * How a {@link NetworkSpec}'s parameters are initialised, following the Cal-QL reference code
 * ({@code init_module_weights} in CORL).
 */
public enum Initialization {
    /**
     * PyTorch's default {@code nn.Linear} initialisation ({@code U(-1/sqrt(in), 1/sqrt(in))} for
     * weights and biases) for hidden layers; the last layer Xavier-uniform with gain 0.01 and a zero bias.
     */
    PYTORCH_DEFAULT,
    /**
     * Orthogonal weights with gain {@code sqrt(2)} and zero biases for hidden layers; the last layer
     * orthogonal with gain 0.01 and a zero bias.
     */
    ORTHOGONAL
}
