package org.calql.nd4j;

import org.calql.spi.Backend;
import org.calql.update.AbstractConformanceTest;

/** The golden Cal-QL / CQL update cases replayed on the ND4J backend, with the float32 tolerances. */
class Nd4jConformanceTest extends AbstractConformanceTest {
    @Override
    protected Backend backend() {
        return Nd4jBackend.create();
    }

    @Override
    protected Tolerance tolerance() {
        return Tolerance.FLOAT32;
    }
}
