package org.calql.discrete;

import java.util.SplittableRandom;
import org.calql.data.TransitionBatch;
import org.calql.regularizer.Regularizers;
import org.calql.spi.Backend;
import org.calql.spi.Backends;

/** Small discrete configs and random batches for the discrete tests. */
final class DiscreteFixtures {
    static final int OBS = 3;
    static final int ACTIONS = 4;
    static final int BATCH = 6;

    private DiscreteFixtures() {
    }

    static Backend java() {
        return Backends.named("java");
    }

    /** A small Cal-QL config that moves its parameters visibly. */
    static DiscreteConfig.Builder small(long seed) {
        return DiscreteConfig.builder().observationDim(OBS).numActions(ACTIONS).batchSize(BATCH).criticHidden(8, 8)
                .criticCount(2).lr(1e-2).targetUpdatePeriod(3).tau(0.5).cqlAlpha(2.0).seed(seed)
                .regularizer(Regularizers.calQl());
    }

    /** Random observations, actions in [0, |A|), rewards, dones and returns-to-go around 0. */
    static TransitionBatch randomBatch(DiscreteConfig config, SplittableRandom rng) {
        TransitionBatch b = new TransitionBatch(config.batchSize(), config.observationDim(), 1);
        for (int i = 0; i < b.observations().length; i++) {
            b.observations()[i] = rng.nextDouble(-1.5, 1.5);
            b.nextObservations()[i] = rng.nextDouble(-1.5, 1.5);
        }
        for (int i = 0; i < b.size(); i++) {
            b.actions()[i] = rng.nextInt(config.numActions());
            b.rewards()[i] = rng.nextDouble(-1, 1);
            b.dones()[i] = rng.nextInt(4) == 0 ? 1.0 : 0.0;
            b.returnsToGo()[i] = rng.nextDouble(-0.5, 0.5);
        }
        return b;
    }

    /** Random critic and target parameters of {@code config}'s shape, with fresh optimizer states. */
    static DiscreteUpdateState randomState(DiscreteConfig config, SplittableRandom rng, double scale) {
        DiscreteUpdateState shape = new DiscreteUpdateStep(config, java()).exportState();
        double[][][] critics = shape.critics().critics();
        double[][][] targets = shape.critics().targets();
        for (double[][][] nets : new double[][][][] {critics, targets}) {
            for (double[][] net : nets) {
                for (double[] array : net) {
                    for (int i = 0; i < array.length; i++) {
                        array[i] = rng.nextDouble(-scale, scale);
                    }
                }
            }
        }
        return new DiscreteUpdateState(new org.calql.critic.CriticEnsembleState(critics, targets,
                shape.critics().optimizers()), 0);
    }
}
