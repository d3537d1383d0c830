package org.calql.update;

import java.util.Arrays;
import org.calql.policy.Policy;
import org.calql.policy.PolicyPass;

/**
 * The policy loss {@code mean(α·log π(ã|s) − min_k Q_k(s, ã))}, or during behaviour cloning
 * {@code mean(α·log π(ã|s) − log π(a_data|s))}, with its gradients: with respect to each sample's log π, and to
 * each critic's {@code Q_k(s, ã)} (the minimum's gradient is shared equally among tied critics).
 */
final class ActorLoss {
    private final int batchSize;
    private final double[] gradLogPi;

    ActorLoss(int batchSize) {
        this.batchSize = batchSize;
        this.gradLogPi = new double[batchSize];
    }

    /** dL / d log π of each sample, filled by the last loss. */
    double[] gradLogPi() {
        return gradLogPi;
    }

    /**
     * The loss against the critics' values {@code actorQ[k]} at {@code (s, ã)}; fills {@code gradQ[k]} and
     * {@link #gradLogPi()}.
     */
    double criticLoss(double[][] actorQ, double[] logPi, double alpha, double[][] gradQ) {
        double invB = entropyPart(alpha);
        double loss = alpha * mean(logPi);
        int criticCount = actorQ.length;
        double qMinSum = 0.0;
        for (int b = 0; b < batchSize; b++) {
            double min = actorQ[0][b];
            for (int k = 1; k < criticCount; k++) {
                min = Math.min(min, actorQ[k][b]);
            }
            qMinSum += min;
            int ties = 0;
            for (int k = 0; k < criticCount; k++) {
                if (actorQ[k][b] == min) {
                    ties++;
                }
            }
            for (int k = 0; k < criticCount; k++) {
                gradQ[k][b] = actorQ[k][b] == min ? -invB / ties : 0.0;
            }
        }
        return loss - qMinSum * invB;
    }

    /**
     * The behaviour-cloning loss; adds the data log-likelihood's gradient into {@code pass} (whose gradients the
     * caller zeroed) and fills {@link #gradLogPi()}.
     */
    double cloningLoss(Policy policy, PolicyPass pass, double[] dataActions, double[] logPi, double alpha) {
        double invB = entropyPart(alpha);
        double loss = alpha * mean(logPi);
        double logProbData = policy.addLogLikelihoodGradient(pass, dataActions, -invB);
        return loss - logProbData * invB;
    }

    private double entropyPart(double alpha) {
        double invB = 1.0 / batchSize;
        Arrays.fill(gradLogPi, 0, batchSize, alpha * invB);
        return invB;
    }

    private double mean(double[] values) {
        double s = 0.0;
        for (int i = 0; i < batchSize; i++) {
            s += values[i];
        }
        return s / batchSize;
    }
}
