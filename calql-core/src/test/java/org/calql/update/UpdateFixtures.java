package org.calql.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.random.DrawKind;
import org.calql.random.UpdateDraws;
import org.calql.spi.Backend;
import org.calql.spi.Backends;

/**
 * Small update steps with random parameters, batches and replayed draws, and a central-difference checker
 * that tells a wrong gradient from a perturbation that crosses a kink (ReLU, min/max, clamp).
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

    /**
     * Central differences of scalar functions of one coordinate, checked against analytic derivatives.
     *
     * <p>A mismatch is forgiven only when the perturbation demonstrably crosses a kink: then the second
     * differences at {@code x − h}, {@code x}, {@code x + h} disagree by at least {@code h·|error|} (a kink of
     * slope jump {@code J} at distance {@code d < h} shifts the central difference by {@code J(h − d)/(2h)} and
     * the middle second difference by {@code J(h − d)}), whereas along a smooth path they agree to
     * {@code O(h³)} plus rounding. At most a tenth of the coordinates may be forgiven.
     */
    static final class FiniteDifferences {
        private final String what;
        private final double step;
        private final double atol;
        private final double rtol;
        private final List<String> failures = new ArrayList<>();
        private int checked;
        private int forgiven;
        private double worst;

        FiniteDifferences(String what, double step, double atol, double rtol) {
            this.what = what;
            this.step = step;
            this.atol = atol;
            this.rtol = rtol;
        }

        /** Checks {@code d f(δ)/dδ} at {@code δ = 0} against {@code analytic}. */
        void check(String where, double analytic, DoubleUnaryOperator f) {
            double h = step;
            double plus = f.applyAsDouble(h);
            double minus = f.applyAsDouble(-h);
            double central = (plus - minus) / (2 * h);
            double error = Math.abs(central - analytic);
            double bound = atol + rtol * Math.max(Math.abs(analytic), Math.abs(central));
            checked++;
            worst = Math.max(worst, error / bound);
            if (error <= bound) {
                return;
            }
            double zero = f.applyAsDouble(0.0);
            double plus2 = f.applyAsDouble(2 * h);
            double minus2 = f.applyAsDouble(-2 * h);
            double d2Left = minus2 - 2 * minus + zero;
            double d2Mid = minus - 2 * zero + plus;
            double d2Right = zero - 2 * plus + plus2;
            double spread = Math.max(Math.abs(d2Mid - d2Left), Math.abs(d2Mid - d2Right));
            if (spread >= h * error) {
                forgiven++;
                return;
            }
            if (failures.size() < 20) {
                failures.add(where + ": analytic " + analytic + ", central difference " + central + " (|diff| "
                        + error + " > " + bound + ", second-difference spread " + spread + ")");
            }
        }

        /** Fails with every mismatch; also fails when too few coordinates were checked cleanly. */
        void finish(int minimumChecked) {
            if (!failures.isEmpty()) {
                fail(what + ": " + failures.size() + " gradient mismatches of " + checked + " (worst |diff|/bound "
                        + worst + "):\n  " + String.join("\n  ", failures));
            }
            if (checked < minimumChecked) {
                fail(what + ": only " + checked + " coordinates checked, expected at least " + minimumChecked);
            }
            if (forgiven * 10 > checked) {
                fail(what + ": " + forgiven + " of " + checked + " coordinates crossed a kink; the check is too weak");
            }
        }
    }
}
