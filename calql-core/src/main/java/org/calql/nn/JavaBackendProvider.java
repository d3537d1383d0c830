package org.calql.nn;

import org.calql.spi.Backend;
import org.calql.spi.BackendProvider;

/** Registers the plain-Java backend ({@code java}, rank 0) with {@link java.util.ServiceLoader}. */
public final class JavaBackendProvider implements BackendProvider {
    /** The name of the plain-Java backend. */
    public static final String NAME = "java";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public JavaBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public Backend create() {
        return new JavaBackend();
    }
}
