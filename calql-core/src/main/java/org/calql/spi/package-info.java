/**
 * The network SPI: what a backend supplies to calql. A backend runs fully connected networks
 * (forward with a cache, backward from an upstream gradient, Adam, copy / soft update, parameter
 * export and import) and nothing more; all reinforcement-learning math lives in calql-core on
 * small host arrays.
 *
 * <p>Backends are found with {@link java.util.ServiceLoader} through {@link org.calql.spi.BackendProvider};
 * {@link org.calql.spi.Backends#best()} picks the highest-ranked one, and the system property
 * {@code calql.backend} ({@code java}, {@code nd4j}, ...) overrides the choice.
 */
package org.calql.spi;
