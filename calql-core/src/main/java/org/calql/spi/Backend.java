package org.calql.spi;

/** Creates networks on one compute library. */
public interface Backend {
    /** Short name, e.g. {@code java} or {@code nd4j}. */
    String name();

    /** A network of the given shape with all parameters zero; callers import initial parameters. */
    Network createNetwork(NetworkSpec spec);
}
