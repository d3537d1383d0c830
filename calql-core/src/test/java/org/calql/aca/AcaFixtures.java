package org.calql.aca;

import java.util.SplittableRandom;
import org.calql.data.TransitionBatch;
import org.calql.nn.JavaBackend;
import org.calql.policy.PolicyState;
import org.calql.random.Rng;

/** Small ACA models and batches for the tests of this package. */
final class AcaFixtures {
    static final int OBS = 3;
    static final int ACT = 2;
    static final int BATCH = 16;

    private AcaFixtures() {
    }

    static AcaConfig.Builder config(long seed) {
        return AcaConfig.builder(OBS, ACT).seed(seed).batchSize(BATCH).criticHidden(8, 8).policyHidden(8, 8);
    }

    static AcaUpdate update(AcaConfig config) {
        return new AcaUpdate(config, new JavaBackend(), new Rng(config.seed() ^ 0x51L));
    }

    /** Random states and actions; reward {@code −|a − (0.5, −0.3)|²} so that Q depends on the action. */
    static TransitionBatch batch(SplittableRandom r) {
        TransitionBatch batch = new TransitionBatch(BATCH, OBS, ACT);
        for (int i = 0; i < BATCH; i++) {
            double reward = 0.0;
            for (int j = 0; j < ACT; j++) {
                double v = 0.9 * (2 * r.nextDouble() - 1);
                batch.actions()[i * ACT + j] = v;
                double d = v - (j == 0 ? 0.5 : -0.3);
                reward -= d * d;
            }
            for (int j = 0; j < OBS; j++) {
                batch.observations()[i * OBS + j] = 2 * r.nextDouble() - 1;
                batch.nextObservations()[i * OBS + j] = 2 * r.nextDouble() - 1;
            }
            batch.rewards()[i] = reward;
            batch.dones()[i] = r.nextDouble() < 0.1 ? 1.0 : 0.0;
        }
        return batch;
    }

    static double[] noise(SplittableRandom r) {
        double[] n = new double[BATCH * ACT];
        for (int i = 0; i < n.length; i++) {
            n[i] = org.calql.random.Gaussian.next(r);
        }
        return n;
    }

    static PolicyState perturbed(PolicyState s, int array, int index, double delta) {
        double[][] p = new double[s.parameters().length][];
        for (int i = 0; i < p.length; i++) {
            p[i] = s.parameters()[i].clone();
        }
        p[array][index] += delta;
        return new PolicyState(p, s.optimizer());
    }
}
