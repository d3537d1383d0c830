package org.calql.spi;

/**
 * Rows of network input (e.g. a batch's observations, or the actions a critic evaluates) staged on a backend
 * once and read by several forward passes, so that the backend converts and lays them out once per update
 * instead of once per pass (a GPU backend keeps them on the device). Made by {@link Backend#bindRows}.
 *
 * <p>Use: write the rows into {@link #values()} (or {@link #load} them), {@link #stage} them, then pass this
 * object to {@link Network#forward(Workspace, BoundRows, BoundRows, int, double[])} as head or tail, as many
 * times as needed. The host copy {@link #values()} stays what was staged, so any backend's network can read
 * it.
 *
 * <p><b>Lifetime.</b> A backend may read the staged rows again in the backward pass of a forward that used
 * them (for the first layer's weight gradients): stage again only after those backward passes. Staging is
 * single-threaded; forward passes may read staged rows concurrently.
 */
public interface BoundRows {
    /** The largest number of rows this buffer holds. */
    int maxRows();

    /** Values per row. */
    int width();

    /** Rows staged by the last {@link #stage} (0 before the first). */
    int rows();

    /**
     * The host copy, row-major {@code [maxRows, width]}: callers write rows here before {@link #stage}; after it,
     * its first {@code rows() × width()} values are the staged rows. Do not write here between staging and the
     * last pass that reads them.
     */
    double[] values();

    /**
     * Publishes the first {@code rows} rows of {@link #values()} to the backend (converted to its number type and
     * layout once).
     *
     * @throws IllegalArgumentException if {@code rows} is negative or exceeds {@link #maxRows()}
     */
    void stage(int rows);

    /**
     * Copies {@code rows} rows from {@code source} ({@code [rows, width]}, row-major) into {@link #values()} and
     * {@link #stage}s them.
     *
     * @throws IllegalArgumentException if {@code rows} is out of range or {@code source} is too short
     */
    default void load(double[] source, int rows) {
        if (rows < 0 || rows > maxRows()) {
            throw new IllegalArgumentException("rows must be in [0, " + maxRows() + "], found " + rows);
        }
        int n = rows * width();
        if (source == null || source.length < n) {
            throw new IllegalArgumentException("source must hold at least " + n + " values, found "
                    + (source == null ? "null" : source.length));
        }
        System.arraycopy(source, 0, values(), 0, n);
        stage(rows);
    }
}
