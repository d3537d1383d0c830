package org.calql.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.calql.spi.Activation;
import org.calql.spi.NetworkSpec;
import org.calql.testing.Richardson;

/**
 * Backward against central differences of {@code L = Σ gradOutput · output}.
 *
 * <p>With the ReLU pattern fixed, {@code L} is linear in any single parameter or input, so a central
 * difference is exact up to rounding; coordinates whose perturbation flips any ReLU are skipped.
 *
 * <p>Other activations and LayerNorm make {@code L} curved; {@link #everySpecMatchesCentralDifferences} uses the
 * Richardson-extrapolated difference {@code (4·D(h/2) − D(h))/3} with {@code h = }{@value #SMOOTH_STEP}
 * (error {@code O(h⁴)}), the same tolerance, and skips coordinates the step does not resolve
 * ({@link Richardson#resolves}: an ELU + LayerNorm case had an error of 3.8e-7 on −8.25e-4 before the
 * extrapolation check) and, for ReLU and ELU, where the perturbation flips the sign of any pre-activation (the
 * kink; ELU's second-derivative jump).
 */
class GradientCheckProperties {
    private static final double STEP = 1e-5;
    private static final double SMOOTH_STEP = 1e-4;
    private static final double RELATIVE = 1e-6;

    @Property(tries = 150)
    void backwardMatchesCentralDifferences(
            @ForAll @IntRange(min = 0, max = 4) int headDim,
            @ForAll @IntRange(min = 0, max = 3) int tailDim,
            @ForAll @Size(max = 3) List<@IntRange(min = 1, max = 6) Integer> hidden,
            @ForAll @IntRange(min = 1, max = 3) int outputDim,
            @ForAll @IntRange(min = 1, max = 3) int groups,
            @ForAll @IntRange(min = 1, max = 4) int groupSize,
            @ForAll long seed) {
        Assume.that(headDim + tailDim >= 1);
        NetworkSpec spec = NnFixtures.spec(headDim + tailDim, hidden, outputDim);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] params = NnFixtures.randomParameters(spec, rng);
        int rows = groups * groupSize;
        double[] head = NnFixtures.gaussian(rng, groups * headDim, 1.0);
        double[] tail = NnFixtures.gaussian(rng, rows * tailDim, 1.0);
        double[] gradOut = NnFixtures.gaussian(rng, rows * outputDim, 1.0);

        DenseNetwork net = new DenseNetwork(spec);
        net.importParameters(params);
        DenseWorkspace ws = (DenseWorkspace) net.newWorkspace(rows);
        double[] out = new double[rows * outputDim];
        net.forward(ws, head, tailDim == 0 ? null : tail, tailDim, groups, groupSize, out);
        DenseGradients grads = (DenseGradients) net.newGradients();
        double[] gradHead = new double[groups * headDim];
        double[] gradTail = new double[rows * tailDim];
        net.backward(ws, gradOut, grads, gradHead, gradTail);
        double[][] analytic = grads.export();

        Probe probe = new Probe(spec, tailDim, groups, groupSize, gradOut);
        boolean[] pattern = probe.pattern(params, head, tail);
        double lossScale = 1.0;
        for (int i = 0; i < out.length; i++) {
            lossScale += Math.abs(gradOut[i] * out[i]);
        }
        double absolute = 1e-9 * lossScale;

        int checked = 0;
        for (int a = 0; a < params.length; a++) {
            for (int i = 0; i < params[a].length; i++) {
                double saved = params[a][i];
                params[a][i] = saved + STEP;
                double plus = probe.loss(params, head, tail);
                boolean same = probe.samePattern(pattern);
                params[a][i] = saved - STEP;
                double minus = probe.loss(params, head, tail);
                same &= probe.samePattern(pattern);
                params[a][i] = saved;
                if (same) {
                    check("parameter array " + a + " index " + i, analytic[a][i], (plus - minus) / (2 * STEP), absolute);
                    checked++;
                }
            }
        }
        for (int i = 0; i < head.length; i++) {
            double saved = head[i];
            head[i] = saved + STEP;
            double plus = probe.loss(params, head, tail);
            boolean same = probe.samePattern(pattern);
            head[i] = saved - STEP;
            double minus = probe.loss(params, head, tail);
            same &= probe.samePattern(pattern);
            head[i] = saved;
            if (same) {
                check("gradHead[" + i + "]", gradHead[i], (plus - minus) / (2 * STEP), absolute);
            }
        }
        for (int i = 0; i < tail.length; i++) {
            double saved = tail[i];
            tail[i] = saved + STEP;
            double plus = probe.loss(params, head, tail);
            boolean same = probe.samePattern(pattern);
            tail[i] = saved - STEP;
            double minus = probe.loss(params, head, tail);
            same &= probe.samePattern(pattern);
            tail[i] = saved;
            if (same) {
                check("gradTail[" + i + "]", gradTail[i], (plus - minus) / (2 * STEP), absolute);
            }
        }
        // the last layer's weights never cross a kink, so there is always something to check
        assertTrue(checked >= spec.layerInput(spec.layerCount() - 1) * outputDim, "checked " + checked);
    }

    @Property(tries = 150)
    void everySpecMatchesCentralDifferences(
            @ForAll Activation activation,
            @ForAll boolean layerNorm,
            @ForAll @IntRange(min = 0, max = 4) int headDim,
            @ForAll @IntRange(min = 0, max = 3) int tailDim,
            @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 6) Integer> hidden,
            @ForAll @IntRange(min = 1, max = 3) int outputDim,
            @ForAll @IntRange(min = 1, max = 3) int groups,
            @ForAll @IntRange(min = 1, max = 4) int groupSize,
            @ForAll long seed) {
        Assume.that(headDim + tailDim >= 1);
        Assume.that(activation != Activation.RELU || layerNorm);
        NetworkSpec spec = NnFixtures.spec(headDim + tailDim, hidden, outputDim, activation, layerNorm);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] params = NnFixtures.randomParameters(spec, rng);
        int rows = groups * groupSize;
        double[] head = NnFixtures.gaussian(rng, groups * headDim, 1.0);
        double[] tail = NnFixtures.gaussian(rng, rows * tailDim, 1.0);
        double[] gradOut = NnFixtures.gaussian(rng, rows * outputDim, 1.0);

        DenseNetwork net = new DenseNetwork(spec);
        net.importParameters(params);
        DenseWorkspace ws = (DenseWorkspace) net.newWorkspace(rows);
        double[] out = new double[rows * outputDim];
        net.forward(ws, head, tailDim == 0 ? null : tail, tailDim, groups, groupSize, out);
        DenseGradients grads = (DenseGradients) net.newGradients();
        double[] gradHead = new double[groups * headDim];
        double[] gradTail = new double[rows * tailDim];
        net.backward(ws, gradOut, grads, gradHead, gradTail);
        double[][] analytic = grads.export();

        Probe probe = new Probe(spec, tailDim, groups, groupSize, gradOut);
        boolean[] pattern = probe.pattern(params, head, tail);
        double lossScale = 1.0;
        for (int i = 0; i < out.length; i++) {
            lossScale += Math.abs(gradOut[i] * out[i]);
        }
        double absolute = 1e-9 * lossScale;
        // ReLU's kink, and ELU's second-derivative jump, which leaves D(s) off by O(s) when crossed
        boolean kinks = activation == Activation.RELU || activation == Activation.ELU;
        double[] at = new double[Richardson.POINTS];
        int checked = 0;
        int gainsAndShiftsChecked = 0;
        double[][][] targets = {params, {head}, {tail}};
        double[][] gradients = {null, gradHead, gradTail};
        for (int t = 0; t < targets.length; t++) {
            double[][] arrays = targets[t];
            for (int a = 0; a < arrays.length; a++) {
                double[] values = arrays[a];
                for (int i = 0; i < values.length; i++) {
                    double saved = values[i];
                    boolean same = true;
                    for (int k = 0; k < at.length; k++) {
                        values[i] = saved + Richardson.offset(k) * SMOOTH_STEP;
                        at[k] = probe.loss(params, head, tail);
                        same &= !kinks || probe.samePattern(pattern);
                    }
                    values[i] = saved;
                    double numeric = Richardson.derivative(at, SMOOTH_STEP);
                    double allowed = RELATIVE * Math.abs(numeric) + absolute;
                    if (!same || !Richardson.resolves(at, SMOOTH_STEP, allowed)) {
                        continue;
                    }
                    double backward = t == 0 ? analytic[a][i] : gradients[t][i];
                    String what = t == 0 ? spec.parameterArrayName(a) + "[" + i + "]"
                            : (t == 1 ? "gradHead[" : "gradTail[") + i + "]";
                    check(what, backward, numeric, absolute);
                    checked++;
                    if (t == 0 && a % 4 >= 2 && layerNorm && a < spec.weightArray(spec.layerCount() - 1)) {
                        gainsAndShiftsChecked++;
                    }
                }
            }
        }
        // L is linear in the output layer's weights and bias, so they are always checked
        int last = spec.layerCount() - 1;
        assertTrue(checked >= (spec.layerInput(last) + 1) * outputDim, "checked " + checked);
        if (layerNorm) {
            // the output layer's weights reach every shift of the last hidden layer: some must be resolvable
            assertTrue(gainsAndShiftsChecked > 0, "no LayerNorm gain or shift was checked for " + spec);
        }
    }

    private static void check(String what, double analytic, double numeric, double absolute) {
        double error = Math.abs(analytic - numeric);
        assertTrue(error <= RELATIVE * Math.abs(numeric) + absolute,
                what + ": backward " + analytic + ", central difference " + numeric + ", error " + error);
    }

    /** Evaluates the loss of perturbed copies and reports the ReLU pattern of the last evaluation. */
    private static final class Probe {
        private final DenseNetwork net;
        private final DenseWorkspace ws;
        private final int tailDim;
        private final int groups;
        private final int groupSize;
        private final double[] gradOut;
        private final double[] out;

        Probe(NetworkSpec spec, int tailDim, int groups, int groupSize, double[] gradOut) {
            net = new DenseNetwork(spec);
            ws = (DenseWorkspace) net.newWorkspace(groups * groupSize);
            this.tailDim = tailDim;
            this.groups = groups;
            this.groupSize = groupSize;
            this.gradOut = gradOut;
            out = new double[gradOut.length];
        }

        double loss(double[][] params, double[] head, double[] tail) {
            net.importParameters(params);
            net.forward(ws, head, tailDim == 0 ? null : tail, tailDim, groups, groupSize, out);
            double loss = 0.0;
            for (int i = 0; i < out.length; i++) {
                loss += gradOut[i] * out[i];
            }
            return loss;
        }

        boolean[] pattern(double[][] params, double[] head, double[] tail) {
            loss(params, head, tail);
            return currentPattern();
        }

        boolean samePattern(boolean[] expected) {
            return java.util.Arrays.equals(expected, currentPattern());
        }

        private boolean[] currentPattern() {
            int rows = groups * groupSize;
            int total = 0;
            for (int l = 0; l < net.layers - 1; l++) {
                total += rows * net.out[l];
            }
            boolean[] pattern = new boolean[total];
            int k = 0;
            for (int l = 0; l < net.layers - 1; l++) {
                // the sign of the nonlinearity's input (ReLU's kink; ELU's second-derivative jump)
                double[] a = net.plainRelu ? ws.activations(l) : ws.preActivations[l];
                for (int i = 0; i < rows * net.out[l]; i++) {
                    pattern[k++] = a[i] > 0.0;
                }
            }
            return pattern;
        }
    }
}
