package org.calql.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link TanhGaussian#backward} and {@link TanhGaussian#logProbOfActions} against central differences in
 * float64. Every function here is smooth: pre-squash values stay within {@code |u| < 8}, far from the
 * softplus threshold at {@code −2u = 20}, and data actions stay inside the {@code ±(1 − 1e-6)} clip.
 */
class TanhGaussianGradientProperties {
    private static final double STEP = 1e-5;
    private static final double ATOL = 1e-8;
    private static final double RTOL = 1e-6;

    /** One random sampling problem: parameters, noise and the upstream gradients of a linear loss. */
    private static final class Problem {
        final int rows;
        final int samples;
        final int actionDim;
        final double maxAction;
        final double[] mean;
        final double[] logStd;
        final double[] noise;
        final double[] gradAction;
        final double[] gradLogProb;

        Problem(long seed, int rows, int samples, int actionDim, double maxAction) {
            SplittableRandom rng = new SplittableRandom(seed);
            this.rows = rows;
            this.samples = samples;
            this.actionDim = actionDim;
            this.maxAction = maxAction;
            mean = uniform(rng, rows * actionDim, -2.0, 2.0);
            logStd = uniform(rng, rows * actionDim, -3.0, 0.5);
            noise = uniform(rng, rows * samples * actionDim, -2.5, 2.5);
            gradAction = uniform(rng, rows * samples * actionDim, -1.0, 1.0);
            gradLogProb = uniform(rng, rows * samples, -1.0, 1.0);
        }

        /** {@code Σ gA·action + Σ gLP·log π} with either term switched off. */
        double loss(double[] m, double[] ls, boolean actionPath, boolean logProbPath) {
            double[] actions = new double[rows * samples * actionDim];
            double[] squashed = new double[actions.length];
            double[] logProb = new double[rows * samples];
            TanhGaussian.sample(m, ls, rows, samples, actionDim, noise, maxAction, actions, squashed, logProb);
            double loss = 0.0;
            if (actionPath) {
                for (int i = 0; i < actions.length; i++) {
                    loss += gradAction[i] * actions[i];
                }
            }
            if (logProbPath) {
                for (int i = 0; i < logProb.length; i++) {
                    loss += gradLogProb[i] * logProb[i];
                }
            }
            return loss;
        }

        /** Analytic {@code [gradMean, gradLogStd]} from {@link TanhGaussian#backward}. */
        double[][] backward(boolean actionPath, boolean logProbPath) {
            double[] actions = new double[rows * samples * actionDim];
            double[] squashed = new double[actions.length];
            double[] logProb = new double[rows * samples];
            TanhGaussian.sample(mean, logStd, rows, samples, actionDim, noise, maxAction, actions, squashed, logProb);
            double[] gradMean = new double[mean.length];
            double[] gradLogStd = new double[logStd.length];
            TanhGaussian.backward(logStd, rows, samples, actionDim, noise, maxAction, squashed,
                    actionPath ? gradAction : null, logProbPath ? gradLogProb : null, gradMean, gradLogStd);
            return new double[][] {gradMean, gradLogStd};
        }
    }

    @Property(tries = 40)
    void logProbPathMatchesCentralDifferences(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int rows,
                                              @ForAll @IntRange(min = 1, max = 3) int samples,
                                              @ForAll @IntRange(min = 1, max = 3) int actionDim,
                                              @ForAll @DoubleRange(min = 0.5, max = 3.0) double maxAction) {
        Problem p = new Problem(seed, rows, samples, actionDim, maxAction);
        checkAgainstDifferences(p, p.backward(false, true), (m) -> p.loss(m[0], m[1], false, true));
    }

    @Property(tries = 40)
    void actionPathMatchesCentralDifferences(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int rows,
                                             @ForAll @IntRange(min = 1, max = 3) int samples,
                                             @ForAll @IntRange(min = 1, max = 3) int actionDim,
                                             @ForAll @DoubleRange(min = 0.5, max = 3.0) double maxAction) {
        Problem p = new Problem(seed, rows, samples, actionDim, maxAction);
        checkAgainstDifferences(p, p.backward(true, false), (m) -> p.loss(m[0], m[1], true, false));
    }

    @Property(tries = 40)
    void bothPathsAddUp(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int rows,
                        @ForAll @IntRange(min = 1, max = 3) int samples,
                        @ForAll @IntRange(min = 1, max = 3) int actionDim) {
        Problem p = new Problem(seed, rows, samples, actionDim, 1.0);
        double[][] both = p.backward(true, true);
        checkAgainstDifferences(p, both, (m) -> p.loss(m[0], m[1], true, true));
        double[][] action = p.backward(true, false);
        double[][] logProb = p.backward(false, true);
        for (int part = 0; part < 2; part++) {
            for (int i = 0; i < both[part].length; i++) {
                assertEquals(action[part][i] + logProb[part][i], both[part][i], 1e-12,
                        "backward must add the two paths");
            }
        }
    }

    @Property(tries = 20)
    void backwardAddsIntoExistingGradients(@ForAll long seed) {
        Problem p = new Problem(seed, 3, 2, 2, 1.0);
        double[][] fresh = p.backward(true, true);
        double[] actions = new double[3 * 2 * 2];
        double[] squashed = new double[actions.length];
        double[] logProb = new double[3 * 2];
        TanhGaussian.sample(p.mean, p.logStd, 3, 2, 2, p.noise, 1.0, actions, squashed, logProb);
        double[] gradMean = new double[6];
        double[] gradLogStd = new double[6];
        java.util.Arrays.fill(gradMean, 0.25);
        java.util.Arrays.fill(gradLogStd, -0.5);
        TanhGaussian.backward(p.logStd, 3, 2, 2, p.noise, 1.0, squashed, p.gradAction, p.gradLogProb,
                gradMean, gradLogStd);
        for (int i = 0; i < 6; i++) {
            assertEquals(fresh[0][i] + 0.25, gradMean[i], 1e-12);
            assertEquals(fresh[1][i] - 0.5, gradLogStd[i], 1e-12);
        }
    }

    @Property(tries = 40)
    void logProbOfActionsGradientsMatchCentralDifferences(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int rows,
            @ForAll @IntRange(min = 1, max = 3) int actionDim,
            @ForAll @DoubleRange(min = 0.5, max = 3.0) double maxAction,
            @ForAll @DoubleRange(min = -2.0, max = 2.0) double gradScale) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = rows * actionDim;
        double[] mean = uniform(rng, n, -2.0, 2.0);
        double[] logStd = uniform(rng, n, -2.0, 0.5);
        double[] actions = uniform(rng, n, -0.95 * maxAction, 0.95 * maxAction);
        double[] gradMean = new double[n];
        double[] gradLogStd = new double[n];
        double total = TanhGaussian.logProbOfActions(mean, logStd, rows, actionDim, actions, maxAction, gradScale,
                gradMean, gradLogStd);
        double[] ignoredMean = new double[n];
        double[] ignoredLogStd = new double[n];
        assertEquals(total, TanhGaussian.logProbOfActions(mean, logStd, rows, actionDim, actions, maxAction, 0.0,
                ignoredMean, ignoredLogStd), 0.0, "the value must not depend on gradScale");
        assertTrue(java.util.Arrays.stream(ignoredMean).allMatch(v -> v == 0.0), "gradScale 0 skips the gradient");
        ToDoubleFunction<double[][]> f = m -> gradScale * TanhGaussian.logProbOfActions(m[0], m[1], rows,
                actionDim, actions, maxAction, 0.0, new double[n], new double[n]);
        checkArrays(new double[][] {mean, logStd}, new double[][] {gradMean, gradLogStd}, f);
    }

    @Property(tries = 30)
    void logProbOfActionsAgreesWithSampling(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int actionDim,
                                            @ForAll @DoubleRange(min = 0.5, max = 3.0) double maxAction) {
        // the density of the sampled action must be the sampling log-prob (atanh inverts the squash)
        Problem p = new Problem(seed, 2, 1, actionDim, maxAction);
        double[] actions = new double[2 * actionDim];
        double[] squashed = new double[actions.length];
        double[] logProb = new double[2];
        TanhGaussian.sample(p.mean, p.logStd, 2, 1, actionDim, p.noise, maxAction, actions, squashed, logProb);
        for (int r = 0; r < 2; r++) {
            boolean inside = true;
            for (int a = 0; a < actionDim; a++) {
                inside &= Math.abs(squashed[r * actionDim + a]) < 0.99;
            }
            if (!inside) {
                continue;
            }
            double[] m = java.util.Arrays.copyOfRange(p.mean, r * actionDim, (r + 1) * actionDim);
            double[] ls = java.util.Arrays.copyOfRange(p.logStd, r * actionDim, (r + 1) * actionDim);
            double[] act = java.util.Arrays.copyOfRange(actions, r * actionDim, (r + 1) * actionDim);
            double lp = TanhGaussian.logProbOfActions(m, ls, 1, actionDim, act, maxAction, 0.0, new double[actionDim],
                    new double[actionDim]);
            assertEquals(logProb[r], lp, 1e-7 * (1 + Math.abs(lp)));
        }
    }

    private static void checkAgainstDifferences(Problem p, double[][] analytic, ToDoubleFunction<double[][]> loss) {
        checkArrays(new double[][] {p.mean, p.logStd}, analytic, loss);
    }

    /** Central differences of {@code loss} over every entry of both arrays (mean, logStd). */
    private static void checkArrays(double[][] point, double[][] analytic, ToDoubleFunction<double[][]> loss) {
        String[] names = {"mean", "logStd"};
        for (int part = 0; part < 2; part++) {
            for (int i = 0; i < point[part].length; i++) {
                double saved = point[part][i];
                point[part][i] = saved + STEP;
                double plus = loss.applyAsDouble(point);
                point[part][i] = saved - STEP;
                double minus = loss.applyAsDouble(point);
                point[part][i] = saved;
                double central = (plus - minus) / (2 * STEP);
                double bound = ATOL + RTOL * Math.abs(central);
                assertEquals(central, analytic[part][i], bound,
                        "d loss / d " + names[part] + "[" + i + "]: analytic " + analytic[part][i] + ", central "
                                + central);
            }
        }
    }

    private static double[] uniform(SplittableRandom rng, int n, double lo, double hi) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return out;
    }
}
