package org.calql.spi;

/**
 * Buffers one caller uses for forward and backward passes of one {@link Network}: the activations
 * the last forward kept for backward, and scratch space. Sized once for at most {@link #maxRows()}
 * rows, so passes allocate nothing after warm-up.
 *
 * <p>A workspace is not thread-safe; concurrent inference uses one workspace per thread.
 */
public interface Workspace {
    /** The largest number of rows a forward pass through this workspace may have. */
    int maxRows();
}
