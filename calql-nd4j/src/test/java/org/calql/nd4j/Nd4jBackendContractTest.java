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

    /** Float32 backward through a LayerNorm over two units is ill-conditioned (see the base's javadoc). */
    @Override
    protected int narrowestLayerNormWidth() {
        return 3;
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
