package org.calql.spi;

/**
 * {@link BoundRows} that live on the host only: staging records the row count, and networks read
 * {@link #values()} directly. The default of {@link Backend#bindRows}, right for backends that compute on host
 * arrays (the plain-Java one).
 */
public final class HostRows implements BoundRows {
    private final int maxRows;
    private final int width;
    private final double[] values;
    private int rows;

    /**
     * Room for {@code maxRows} rows of {@code width} values.
     *
     * @throws IllegalArgumentException if either is negative or their product exceeds an array's size
     */
    public HostRows(int maxRows, int width) {
        checkShape(maxRows, width);
        this.maxRows = maxRows;
        this.width = width;
        this.values = new double[maxRows * width];
    }

    /**
     * Checks a {@link BoundRows} shape.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static void checkShape(int maxRows, int width) {
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must be non-negative, found " + maxRows);
        }
        if (width < 0) {
            throw new IllegalArgumentException("width must be non-negative, found " + width);
        }
        if ((long) maxRows * width > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxRows × width must fit an array, found " + maxRows + " × " + width);
        }
    }

    @Override
    public int maxRows() {
        return maxRows;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public double[] values() {
        return values;
    }

    @Override
    public void stage(int rows) {
        if (rows < 0 || rows > maxRows) {
            throw new IllegalArgumentException("rows must be in [0, " + maxRows + "], found " + rows);
        }
        this.rows = rows;
    }

    @Override
    public String toString() {
        return "HostRows[" + rows + "/" + maxRows + " × " + width + "]";
    }
}
