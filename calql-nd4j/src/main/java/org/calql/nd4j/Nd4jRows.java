package org.calql.nd4j;

import java.nio.FloatBuffer;
import org.calql.spi.BoundRows;
import org.calql.spi.HostRows;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link BoundRows} staged as one float32 f-order {@code [rows, width + 1]} matrix whose last column holds ones:
 * as a policy's input it is layer 0's augmented input as is (the ones add the bias), as a critic's tail likewise,
 * and its first {@code rows·width} floats are the f-order {@code [rows, width]} head a grouped pass multiplies
 * once per group. Staging converts and transposes once; every pass reads the matrix in place.
 */
final class Nd4jRows implements BoundRows {
    private final int maxRows;
    private final int width;
    private final double[] values;
    private final INDArray buffer;
    private final FloatBuffer host;
    private float[] scratch = new float[0];
    private int rows;
    /** Views for {@link #rows}: {@code [rows, width + 1]} and {@code [rows, width]} (null when empty). */
    private INDArray augmented;
    private INDArray plain;
    /** The f-order {@code [rows, width]} head as one row {@code [1, rows·width]} (null when empty). */
    private INDArray plainRow;
    private int viewRows = -1;

    Nd4jRows(int maxRows, int width) {
        HostRows.checkShape(maxRows, width);
        this.maxRows = maxRows;
        this.width = width;
        this.values = new double[maxRows * width];
        this.buffer = Nd4jLayout.floats((long) maxRows * (width + 1));
        this.host = Nd4jLayout.host(buffer);
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
        int n = rows * (width + 1);
        if (scratch.length < n) {
            scratch = new float[n];
        }
        float[] s = scratch;
        for (int r = 0; r < rows; r++) {
            int src = r * width;
            for (int c = 0; c < width; c++) {
                s[r + rows * c] = (float) values[src + c];
            }
            s[r + rows * width] = 1f;
        }
        host.put(0, s, 0, n);
        Nd4jLayout.afterHostWrite(buffer);
        this.rows = rows;
        if (viewRows != rows) {
            augmented = rows == 0 ? null : Nd4jLayout.fView(buffer, 0, rows, width + 1);
            plain = rows == 0 || width == 0 ? null : Nd4jLayout.fView(buffer, 0, rows, width);
            plainRow = rows == 0 || width == 0 ? null : Nd4jLayout.fView(buffer, 0, 1, (long) rows * width);
            viewRows = rows;
        }
    }

    /** The staged rows with a ones column, f-order {@code [rows, width + 1]} (null when no rows are staged). */
    INDArray augmented() {
        return augmented;
    }

    /** The staged rows, f-order {@code [rows, width]} (null when empty). */
    INDArray plain() {
        return plain;
    }

    /** {@link #plain()} as one row {@code [1, rows·width]}, column {@code r + rows·c} holding element (r, c). */
    INDArray plainRow() {
        return plainRow;
    }

    @Override
    public String toString() {
        return "Nd4jRows[" + rows + "/" + maxRows + " × " + width + ", float32]";
    }
}
