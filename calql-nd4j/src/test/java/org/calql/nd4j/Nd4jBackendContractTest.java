package org.calql.nd4j;

import org.calql.spi.AbstractBackendContractTest;
import org.calql.spi.Backend;

/** The shared backend contract on the ND4J backend, against the plain-Java oracle, with float32 tolerance. */
class Nd4jBackendContractTest extends AbstractBackendContractTest {
    @Override
    protected Backend backend() {
        return Nd4jBackend.create();
    }

    /** Float32: the tolerance the contract documents for a float32 backend. */
    @Override
    protected double tolerance() {
        return 1e-4;
    }

    /**
     * Float32 forward passes carry relative rounding of about 1e-7 of the loss, which a step of 1e-5 would turn
     * into errors of 1e-2; a step of 1e-2 keeps that noise near 1e-5 of the loss's scale, and the Richardson
     * extrapolation keeps the truncation error near {@code h⁴}.
     */
    /** Float32 central differences cannot resolve a LayerNorm over two units (see the base's javadoc). */
    @Override
    protected int narrowestLayerNormWidth() {
        return 3;
    }

    @Override
    protected double finiteDifferenceStep() {
        return 1e-2;
    }

    /** Float32: 1e-3 relative. */
    @Override
    protected double finiteDifferenceRelative() {
        return 1e-3;
    }

    /** Float32: 1e-4 of the loss's scale {@code 1 + Σ|gradOutput·output|}. */
    @Override
    protected double finiteDifferenceAbsolute() {
        return 1e-4;
    }
}
