package org.calql.policy;

/**
 * The buffers of one caller's passes through a {@link Policy}: what the last forward computed, and the
 * gradients with respect to it that callers accumulate before {@link Policy#backward}. Created by
 * {@link Policy#newPass}; not thread-safe.
 */
public interface PolicyPass {
    /** The largest number of rows a forward through this pass may have. */
    int maxRows();

    /** Rows of the last forward. */
    int rows();

    /** Zeroes the accumulated gradients. */
    void zeroGradients();
}
