package org.calql.data;

/** Shared checks and the uniform draw of the built-in samplers and stores; package-private. */
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

    /** Throws unless {@code normalizer} is null or has width {@code observationDim}. */
    static void checkNormalizer(ObservationNormalizer normalizer, int observationDim, String source) {
        if (normalizer != null && normalizer.observationDim() != observationDim) {
            throw new IllegalArgumentException("normalizer observationDim " + normalizer.observationDim()
                    + " must equal the " + source + "'s " + observationDim);
        }
    }

    /**
     * Fills {@code rows} batch rows from {@code fromRow} with transitions drawn uniformly from rows
     * {@code [0, n)} of {@code columns} (one {@code random.nextInt(n)} per row), taking rewards and
     * returns-to-go from {@code rew} and {@code rtg} (a prepared dataset keeps its transformed rewards
     * apart from the raw columns) and normalising observations when {@code normalizer} is not null.
     */
    static void drawUniform(TransitionBatch batch, int fromRow, int rows, java.util.random.RandomGenerator random,
            int n, TransitionColumns columns, float[] rew, double[] rtg, ObservationNormalizer normalizer) {
        int obsDim = columns.observationDim;
        int actDim = columns.actionDim;
        float[] obs = columns.observations;
        float[] next = columns.nextObservations;
        float[] act = columns.actions;
        boolean[] term = columns.terminals;
        double[] mean = normalizer == null ? null : normalizer.meanOrNull();
        double[] inverseStd = normalizer == null ? null : normalizer.inverseStdArray();
        double[] bObs = batch.observations();
        double[] bNext = batch.nextObservations();
        double[] bAct = batch.actions();
        double[] bRew = batch.rewards();
        double[] bDone = batch.dones();
        double[] bRef = batch.returnsToGo();
        int end = fromRow + rows;
        for (int row = fromRow; row < end; row++) {
            int t = random.nextInt(n);
            copyRow(obs, t, bObs, row, obsDim, mean, inverseStd);
            copyRow(next, t, bNext, row, obsDim, mean, inverseStd);
            copyRow(act, t, bAct, row, actDim, null, null);
            bRew[row] = rew[t];
            bDone[row] = term[t] ? 1.0 : 0.0;
            bRef[row] = rtg[t];
        }
    }

    /** Copies row {@code src} of width {@code width} into row {@code dst}, normalised if {@code mean} is set. */
    static void copyRow(float[] from, int src, double[] to, int dst, int width, double[] mean, double[] inverseStd) {
        if (mean == null) {
            Rows.copy(from, src, width, to, dst * width);
        } else {
            int s = src * width;
            int d = dst * width;
            for (int j = 0; j < width; j++) {
                to[d + j] = (from[s + j] - mean[j]) * inverseStd[j];
            }
        }
    }
}
