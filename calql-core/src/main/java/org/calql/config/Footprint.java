package org.calql.config;

import java.util.Arrays;

/**
 * The sizes a continuous agent allocates for a config (see {@link Limits} for what is counted): checks that every
 * array fits a Java array, naming the fields that set its length, and estimates the bytes.
 */
final class Footprint {
    private Footprint() {
    }

    /**
     * Checks every array length and the ceiling, and returns the estimated bytes.
     *
     * @throws IllegalArgumentException naming the fields, the size and the rule
     */
    static double check(ModelSettings m, OptimizerSettings o, ConservativeSettings c) {
        int obs = m.observationDim();
        int a = m.actionDim();
        int b = o.batchSize();
        int n = c.cqlNActions();
        int k = m.criticEnsembleSize();
        double stride = 1 + 3.0 * n;
        double t = c.maxTargetBackup() ? n : 1;
        double stacked = b * stride;
        String nb = "cqlNActions = " + n + " and batchSize = " + b;
        Limits.requireArray(nb, stacked, "the update's stacked rows batchSize·(1 + 3·cqlNActions)");
        Limits.requireArray(nb + " with actionDim = " + a, stacked * a,
                "the stacked actions batchSize·(1 + 3·cqlNActions)·actionDim");
        Limits.requireArray("batchSize = " + b + " and observationDim = " + obs, (double) b * obs,
                "a batch's observations batchSize·observationDim");
        Limits.requireArray("observationDim = " + obs + " and actionDim = " + a, (double) obs + a,
                "the critic's input width observationDim + actionDim");
        int[] qh = m.critic().hidden();
        int[] ph = m.policyHidden();
        Limits.requireDenseArrays("qHidden", obs + a, "observationDim + actionDim = " + (obs + a), qh, 1,
                "the critic's output", stacked, nb + " (" + Limits.count(stacked) + " stacked rows)");
        Limits.requireArray("actionDim = " + a, 2.0 * a, "the policy's output width 2·actionDim");
        if (m.policy() == null) {
            Limits.requireDenseArrays("policyHidden", obs, "observationDim = " + obs, ph, 2 * a,
                    "actionDim = " + a + " (2·actionDim outputs)", b, "batchSize = " + b + " rows");
        }

        boolean ln = m.critic().layerNorm();
        double criticParams = Limits.denseParameters(obs + a, qh, 1, ln);
        // online and target networks each with a transposed copy, gradients, two Adam moments
        double networks = k * 7 * criticParams;
        double buffers = k * (Limits.denseWorkspace(b, obs + a, qh, 1) + Limits.denseWorkspace(stacked, obs + a, qh, 1)
                + Limits.denseWorkspace(b * t, obs + a, qh, 1));
        if (m.policy() == null) {
            networks += 5 * Limits.denseParameters(obs, ph, 2 * a, false);
            buffers += 2 * (Limits.denseWorkspace(b, obs, ph, 2 * a) + 6.0 * b * a);
        }
        double draws = (double) b * (1 + t + 2.0 * n);
        buffers += draws * (4.0 * a + 1)                   // samples (noise, actions, squashed, log-probs) + noise
                + (double) b * n * a + (double) b * a      // random actions, actor gradient
                + k * (3.0 * b + (double) b * a + b * t + 2 * stacked) // per-critic Q, gradients
                + stacked * a + 2 * stacked + b * t + b    // stacked actions, penalty inputs, TD targets
                + (double) b * (2.0 * obs + a + 4);        // the batch
        double init = 0;
        if (m.initialization() == org.calql.spi.Initialization.ORTHOGONAL) {
            double q = Limits.orthogonalPeak(obs + a, qh, 1);
            Limits.requireOrthogonalCeiling("qHidden", qh, q);
            double p = m.policy() == null ? Limits.orthogonalPeak(obs, ph, 2 * a) : 0;
            Limits.requireOrthogonalCeiling("policyHidden", ph, p);
            init = Math.max(q, p);
        }
        double bytes = 8 * (networks + buffers + init);
        String fields = networks >= buffers
                ? "qHidden = " + Arrays.toString(qh) + ", policyHidden = " + Arrays.toString(ph)
                        + ", criticEnsembleSize = " + k + " with observationDim = " + obs + " and actionDim = " + a
                : nb + " with qHidden = " + Arrays.toString(qh) + " and criticEnsembleSize = " + k;
        Limits.requireCeiling(fields, bytes);
        return bytes;
    }
}
