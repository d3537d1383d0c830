package org.calql.discrete;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.calql.critic.CriticEnsembleState;
import org.calql.data.TransitionBatch;
import org.calql.regularizer.Regularizers;

/** Invariants of the discrete update: its gradient, Cal-QL's calibration, and reproducibility. */
class DiscreteUpdateProperties {

    /** A fresh update step at {@code state}; its next update reports the loss and gradients at that state. */
    private static DiscreteUpdateStep stepAt(DiscreteConfig config, DiscreteUpdateState state) {
        DiscreteUpdateStep step = new DiscreteUpdateStep(config, DiscreteFixtures.java());
        step.importState(state);
        return step;
    }

    private static DiscreteUpdateState withCritic(DiscreteUpdateState s, int k, int array, int index, double value) {
        double[][][] critics = new double[s.critics().critics().length][][];
        for (int c = 0; c < critics.length; c++) {
            critics[c] = new double[s.critics().critics()[c].length][];
            for (int i = 0; i < critics[c].length; i++) {
                critics[c][i] = s.critics().critics()[c][i].clone();
            }
        }
        critics[k][array][index] = value;
        return new DiscreteUpdateState(new CriticEnsembleState(critics, s.critics().targets(),
                s.critics().optimizers()), s.steps());
    }

    @Property(tries = 25)
    void gradientOfTheLossMatchesCentralDifferences(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int critics,
                                                    @ForAll boolean huber, @ForAll boolean calibrated,
                                                    @ForAll boolean doubleDqn) {
        SplittableRandom rng = new SplittableRandom(seed);
        DiscreteConfig config = DiscreteFixtures.small(seed).criticCount(critics).criticHidden(6)
                .tdLoss(huber ? TdLoss.HUBER : TdLoss.MSE).doubleDqn(doubleDqn).cqlAlpha(1.7)
                .regularizer(calibrated ? Regularizers.calQl() : Regularizers.cql()).build();
        DiscreteUpdateState state = DiscreteFixtures.randomState(config, rng, 0.8);
        TransitionBatch batch = DiscreteFixtures.randomBatch(config, rng);
        DiscreteUpdateStep base = stepAt(config, state);
        DiscreteUpdateResult r0 = base.update(batch);
        int[] nextActions = base.lastNextActions();
        double[][][] gradients = base.lastGradients();
        double h = 1e-6;
        int checked = 0;
        int tried = 0;
        for (int t = 0; t < 16; t++) {
            int k = rng.nextInt(critics);
            int array = rng.nextInt(gradients[k].length);
            int index = rng.nextInt(gradients[k][array].length);
            double theta = state.critics().critics()[k][array][index];
            DiscreteUpdateStep plusStep = stepAt(config, withCritic(state, k, array, index, theta + h));
            double plus = plusStep.update(batch).total();
            DiscreteUpdateStep minusStep = stepAt(config, withCritic(state, k, array, index, theta - h));
            double minus = minusStep.update(batch).total();
            tried++;
            // a kink (ReLU, Huber's |d| = 1, the calibration's max) or a flipped Double-DQN action inside ±h shows as
            // a large second difference or another next action: skip that parameter
            boolean sameTargets = Arrays.equals(nextActions, plusStep.lastNextActions())
                    && Arrays.equals(nextActions, minusStep.lastNextActions());
            if (!sameTargets || Math.abs(plus - 2 * r0.total() + minus) > 1e-9) {
                continue;
            }
            double central = (plus - minus) / (2 * h);
            assertEquals(central, gradients[k][array][index], 1e-6 + 1e-5 * Math.abs(central),
                    "d loss / d critic " + k + " array " + array + " [" + index + "]");
            checked++;
        }
        assertTrue(checked >= tried / 2, "too few parameters away from kinks: " + checked + " of " + tried);
    }

    @Property(tries = 30)
    void calQlEqualsCqlWhenEveryReferenceLiesBelowEveryQValue(@ForAll long seed,
                                                              @ForAll @IntRange(min = 1, max = 3) int critics,
                                                              @ForAll boolean huber, @ForAll boolean doubleDqn) {
        SplittableRandom rng = new SplittableRandom(seed);
        DiscreteConfig calQl = DiscreteFixtures.small(seed).criticCount(critics)
                .tdLoss(huber ? TdLoss.HUBER : TdLoss.MSE).doubleDqn(doubleDqn).regularizer(Regularizers.calQl())
                .build();
        DiscreteConfig cql = calQl.toBuilder().regularizer(Regularizers.cql()).build();
        DiscreteUpdateState state = DiscreteFixtures.randomState(calQl, rng, 0.5);
        List<TransitionBatch> batches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TransitionBatch b = DiscreteFixtures.randomBatch(calQl, rng);
            for (int j = 0; j < b.size(); j++) {
                b.returnsToGo()[j] = -1e3 - rng.nextDouble(100);
            }
            batches.add(b);
        }
        DiscreteUpdateStep a = stepAt(calQl, state);
        DiscreteUpdateStep b = stepAt(cql, state);
        for (TransitionBatch batch : batches) {
            DiscreteUpdateResult ra = a.update(batch);
            DiscreteUpdateResult rb = b.update(batch);
            assertEquals(0.0, ra.boundRate()[0], "no Q-value may lie below V_ref in this property");
            assertEquals(Double.doubleToRawLongBits(rb.total()), Double.doubleToRawLongBits(ra.total()),
                    "Cal-QL's loss must equal CQL's bit for bit");
            assertArrayEquals(rb.conservative(), ra.conservative(), 0.0);
            assertTrue(Arrays.deepEquals(b.lastGradients(), a.lastGradients()), "and so must the gradients");
        }
        assertTrue(Arrays.deepEquals(b.exportState().critics().critics(), a.exportState().critics().critics()),
                "and the parameters after the updates");
    }

    @Property(tries = 30)
    void calQlDiffersFromCqlWhenSomeQValuesLieBelowTheReference(@ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DiscreteConfig calQl = DiscreteFixtures.small(seed).build();
        DiscreteConfig cql = calQl.toBuilder().regularizer(Regularizers.cql()).build();
        DiscreteUpdateState state = DiscreteFixtures.randomState(calQl, rng, 0.5);
        TransitionBatch batch = DiscreteFixtures.randomBatch(calQl, rng);
        DiscreteUpdateResult ra = stepAt(calQl, state).update(batch);
        DiscreteUpdateResult rb = stepAt(cql, state).update(batch);
        Assume.that(ra.boundRate()[0] > 0.0);
        assertTrue(ra.conservative()[0] > rb.conservative()[0],
                "max(Q, V_ref) ≥ Q raises the logsumexp when some Q lies below V_ref: Cal-QL "
                        + ra.conservative()[0] + " vs CQL " + rb.conservative()[0]);
    }

    @Property(tries = 5)
    void sameSeedGivesTheSameBitsAfter100Updates(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int critics,
                                                 @ForAll boolean huber, @ForAll boolean doubleDqn) {
        DiscreteConfig config = DiscreteFixtures.small(seed).criticCount(critics)
                .tdLoss(huber ? TdLoss.HUBER : TdLoss.MSE).doubleDqn(doubleDqn).build();
        SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        List<TransitionBatch> batches = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batches.add(DiscreteFixtures.randomBatch(config, rng));
        }
        DiscreteUpdateStep a = new DiscreteUpdateStep(config, DiscreteFixtures.java());
        DiscreteUpdateStep b = new DiscreteUpdateStep(config, DiscreteFixtures.java());
        double[][][] initial = a.exportState().critics().critics();
        for (TransitionBatch batch : batches) {
            DiscreteUpdateResult ra = a.update(batch);
            DiscreteUpdateResult rb = b.update(batch);
            assertEquals(Double.doubleToRawLongBits(ra.total()), Double.doubleToRawLongBits(rb.total()),
                    "loss of update " + ra.step());
        }
        assertBitwiseEqual(a.exportState(), b.exportState());
        assertFalse(Arrays.deepEquals(initial, a.exportState().critics().critics()), "training must move the critics");
        DiscreteUpdateStep other = new DiscreteUpdateStep(config.toBuilder().seed(seed + 1).build(),
                DiscreteFixtures.java());
        assertFalse(Arrays.deepEquals(initial, other.exportState().critics().critics()),
                "another seed must initialise other critics");
    }

    static void assertBitwiseEqual(DiscreteUpdateState a, DiscreteUpdateState b) {
        assertEquals(a.steps(), b.steps(), "steps");
        CriticEnsembleState x = a.critics();
        CriticEnsembleState y = b.critics();
        for (int k = 0; k < x.critics().length; k++) {
            bits("critic " + k, x.critics()[k], y.critics()[k]);
            bits("target " + k, x.targets()[k], y.targets()[k]);
            bits("first moments " + k, x.optimizers()[k].firstMoment(), y.optimizers()[k].firstMoment());
            bits("second moments " + k, x.optimizers()[k].secondMoment(), y.optimizers()[k].secondMoment());
            assertEquals(x.optimizers()[k].steps(), y.optimizers()[k].steps(), "Adam steps " + k);
        }
    }

    private static void bits(String what, double[][] a, double[][] b) {
        assertEquals(a.length, b.length, what);
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                assertEquals(Double.doubleToRawLongBits(a[i][j]), Double.doubleToRawLongBits(b[i][j]),
                        what + " array " + i + " [" + j + "]");
            }
        }
    }
}
