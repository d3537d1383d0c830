package org.calql.nd4j;

import org.calql.spi.Backend;
import org.calql.spi.BackendProvider;

/**
 * Registers the ND4J backend with {@link java.util.ServiceLoader} under the name {@code nd4j} and rank
 * 10 (above the plain-Java backend's 0). Finding the provider loads nothing native; ND4J and its
 * native library load in {@link #create()}.
 */
public final class Nd4jBackendProvider implements BackendProvider {
    /** The name users select with {@code -Dcalql.backend=nd4j}. */
    public static final String NAME = "nd4j";

    /** The rank {@link org.calql.spi.Backends#best()} compares. */
    public static final int RANK = 10;

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public Nd4jBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return RANK;
    }

    /**
     * Loads ND4J (on first use) and returns the backend.
     *
     * @throws IllegalStateException if ND4J's native library cannot be loaded on this platform
     */
    @Override
    public Backend create() {
        return Nd4jBackend.create();
    }
}
