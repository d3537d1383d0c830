package org.calql.update;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.random.DrawKind;
import org.calql.random.UpdateDraws;
import org.calql.spi.Backend;
import org.calql.spi.Backends;

/**
 * Small update steps with random parameters, batches and replayed draws.
 */
final class UpdateFixtures {
    static final int OBS = 3;
    static final int ACT = 2;
    static final int BATCH = 6;
    static final int SAMPLES = 3;

    private UpdateFixtures() {
    }

    static Backend java() {
        return Backends.named("java");
    }

    /** A small config with the sizes above; callers adjust it. */
    static CalQlConfig.Builder smallConfig(long seed) {
        return CalQlConfig.builder().observationDim(OBS).actionDim(ACT).batchSize(BATCH).cqlNActions(SAMPLES)
                .qHidden(8, 8).policyHidden(8, 8).seed(seed);
    }

    /** Every learned value drawn at random so that Q-values, means and raw log-stds are of order one. */
    static ModelParameters randomParameters(CalQlConfig config, SplittableRandom rng) {
        ModelParameters shape = new UpdateStep(config, java(), fixedDraws(config, rng.split())).exportParameters();
        int k = config.criticEnsembleSize();
        double[][][] q = new double[k][][];
        double[][][] t = new double[k][][];
        for (int i = 0; i < k; i++) {
            q[i] = randomLayers(shape.critics()[i], rng);
            t[i] = randomLayers(shape.critics()[i], rng);
        }
        double[][] policy = randomLayers(TanhParameters.network(shape.policy()), rng);
        return TanhParameters.of(q, t, policy, uniform(rng, 0.6, 1.2), uniform(rng, -1.2, -0.6),
                uniform(rng, -1.0, 1.0), uniform(rng, -1.0, 1.0));
    }

    private static double[][] randomLayers(double[][] shape, SplittableRandom rng) {
        double[][] out = new double[shape.length][];
        for (int l = 0; l < shape.length; l += 2) {
            int rows = shape[l + 1].length;
            int cols = shape[l].length / rows;
            double scale = 1.2 / Math.sqrt(cols);
            out[l] = gaussian(rng, shape[l].length, scale);
            out[l + 1] = gaussian(rng, rows, 0.3);
        }
        return out;
    }

    /** A batch of the config's size with Monte-Carlo returns of the same order as the Q-values. */
    static TransitionBatch randomBatch(CalQlConfig config, SplittableRandom rng) {
        TransitionBatch batch = new TransitionBatch(config.batchSize(), config.observationDim(), config.actionDim());
        fillGaussian(rng, batch.observations(), 1.0);
        fillGaussian(rng, batch.nextObservations(), 1.0);
        double[] actions = batch.actions();
        for (int i = 0; i < actions.length; i++) {
            actions[i] = config.maxAction() * uniform(rng, -0.9, 0.9);
        }
        fillGaussian(rng, batch.rewards(), 1.0);
        fillGaussian(rng, batch.returnsToGo(), 0.8);
        double[] dones = batch.dones();
        for (int i = 0; i < dones.length; i++) {
            dones[i] = rng.nextDouble() < 0.3 ? 1.0 : 0.0;
        }
        return batch;
    }

    /** Draws fixed once, handed out again at every update (so each evaluation sees the same numbers). */
    static FixedDraws fixedDraws(CalQlConfig config, SplittableRandom rng) {
        int b = config.batchSize();
        int a = config.actionDim();
        int n = config.cqlNActions();
        Map<DrawKind, double[]> values = new EnumMap<>(DrawKind.class);
        values.put(DrawKind.POLICY_NOISE, gaussian(rng, b * a, 1.0));
        values.put(DrawKind.TARGET_NOISE, gaussian(rng, b * (config.maxTargetBackup() ? n : 1) * a, 1.0));
        double[] random = new double[b * n * a];
        for (int i = 0; i < random.length; i++) {
            random[i] = uniform(rng, -1.0, 1.0);
        }
        values.put(DrawKind.RANDOM_ACTIONS, random);
        values.put(DrawKind.CURRENT_NOISE, gaussian(rng, b * n * a, 1.0));
        values.put(DrawKind.NEXT_NOISE, gaussian(rng, b * n * a, 1.0));
        return new FixedDraws(values);
    }

    /** Replays the same arrays at every update; checks the requested lengths. */
    static final class FixedDraws implements UpdateDraws {
        private final Map<DrawKind, double[]> values;

        FixedDraws(Map<DrawKind, double[]> values) {
            this.values = values;
        }

        @Override
        public void fill(DrawKind kind, double[] out, int count) {
            double[] v = values.get(kind);
            assertEquals(v.length, count, "length of draw " + kind);
            System.arraycopy(v, 0, out, 0, count);
        }
    }

    /** The result of one update from {@code parameters} on a fresh step (losses at those parameters). */
    static UpdateResult evaluate(CalQlConfig config, UpdateDraws draws, ModelParameters parameters,
                                 TransitionBatch batch) {
        UpdateStep step = new UpdateStep(config, java(), draws);
        step.importParameters(parameters);
        return step.update(batch);
    }

    /** The gradients of one update from {@code parameters}. */
    static ModelParameters gradients(CalQlConfig config, UpdateDraws draws, ModelParameters parameters,
                                     TransitionBatch batch) {
        UpdateStep step = new UpdateStep(config, java(), draws);
        step.importParameters(parameters);
        step.update(batch);
        return step.lastGradients();
    }

    static ModelParameters copy(ModelParameters p) {
        int k = p.critics().length;
        double[][][] q = new double[k][][];
        double[][][] t = new double[k][][];
        for (int i = 0; i < k; i++) {
            q[i] = deepCopy(p.critics()[i]);
            t[i] = deepCopy(p.targetCritics()[i]);
        }
        return new ModelParameters(q, t, deepCopy(p.policy()), p.logAlpha(), p.logAlphaPrime());
    }

    static double[][] deepCopy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    static double[] gaussian(SplittableRandom rng, int n, double scale) {
        double[] out = new double[n];
        fillGaussian(rng, out, scale);
        return out;
    }

    static void fillGaussian(SplittableRandom rng, double[] out, double scale) {
        for (int i = 0; i < out.length; i++) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            out[i] = scale * Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
        }
    }

    static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
