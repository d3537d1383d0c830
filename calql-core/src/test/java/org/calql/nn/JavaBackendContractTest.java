package org.calql.nn;

import org.calql.spi.AbstractBackendContractTest;
import org.calql.spi.Backend;

/** The backend contract on the plain-Java backend itself (it must agree with a fresh oracle bit for bit). */
class JavaBackendContractTest extends AbstractBackendContractTest {
    @Override
    protected Backend backend() {
        return new JavaBackend();
    }

    @Override
    protected double tolerance() {
        return 1e-9;
    }
}
