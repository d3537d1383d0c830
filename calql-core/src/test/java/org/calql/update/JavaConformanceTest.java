package org.calql.update;

import org.calql.spi.Backend;
import org.calql.spi.Backends;

/** The golden update cases on the plain-Java reference backend, in float64. */
class JavaConformanceTest extends AbstractConformanceTest {
    @Override
    protected Backend backend() {
        return Backends.named("java");
    }

    @Override
    protected Tolerance tolerance() {
        return Tolerance.FLOAT64;
    }
}
