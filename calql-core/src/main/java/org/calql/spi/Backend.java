package org.calql.spi;

import java.util.function.IntConsumer;

/** Creates networks on one compute library. */
public interface Backend {
    /** Short name, e.g. {@code java} or {@code nd4j}. */
    String name();

    /**
     * A network of the given shape with all parameters zero (LayerNorm gains included: callers import initial
     * parameters, e.g. from {@link org.calql.init.ParameterInitializer}).
     *
     * @throws IllegalArgumentException if the spec is null or this backend cannot run it (the message says
     *                                  which part of the spec); the built-in backends run every spec
     */
    Network createNetwork(NetworkSpec spec);

    /**
     * A buffer for up to {@code maxRows} rows of {@code width} input values that several forward passes share
     * (see {@link BoundRows}). This default keeps them on the host ({@link HostRows}); a backend that computes
     * elsewhere overrides it to convert and place them once.
     *
     * @throws IllegalArgumentException if {@code maxRows} or {@code width} is negative
     */
    default BoundRows bindRows(int maxRows, int width) {
        return new HostRows(maxRows, width);
    }

    /**
     * Calls {@code pass.accept(i)} for every {@code i} in {@code [0, count)}, possibly at once on several threads,
     * and returns when all have finished (the update runs the critics of an ensemble this way). Pass {@code i}
     * must use only its own workspaces, gradients and arrays, and only its own networks, except that passes may
     * run forward through one network with distinct workspaces (see {@link Network}). The first failure is
     * rethrown after all passes have finished. This default runs them in order on the calling thread; backends whose networks may
     * run concurrently override it, usually with {@link ParallelPasses}.
     */
    default void runIndependent(int count, IntConsumer pass) {
        ParallelPasses.runInTurn(count, pass);
    }

    /**
     * This backend with networks whose matrix products run in {@code precision}. {@link Precision#FP32} returns a
     * backend that runs float32 products (this one by default); this default refuses every other precision.
     *
     * @throws IllegalArgumentException if the precision is null or this backend cannot run it on this machine
     *                                  (the message says why and what runs it)
     */
    default Backend withPrecision(Precision precision) {
        if (precision == Precision.FP32) {
            return this;
        }
        throw new IllegalArgumentException("precision " + precision + " is not supported by backend '" + name()
                + "', which has no bf16 products; precision BF16 needs the nd4j backend (calql-nd4j) on a CPU"
                + " with AMX-BF16 or AVX512-BF16");
    }

    /** The precision of this backend's matrix products ({@link Precision#FP32} by default). */
    default Precision precision() {
        return Precision.FP32;
    }
}
