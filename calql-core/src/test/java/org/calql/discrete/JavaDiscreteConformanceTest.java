package org.calql.discrete;

import org.calql.spi.Backend;
import org.calql.spi.Backends;
import org.calql.update.AbstractConformanceTest.Tolerance;

/** The golden discrete update cases on the plain-Java reference backend, in float64. */
class JavaDiscreteConformanceTest extends AbstractDiscreteConformanceTest {
    @Override
    protected Backend backend() {
        return Backends.named("java");
    }

    @Override
    protected Tolerance tolerance() {
        return Tolerance.FLOAT64;
    }
}
