package org.calql.policy;

/** Checks where {@link Policy#sampleInto} places sampled actions in a caller's array. */
final class SamplePlacement {
    private SamplePlacement() {
    }

    /**
     * Checks a placement of {@code rows} blocks of {@code block} values at {@code offset + r·rowStride} in
     * {@code target} (see {@link Policy#sampleInto}).
     *
     * @throws IllegalArgumentException naming the value that does not fit
     */
    static void check(int rows, int block, double[] target, int offset, int rowStride) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be non-negative, found " + offset);
        }
        if (rowStride < block) {
            throw new IllegalArgumentException("rowStride must be at least samplesPerRow × actionDim = " + block
                    + ", found " + rowStride);
        }
        long end = rows == 0 ? 0 : offset + (long) (rows - 1) * rowStride + block;
        if (target == null || target.length < end) {
            throw new IllegalArgumentException("target must hold at least " + end + " values, found "
                    + (target == null ? "null" : target.length));
        }
    }
}
