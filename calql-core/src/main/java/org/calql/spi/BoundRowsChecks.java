package org.calql.spi;

/** Shape checks of {@link Network#forward(Workspace, BoundRows, BoundRows, int, double[])}, shared by backends. */
public final class BoundRowsChecks {
    private BoundRowsChecks() {
    }

    /**
     * Checks that {@code head} (and {@code tail}, may be null) fit a network of {@code spec} with groups of
     * {@code groupSize} rows.
     *
     * @throws IllegalArgumentException naming the first thing that does not fit, and its value
     */
    public static void check(NetworkSpec spec, BoundRows head, BoundRows tail, int groupSize) {
        if (head == null) {
            throw new IllegalArgumentException("head rows must not be null");
        }
        if (groupSize < 1) {
            throw new IllegalArgumentException("groupSize must be positive, found " + groupSize);
        }
        int tailDim = tail == null ? 0 : tail.width();
        if (head.width() + tailDim != spec.inputDim()) {
            throw new IllegalArgumentException("head width + tail width must be the network's inputDim "
                    + spec.inputDim() + ", found " + head.width() + " + " + tailDim);
        }
        if (tail == null) {
            if (groupSize != 1) {
                throw new IllegalArgumentException("groupSize must be 1 without a tail, found " + groupSize);
            }
        } else if ((long) head.rows() * groupSize != tail.rows()) {
            throw new IllegalArgumentException("tail rows must be head rows × groupSize = " + head.rows() + " × "
                    + groupSize + ", found " + tail.rows());
        }
    }
}
