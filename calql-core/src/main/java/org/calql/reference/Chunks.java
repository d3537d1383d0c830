package org.calql.reference;

import org.calql.spi.Network;
import org.calql.spi.Workspace;

/** Forward passes over many rows (a whole dataset) in chunks, so no workspace holds more than {@link #ROWS} rows. */
final class Chunks {
    static final int ROWS = 4096;

    private Chunks() {
    }

    /** {@code network} on {@code rows} input rows of its input width, without a tail, into {@code out}. */
    static void forward(Network network, double[] input, int rows, double[] out) {
        int in = network.spec().inputDim();
        int outDim = network.spec().outputDim();
        Workspace ws = network.newWorkspace(Math.min(rows, ROWS));
        double[] x = new double[Math.min(rows, ROWS) * in];
        double[] y = new double[Math.min(rows, ROWS) * outDim];
        for (int from = 0; from < rows; from += ROWS) {
            int n = Math.min(ROWS, rows - from);
            System.arraycopy(input, from * in, x, 0, n * in);
            network.forward(ws, x, n, y);
            System.arraycopy(y, 0, out, from * outDim, n * outDim);
        }
    }
}
