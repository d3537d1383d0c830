package org.calql.data;

/** Shared row copying for samplers; package-private. */
final class Sampling {
    private Sampling() {
    }

    static void checkBatch(TransitionBatch batch, int fromRow, int rows, int observationDim, int actionDim,
            int available, String source) {
        if (batch.observationDim() != observationDim || batch.actionDim() != actionDim) {
            throw new IllegalArgumentException("batch observationDim/actionDim " + batch.observationDim() + "/"
                    + batch.actionDim() + " must match the " + source + "'s " + observationDim + "/" + actionDim);
        }
        if (fromRow < 0 || rows < 0 || fromRow + rows > batch.size()) {
            throw new IllegalArgumentException("rows [" + fromRow + ", " + ((long) fromRow + rows)
                    + ") must lie within the batch of size " + batch.size());
        }
        if (rows > 0 && available == 0) {
            throw new IllegalStateException("cannot sample " + rows + " rows from an empty " + source);
        }
    }

    /** Copies row {@code src} of width {@code width} into row {@code dst}, normalised if {@code mean} is set. */
    static void copyRow(float[] from, int src, double[] to, int dst, int width, double[] mean, double[] inverseStd) {
        int s = src * width;
        int d = dst * width;
        if (mean == null) {
            for (int j = 0; j < width; j++) {
                to[d + j] = from[s + j];
            }
        } else {
            for (int j = 0; j < width; j++) {
                to[d + j] = (from[s + j] - mean[j]) * inverseStd[j];
            }
        }
    }
}
