package org.calql.update;

import org.calql.data.TransitionBatch;

/**
 * The TD target {@code y = r + (1 − done)·γ·T} with {@code T = min_k Q̄_k(s', a')}; with several samples per
 * state (max-target backup) the max over the samples of that min, and with backup entropy minus
 * {@code α·log π(a'|s')} of the chosen sample. Owns its buffers; not thread-safe.
 */
final class TdTarget {
    private final int batchSize;
    private final int samples;
    private final double[] minQ;
    private final double[] targets;

    /** @param samples next-state actions per state (N with max-target backup, else 1) */
    TdTarget(int batchSize, int samples) {
        this.batchSize = batchSize;
        this.samples = samples;
        this.minQ = new double[batchSize * samples];
        this.targets = new double[batchSize];
    }

    /**
     * Computes the targets from each target critic's values at {@code (s', a')} ({@code targetQ[k]},
     * {@code [B, samples]}) and the samples' log-probabilities.
     *
     * @return the mean backed-up value {@code T} (before reward and discount)
     */
    double compute(double[][] targetQ, double[] targetLogPi, TransitionBatch batch, double alpha, double discount,
                   boolean backupEntropy) {
        int rows = batchSize * samples;
        System.arraycopy(targetQ[0], 0, minQ, 0, rows);
        for (int k = 1; k < targetQ.length; k++) {
            double[] q = targetQ[k];
            for (int i = 0; i < rows; i++) {
                minQ[i] = Math.min(minQ[i], q[i]);
            }
        }
        double[] rewards = batch.rewards();
        double[] dones = batch.dones();
        double sum = 0.0;
        for (int b = 0; b < batchSize; b++) {
            int base = b * samples;
            int best = 0;
            for (int j = 1; j < samples; j++) {
                if (minQ[base + j] > minQ[base + best]) {
                    best = j;
                }
            }
            double value = minQ[base + best];
            if (backupEntropy) {
                value -= alpha * targetLogPi[base + best];
            }
            sum += value;
            targets[b] = rewards[b] + (1.0 - dones[b]) * discount * value;
        }
        return sum / batchSize;
    }

    /**
     * The TD loss {@code mean_B (Q(s,a) − y)²} of one critic from its data-action values, entry 0 of each state's
     * block of {@code stride} in {@code stackedQ}; adds its gradient {@code 2·(Q − y)/B} to entry 0 of each block
     * of {@code gradQ}.
     */
    double lossAndGradient(double[] stackedQ, int stride, double[] gradQ) {
        double sum = 0.0;
        for (int b = 0; b < batchSize; b++) {
            int base = b * stride;
            double err = stackedQ[base] - targets[b];
            sum += err * err;
            gradQ[base] = gradQ[base] + 2.0 * err / batchSize;
        }
        return sum / batchSize;
    }
}
