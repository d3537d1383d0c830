package org.calql.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.discrete.DiscreteConfig;
import org.calql.discrete.TdLoss;

/**
 * The two benchmark configurations of issue 4 and random batches for them.
 *
 * <ul>
 *   <li>{@code small}: obs 3, act 1, Q 2×256, π 3×256.</li>
 *   <li>{@code antmaze}: obs 29, act 8, Q 5×256, π 3×256.</li>
 * </ul>
 * Both: batch 256, N = 10, two critics, max-target backup, Lagrange, Cal-QL regularizer (the default).
 *
 * <p>And the discrete update of issue 10 ({@link #discrete()}): obs 128, |A| 18, Q 2×256, batch 256, K = 2.
 */
public final class BenchConfigs {
    /** Batch size of every benchmark. */
    public static final int BATCH = 256;
    /** Sampled actions per state and kind. */
    public static final int SAMPLES = 10;

    private BenchConfigs() {
    }

    /**
     * The named configuration.
     *
     * @throws IllegalArgumentException if the name is neither {@code small} nor {@code antmaze}
     */
    public static CalQlConfig named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "small":
                return base().observationDim(3).actionDim(1).qHidden(hidden(2)).policyHidden(hidden(3)).build();
            case "antmaze":
                return base().observationDim(29).actionDim(8).qHidden(hidden(5)).policyHidden(hidden(3)).build();
            default:
                throw new IllegalArgumentException("config must be 'small' or 'antmaze', found '" + name + "'");
        }
    }

    /** Observation width of {@link #discrete()}. */
    public static final int DISCRETE_OBS = 128;
    /** {@code |A|} of {@link #discrete()} (Atari's full action set). */
    public static final int DISCRETE_ACTIONS = 18;

    /**
     * The discrete benchmark: obs 128, |A| 18, Q 128 → 256 → 256 → 18, batch 256, K = 2 critics, Double DQN, Huber
     * TD loss, Cal-QL with Monte-Carlo reference values (the defaults), and a soft target move every update
     * (τ = 0.005, period 1) so that every update does the same work (d3rlpy's default, a hard copy every 8000
     * updates, would put one copy into some JMH iterations and not others).
     */
    public static DiscreteConfig discrete() {
        return DiscreteConfig.builder().observationDim(DISCRETE_OBS).numActions(DISCRETE_ACTIONS).batchSize(BATCH)
                .criticHidden(256, 256).criticCount(2).doubleDqn(true).tdLoss(TdLoss.HUBER).tau(0.005)
                .targetUpdatePeriod(1).seed(7L).build();
    }

    /** A discrete batch: Gaussian observations, uniform action indices in {@code [0, |A|)}, few terminals. */
    public static TransitionBatch randomDiscreteBatch(DiscreteConfig config, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        TransitionBatch batch = new TransitionBatch(config.batchSize(), config.observationDim(), 1);
        fillGaussian(rng, batch.observations());
        fillGaussian(rng, batch.nextObservations());
        for (int i = 0; i < config.batchSize(); i++) {
            batch.actions()[i] = rng.nextInt(config.numActions());
            batch.rewards()[i] = rng.nextDouble() < 0.1 ? 1.0 : 0.0;
            batch.dones()[i] = rng.nextDouble() < 0.05 ? 1.0 : 0.0;
            batch.returnsToGo()[i] = 10.0 * rng.nextDouble();
        }
        return batch;
    }

    private static CalQlConfig.Builder base() {
        return CalQlConfig.builder().batchSize(BATCH).cqlNActions(SAMPLES).maxTargetBackup(true).lagrange(true)
                .seed(7L);
    }

    private static int[] hidden(int layers) {
        int[] h = new int[layers];
        java.util.Arrays.fill(h, 256);
        return h;
    }

    /** A batch of plausible random transitions (Gaussian observations, actions in (−1, 1), few terminals). */
    public static TransitionBatch randomBatch(CalQlConfig config, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        TransitionBatch batch = new TransitionBatch(config.batchSize(), config.observationDim(), config.actionDim());
        fillGaussian(rng, batch.observations());
        fillGaussian(rng, batch.nextObservations());
        double[] actions = batch.actions();
        for (int i = 0; i < actions.length; i++) {
            actions[i] = 0.99 * (2.0 * rng.nextDouble() - 1.0);
        }
        for (int i = 0; i < config.batchSize(); i++) {
            batch.rewards()[i] = rng.nextDouble() < 0.1 ? 1.0 : 0.0;
            batch.dones()[i] = rng.nextDouble() < 0.05 ? 1.0 : 0.0;
            batch.returnsToGo()[i] = 10.0 * rng.nextDouble();
        }
        return batch;
    }

    static void fillGaussian(SplittableRandom rng, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = gaussian(rng);
        }
    }

    static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }
}
