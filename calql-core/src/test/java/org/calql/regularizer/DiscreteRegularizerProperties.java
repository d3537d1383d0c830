package org.calql.regularizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link CqlRegularizer} over the discrete {@link QLayout#allActions} layout:
 * {@code mean_b [T·logsumexp_a(c(Q(s_b,a))/T) − Q(s_b,a_b)]}, its gradient, and Cal-QL's mask.
 */
class DiscreteRegularizerProperties {

    private static final class Case {
        final int batch;
        final int actions;
        final PenaltyInputs inputs;
        final double[] q;

        Case(long seed, int batch, int actions, double spread) {
            SplittableRandom rng = new SplittableRandom(seed);
            this.batch = batch;
            this.actions = actions;
            inputs = PenaltyInputs.allActions(batch, actions);
            q = new double[batch * actions];
            for (int i = 0; i < q.length; i++) {
                q[i] = rng.nextDouble(-spread, spread);
            }
            for (int b = 0; b < batch; b++) {
                inputs.referenceValues()[b] = rng.nextDouble(-spread, spread);
                inputs.dataIndices()[b] = rng.nextInt(actions);
            }
        }

        double reference(int i) {
            return inputs.referenceValues()[i / actions];
        }

        boolean isData(int i) {
            return inputs.dataIndices()[i / actions] == i % actions;
        }
    }

    private static CqlRegularizer regularizer(boolean calibrated, boolean importanceSampling, double temperature) {
        return CqlRegularizer.builder().calibration(calibrated ? Calibration.lowerBound() : Calibration.none())
                .importanceSampling(importanceSampling).temperature(temperature).build();
    }

    /** The formula, written out directly. */
    private static double direct(CqlRegularizer r, Case c, double[] q) {
        double t = r.temperature();
        double sum = 0.0;
        for (int b = 0; b < c.batch; b++) {
            double v = c.inputs.referenceValues()[b];
            double s = 0.0;
            for (int a = 0; a < c.actions; a++) {
                s += Math.exp(r.calibration().apply(q[b * c.actions + a], v) / t);
            }
            sum += t * Math.log(s) - q[b * c.actions + c.inputs.dataIndices()[b]];
        }
        return sum / c.batch;
    }

    @Property(tries = 60)
    void valueMatchesTheFormulaWithOrWithoutImportanceSampling(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int batch,
            @ForAll @IntRange(min = 2, max = 6) int actions, @ForAll boolean calibrated,
            @ForAll boolean importanceSampling, @ForAll @DoubleRange(min = 0.2, max = 3.0) double temperature) {
        Case c = new Case(seed, batch, actions, 2.0);
        CqlRegularizer r = regularizer(calibrated, importanceSampling, temperature);
        double value = r.evaluate(c.inputs, c.q, new double[c.q.length]);
        double expected = direct(r, c, c.q);
        assertEquals(expected, value, 1e-12 * (1 + Math.abs(expected)));
        double other = regularizer(calibrated, !importanceSampling, temperature)
                .evaluate(c.inputs, c.q, new double[c.q.length]);
        assertEquals(Double.doubleToRawLongBits(value), Double.doubleToRawLongBits(other),
                "every action is enumerated, so importance sampling changes nothing");
    }

    @Property(tries = 60)
    void gradientMatchesCentralDifferences(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int batch,
                                           @ForAll @IntRange(min = 2, max = 5) int actions,
                                           @ForAll boolean calibrated,
                                           @ForAll @DoubleRange(min = 0.3, max = 3.0) double temperature) {
        double h = 1e-5;
        Case c = new Case(seed, batch, actions, 2.0);
        CqlRegularizer r = regularizer(calibrated, true, temperature);
        double[] grad = new double[c.q.length];
        r.evaluate(c.inputs, c.q, grad);
        int checked = 0;
        for (int i = 0; i < c.q.length; i++) {
            if (calibrated && Math.abs(c.q[i] - c.reference(i)) < 1e-3) {
                continue;
            }
            double saved = c.q[i];
            c.q[i] = saved + h;
            double plus = r.evaluate(c.inputs, c.q, new double[c.q.length]);
            c.q[i] = saved - h;
            double minus = r.evaluate(c.inputs, c.q, new double[c.q.length]);
            c.q[i] = saved;
            double central = (plus - minus) / (2 * h);
            assertEquals(central, grad[i], 1e-8 + 1e-6 * Math.abs(central), "d value / d q[" + i + "] (" + r + ")");
            checked++;
        }
        assertTrue(checked >= c.q.length / 2, "too few entries away from kinks: " + checked);
    }

    @Property(tries = 60)
    void entriesBelowTheReferenceGetExactlyZeroGradient(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int batch,
                                                        @ForAll @IntRange(min = 2, max = 6) int actions,
                                                        @ForAll @DoubleRange(min = 0.2, max = 3.0) double temperature) {
        Case c = new Case(seed, batch, actions, 1.0);
        CqlRegularizer r = regularizer(true, true, temperature);
        double[] grad = new double[c.q.length];
        double value = r.evaluate(c.inputs, c.q, grad);
        double invB = 1.0 / batch;
        int masked = 0;
        int open = 0;
        for (int i = 0; i < c.q.length; i++) {
            if (c.q[i] < c.reference(i)) {
                masked++;
                // the push-down part is zero; a masked data entry keeps only its −1/B from − Q(s, a_data)
                assertEquals(c.isData(i) ? -invB : 0.0, grad[i], 0.0, "masked entry " + i + " (q " + c.q[i]
                        + " < V_ref " + c.reference(i) + ")" + (c.isData(i) ? ", the data action" : ""));
                if (!c.isData(i)) {
                    double saved = c.q[i];
                    c.q[i] = saved - 1.0;
                    double lowered = r.evaluate(c.inputs, c.q, new double[c.q.length]);
                    c.q[i] = saved;
                    assertEquals(value, lowered, 0.0, "lowering a masked entry must not change the value");
                }
            } else if (c.q[i] > c.reference(i) && !c.isData(i)) {
                open++;
                assertTrue(grad[i] > 0.0, "an entry above V_ref must get positive gradient, entry " + i);
            }
        }
        Assume.that(masked > 0 && open > 0);
    }

    @Property(tries = 50)
    void calQlEqualsCqlWhenEveryReferenceLiesBelowEveryQValue(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int batch,
            @ForAll @IntRange(min = 2, max = 6) int actions,
            @ForAll @DoubleRange(min = 0.01, max = 5.0) double margin) {
        Case c = new Case(seed, batch, actions, 3.0);
        double lowest = Arrays.stream(c.q).min().orElseThrow();
        for (int b = 0; b < batch; b++) {
            c.inputs.referenceValues()[b] = lowest - margin - (b % 2) * 1.5;
        }
        double[] gradCql = new double[c.q.length];
        double[] gradCalQl = new double[c.q.length];
        double cql = regularizer(false, true, 1.0).evaluate(c.inputs, c.q, gradCql);
        double calQl = regularizer(true, true, 1.0).evaluate(c.inputs, c.q, gradCalQl);
        assertEquals(cql, calQl, 0.0, "Cal-QL must equal CQL when no Q-value is below its reference");
        assertArrayEquals(gradCql, gradCalQl, 0.0, "and so must its gradient");
    }

    @Property(tries = 40)
    void gradientOfEachStateIsTheSoftmaxMinusTheDataAction(@ForAll long seed,
                                                           @ForAll @IntRange(min = 1, max = 6) int batch,
                                                           @ForAll @IntRange(min = 2, max = 6) int actions) {
        Case c = new Case(seed, batch, actions, 2.0);
        double[] grad = new double[c.q.length];
        Arrays.fill(grad, 99.0);
        regularizer(false, true, 1.0).evaluate(c.inputs, c.q, grad);
        for (int b = 0; b < batch; b++) {
            double sum = 0.0;
            for (int a = 0; a < actions; a++) {
                sum += grad[b * actions + a];
            }
            assertEquals(0.0, sum, 1e-15, "softmax weights sum to 1/B and the data action subtracts 1/B, state " + b);
            int d = c.inputs.dataIndices()[b];
            assertTrue(grad[b * actions + d] < 0.0, "the data action is pushed up");
        }
    }

    @Test
    void aDataIndexOutsideTheBlockIsRejected() {
        Case c = new Case(1, 3, 4, 1.0);
        c.inputs.dataIndices()[2] = 4;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Regularizers.calQl().evaluate(c.inputs, c.q, new double[c.q.length]));
        assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains("found 4"), e.getMessage());
    }

    @Test
    void layoutsDescribeTheirBlocks() {
        QLayout discrete = QLayout.allActions(5);
        assertEquals(5, discrete.stride());
        assertTrue(discrete.dataPerRow() && discrete.dataAmongPushedDown());
        assertEquals(1, discrete.groupCount());
        assertTrue(discrete.group(0).calibrated());
        assertEquals(QLayout.Correction.NONE, discrete.group(0).correction());
        QLayout continuous = QLayout.sampledActions(3, 2);
        assertEquals(10, continuous.stride());
        assertEquals(0, continuous.dataOffset());
        assertEquals(Math.log(0.25), continuous.group(0).logDensity(), 0.0);
        assertTrue(!continuous.group(0).calibrated() && continuous.group(1).calibrated()
                && continuous.group(2).calibrated());
        assertEquals(continuous, new PenaltyInputs(4, 3, 2).layout());
        PenaltyInputs d = PenaltyInputs.allActions(4, 5);
        assertThrows(IllegalStateException.class, d::logProbCurrent);
        assertThrows(IllegalStateException.class, d::samples);
        assertThrows(IllegalArgumentException.class, () -> QLayout.allActions(1));
        assertThrows(IllegalArgumentException.class, () -> PenaltyInputs.allActions(0, 3));
    }
}
