package org.calql.nd4j;

import org.calql.discrete.AbstractDiscreteConformanceTest;
import org.calql.spi.Backend;
import org.calql.update.AbstractConformanceTest.Tolerance;

/** The golden discrete CQL / Cal-QL update cases replayed on the ND4J backend, with the float32 tolerances. */
class Nd4jDiscreteConformanceTest extends AbstractDiscreteConformanceTest {
    @Override
    protected Backend backend() {
        return Nd4jBackend.create();
    }

    @Override
    protected Tolerance tolerance() {
        return Tolerance.FLOAT32;
    }
}
