package org.calql.regularizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariants of {@link CqlRegularizer}: its value against a direct transcription of the formula, its
 * gradient against central differences, Cal-QL's mask, numerical stability at large Q-values, the
 * structure of the softmax gradient and the clip.
 */
class CqlRegularizerProperties {

    /** Random inputs of one evaluation: Q-values in the {@code [B·(1+3N)]} layout and the penalty inputs. */
    private static final class Case {
        final int batch;
        final int samples;
        final int actionDim;
        final int stride;
        final double[] q;
        final PenaltyInputs inputs;

        Case(long seed, int batch, int samples, int actionDim, double qScale) {
            SplittableRandom rng = new SplittableRandom(seed);
            this.batch = batch;
            this.samples = samples;
            this.actionDim = actionDim;
            this.stride = 1 + 3 * samples;
            q = new double[batch * stride];
            for (int i = 0; i < q.length; i++) {
                q[i] = qScale * gaussian(rng);
            }
            inputs = new PenaltyInputs(batch, samples, actionDim);
            for (int i = 0; i < batch * samples; i++) {
                inputs.logProbNext()[i] = -1.0 + gaussian(rng);
                inputs.logProbCurrent()[i] = -1.0 + gaussian(rng);
            }
            for (int b = 0; b < batch; b++) {
                inputs.referenceValues()[b] = qScale * gaussian(rng);
            }
        }

        boolean isPolicyEntry(int i) {
            return i % stride > samples;
        }

        double reference(int i) {
            return inputs.referenceValues()[i / stride];
        }
    }

    /** Per-state gaps {@code T·logsumexp(e/T) − Q(s,a_data)} before the clip, written straight from the formula. */
    private static double[] directGaps(CqlRegularizer r, Case c, double[] q) {
        int n = c.samples;
        double randomDensity = c.actionDim * Math.log(0.5);
        boolean is = r.importanceSampling();
        double t = r.temperature();
        double[] gaps = new double[c.batch];
        for (int b = 0; b < c.batch; b++) {
            int base = b * c.stride;
            double v = c.inputs.referenceValues()[b];
            double[] e = new double[is ? 3 * n : 3 * n + 1];
            int at = 0;
            for (int j = 0; j < n; j++) {
                e[at++] = is ? q[base + 1 + j] - randomDensity : q[base + 1 + j];
            }
            if (!is) {
                e[at++] = q[base];
            }
            for (int j = 0; j < n; j++) {
                double cal = r.calibration().apply(q[base + 1 + n + j], v);
                e[at++] = is ? cal - c.inputs.logProbNext()[b * n + j] : cal;
            }
            for (int j = 0; j < n; j++) {
                double cal = r.calibration().apply(q[base + 1 + 2 * n + j], v);
                e[at++] = is ? cal - c.inputs.logProbCurrent()[b * n + j] : cal;
            }
            double max = Arrays.stream(e).max().orElseThrow();
            double s = 0.0;
            for (double x : e) {
                s += Math.exp((x - max) / t);
            }
            gaps[b] = max + t * Math.log(s) - q[base];
        }
        return gaps;
    }

    private static CqlRegularizer regularizer(boolean calibrated, boolean importanceSampling, double temperature) {
        return CqlRegularizer.builder().calibration(calibrated ? Calibration.lowerBound() : Calibration.none())
                .importanceSampling(importanceSampling).temperature(temperature).build();
    }

    @Property(tries = 60)
    void valueMatchesTheFormula(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int batch,
                                @ForAll @IntRange(min = 1, max = 4) int samples,
                                @ForAll @IntRange(min = 1, max = 3) int actionDim, @ForAll boolean calibrated,
                                @ForAll boolean importanceSampling,
                                @ForAll @DoubleRange(min = 0.2, max = 3.0) double temperature) {
        Case c = new Case(seed, batch, samples, actionDim, 2.0);
        CqlRegularizer r = regularizer(calibrated, importanceSampling, temperature);
        double value = r.evaluate(c.inputs, c.q, new double[c.q.length]);
        double expected = Arrays.stream(directGaps(r, c, c.q)).average().orElseThrow();
        assertEquals(expected, value, 1e-12 * (1 + Math.abs(expected)));
    }

    @Property(tries = 60)
    void gradientMatchesCentralDifferences(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int batch,
                                           @ForAll @IntRange(min = 1, max = 3) int samples,
                                           @ForAll @IntRange(min = 1, max = 3) int actionDim,
                                           @ForAll boolean calibrated, @ForAll boolean importanceSampling,
                                           @ForAll boolean clipped,
                                           @ForAll @DoubleRange(min = 0.3, max = 3.0) double temperature) {
        double h = 1e-5;
        Case c = new Case(seed, batch, samples, actionDim, 2.0);
        CqlRegularizer.Builder builder = regularizer(calibrated, importanceSampling, temperature).toBuilder();
        double[] gaps = directGaps(builder.build(), c, c.q);
        if (clipped) {
            double middle = Arrays.stream(gaps).average().orElseThrow();
            builder.clipDiff(middle - 0.4, middle + 0.4);
        }
        CqlRegularizer r = builder.build();
        double[] grad = new double[c.q.length];
        r.evaluate(c.inputs, c.q, grad);
        int checked = 0;
        for (int i = 0; i < c.q.length; i++) {
            boolean nearCalibrationKink = calibrated && c.isPolicyEntry(i) && Math.abs(c.q[i] - c.reference(i)) < 1e-3;
            double gap = gaps[i / c.stride];
            boolean nearClip = Math.abs(gap - r.clipDiffMin()) < 1e-3 || Math.abs(gap - r.clipDiffMax()) < 1e-3;
            if (nearCalibrationKink || nearClip) {
                continue;
            }
            double saved = c.q[i];
            c.q[i] = saved + h;
            double plus = r.evaluate(c.inputs, c.q, new double[c.q.length]);
            c.q[i] = saved - h;
            double minus = r.evaluate(c.inputs, c.q, new double[c.q.length]);
            c.q[i] = saved;
            double central = (plus - minus) / (2 * h);
            assertEquals(central, grad[i], 1e-8 + 1e-6 * Math.abs(central),
                    "d value / d q[" + i + "] (" + r + ")");
            checked++;
        }
        assertTrue(checked >= c.q.length / 2, "too few entries away from kinks: " + checked);
    }

    @Property(tries = 50)
    void calQlEqualsCqlWhenEveryReferenceIsBelowEveryQValue(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int batch,
            @ForAll @IntRange(min = 1, max = 4) int samples, @ForAll boolean importanceSampling,
            @ForAll @DoubleRange(min = 0.01, max = 5.0) double margin) {
        Case c = new Case(seed, batch, samples, 2, 3.0);
        double lowest = Arrays.stream(c.q).min().orElseThrow();
        double[] ref = c.inputs.referenceValues();
        for (int b = 0; b < batch; b++) {
            ref[b] = lowest - margin - (b % 2) * 1.5;
        }
        double[] gradCql = new double[c.q.length];
        double[] gradCalQl = new double[c.q.length];
        double cql = regularizer(false, importanceSampling, 1.0).evaluate(c.inputs, c.q, gradCql);
        double calQl = regularizer(true, importanceSampling, 1.0).evaluate(c.inputs, c.q, gradCalQl);
        assertEquals(cql, calQl, 0.0, "Cal-QL must equal CQL when no Q-value is below its reference");
        assertArrayEquals(gradCql, gradCalQl, 0.0, "and so must its gradient");
    }

    @Property(tries = 50)
    void maskedEntriesGetExactlyZeroGradientAndDoNotMoveTheValue(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int batch,
            @ForAll @IntRange(min = 1, max = 4) int samples, @ForAll boolean importanceSampling,
            @ForAll @DoubleRange(min = 0.2, max = 3.0) double temperature) {
        Case c = new Case(seed, batch, samples, 2, 1.0);
        CqlRegularizer r = regularizer(true, importanceSampling, temperature);
        double[] grad = new double[c.q.length];
        double value = r.evaluate(c.inputs, c.q, grad);
        int masked = 0;
        int open = 0;
        for (int i = 0; i < c.q.length; i++) {
            if (!c.isPolicyEntry(i)) {
                continue;
            }
            if (c.q[i] < c.reference(i)) {
                masked++;
                assertEquals(0.0, grad[i], 0.0, "masked entry " + i + " (q " + c.q[i] + " < V_ref " + c.reference(i)
                        + ") must get zero gradient");
                double saved = c.q[i];
                c.q[i] = saved - 1.0;
                double lowered = r.evaluate(c.inputs, c.q, new double[c.q.length]);
                c.q[i] = saved;
                assertEquals(value, lowered, 0.0, "lowering a masked entry must not change the value");
            } else if (c.q[i] > c.reference(i)) {
                open++;
                assertTrue(grad[i] > 0.0, "an entry above V_ref must get positive gradient, entry " + i);
            }
        }
        Assume.that(masked > 0 && open > 0);
    }

    @Property(tries = 40)
    void logsumexpStaysFiniteAndShiftInvariantAtLargeQValues(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int batch,
            @ForAll @IntRange(min = 1, max = 4) int samples, @ForAll boolean calibrated,
            @ForAll boolean importanceSampling, @ForAll @IntRange(min = 0, max = 2) int pattern) {
        Case c = new Case(seed, batch, samples, 2, 1.0);
        CqlRegularizer r = regularizer(calibrated, importanceSampling, 1.0);
        double[] smallGrad = new double[c.q.length];
        double small = r.evaluate(c.inputs, c.q, smallGrad);
        if (pattern == 2) {
            // mixed: every entry ±1e4; the gap is dominated by the largest entry and stays finite
            SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
            double[] q = new double[c.q.length];
            for (int i = 0; i < q.length; i++) {
                q[i] = rng.nextBoolean() ? 1e4 : -1e4;
            }
            double[] grad = new double[q.length];
            double value = r.evaluate(c.inputs, q, grad);
            assertTrue(Double.isFinite(value), "value must be finite for mixed ±1e4 Q-values, found " + value);
            assertTrue(Math.abs(value) <= 2.1e4 + 10, "value out of range: " + value);
            checkGradientStructure(grad, c, r, -1.0);
            return;
        }
        double shift = pattern == 0 ? 1e4 : -1e4;
        double[] q = c.q.clone();
        for (int i = 0; i < q.length; i++) {
            q[i] += shift;
        }
        for (int b = 0; b < batch; b++) {
            c.inputs.referenceValues()[b] += shift;
        }
        double[] grad = new double[q.length];
        double value = r.evaluate(c.inputs, q, grad);
        assertTrue(Double.isFinite(value), "value must be finite at Q ≈ " + shift + ", found " + value);
        assertEquals(small, value, 1e-9, "shifting every Q-value and reference by " + shift
                + " must leave the gap unchanged");
        for (int i = 0; i < grad.length; i++) {
            assertTrue(Double.isFinite(grad[i]), "gradient must be finite");
            assertEquals(smallGrad[i], grad[i], 1e-9, "gradient entry " + i + " must be shift invariant");
        }
    }

    @Property(tries = 60)
    void gradientOfEachStateSumsAsTheSoftmaxDoes(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int batch,
                                                  @ForAll @IntRange(min = 1, max = 4) int samples,
                                                  @ForAll @IntRange(min = 1, max = 3) int actionDim,
                                                  @ForAll boolean importanceSampling,
                                                  @ForAll @DoubleRange(min = 0.2, max = 3.0) double temperature) {
        Case c = new Case(seed, batch, samples, actionDim, 2.0);
        CqlRegularizer r = regularizer(false, importanceSampling, temperature);
        double[] grad = new double[c.q.length];
        r.evaluate(c.inputs, c.q, grad);
        checkGradientStructure(grad, c, r, 1e-12);
    }

    /**
     * Without calibration and clip, per state: the softmax weights of the non-data entries sum to
     * {@code 1/B} with importance sampling (and the data entry gets {@code −1/B}); without it, every entry's
     * weight, the data entry's included, sums to {@code 1/B} and the data entry gets its weight minus {@code 1/B}.
     * With calibration (masked entries lose their weight) the sums are bounds; {@code tol < 0} checks only those.
     */
    private static void checkGradientStructure(double[] grad, Case c, CqlRegularizer r, double tol) {
        double invB = 1.0 / c.batch;
        for (int b = 0; b < c.batch; b++) {
            int base = b * c.stride;
            double nonData = 0.0;
            for (int j = 1; j < c.stride; j++) {
                assertTrue(Double.isFinite(grad[base + j]) && grad[base + j] >= 0.0 && grad[base + j] <= invB,
                        "non-data gradient must be a softmax weight in [0, 1/B], found " + grad[base + j]);
                nonData += grad[base + j];
            }
            double data = grad[base];
            assertTrue(Double.isFinite(data), "data entry gradient must be finite");
            if (r.importanceSampling()) {
                assertEquals(-invB, data, 1e-15, "the data entry must get −1/B with importance sampling");
            } else {
                assertTrue(data >= -invB && data <= 0.0, "the data entry's gradient lies in [−1/B, 0], found " + data);
            }
            double total = nonData + (data + invB);
            if (tol >= 0) {
                assertEquals(invB, total, tol, "softmax weights of state " + b + " must sum to 1/B");
            } else {
                assertTrue(total <= invB * (1 + 1e-12), "softmax weights of state " + b + " exceed 1/B: " + total);
            }
        }
    }

    @Property(tries = 50)
    void aClippedStateContributesNoGradient(@ForAll long seed, @ForAll @IntRange(min = 3, max = 8) int batch,
                                            @ForAll @IntRange(min = 1, max = 3) int samples,
                                            @ForAll boolean calibrated, @ForAll boolean importanceSampling) {
        Case c = new Case(seed, batch, samples, 2, 2.0);
        CqlRegularizer unclipped = regularizer(calibrated, importanceSampling, 1.0);
        double[] gaps = directGaps(unclipped, c, c.q);
        double[] sorted = gaps.clone();
        Arrays.sort(sorted);
        double lo = 0.5 * (sorted[0] + sorted[1]);
        double hi = 0.5 * (sorted[batch - 2] + sorted[batch - 1]);
        Assume.that(sorted[1] - sorted[0] > 1e-6 && sorted[batch - 1] - sorted[batch - 2] > 1e-6 && lo < hi);
        CqlRegularizer r = unclipped.toBuilder().clipDiff(lo, hi).build();
        double[] grad = new double[c.q.length];
        double[] gradUnclipped = new double[c.q.length];
        double value = r.evaluate(c.inputs, c.q, grad);
        unclipped.evaluate(c.inputs, c.q, gradUnclipped);
        double expected = 0.0;
        int clippedStates = 0;
        for (int b = 0; b < batch; b++) {
            expected += Math.max(lo, Math.min(hi, gaps[b]));
            boolean clipped = gaps[b] < lo || gaps[b] > hi;
            for (int j = 0; j < c.stride; j++) {
                int i = b * c.stride + j;
                if (clipped) {
                    assertEquals(0.0, grad[i], 0.0, "clipped state " + b + " (gap " + gaps[b] + " outside [" + lo
                            + ", " + hi + "]) must contribute zero gradient, entry " + j);
                } else {
                    assertEquals(gradUnclipped[i], grad[i], 0.0, "an unclipped state keeps its gradient");
                }
            }
            clippedStates += clipped ? 1 : 0;
        }
        assertEquals(2, clippedStates, "exactly the lowest and the highest state are clipped");
        assertEquals(expected / batch, value, 1e-12 * (1 + Math.abs(value)), "value is the mean clipped gap");
    }

    @Property(tries = 30)
    void gradQIsOverwrittenNotAccumulated(@ForAll long seed, @ForAll boolean calibrated) {
        Case c = new Case(seed, 3, 2, 2, 1.0);
        CqlRegularizer r = regularizer(calibrated, true, 1.0);
        double[] fresh = new double[c.q.length];
        double[] dirty = new double[c.q.length];
        Arrays.fill(dirty, 123.0);
        assertEquals(r.evaluate(c.inputs, c.q, fresh), r.evaluate(c.inputs, c.q, dirty), 0.0);
        assertArrayEquals(fresh, dirty, 0.0);
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
