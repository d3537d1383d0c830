package org.calql.spi;

/**
 * Service interface through which {@link java.util.ServiceLoader} finds backends; list implementations
 * in {@code META-INF/services/org.calql.spi.BackendProvider}.
 */
public interface BackendProvider {
    /** The name users select with {@code -Dcalql.backend=NAME}. */
    String name();

    /** Preference: {@link Backends#best()} picks the highest rank. The plain-Java backend has rank 0. */
    int rank();

    /** Creates the backend; native libraries are loaded here, lazily, not when the provider is found. */
    Backend create();
}
