package org.calql.discrete;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.calql.critic.CriticEnsembleState;
import org.calql.data.TransitionBatch;
import org.junit.jupiter.api.Test;

/** Rejections, resumption and configuration of the discrete update. */
class DiscreteUpdateStepTest {

    private static DiscreteUpdateStep warmStep(DiscreteConfig config, SplittableRandom rng) {
        DiscreteUpdateStep step = new DiscreteUpdateStep(config, DiscreteFixtures.java());
        for (int i = 0; i < 2; i++) {
            step.update(DiscreteFixtures.randomBatch(config, rng));
        }
        return step;
    }

    private static void assertRejectedWithoutChange(String expectedMessagePart, Consumer<TransitionBatch> spoil,
                                                    Class<? extends RuntimeException> type) {
        DiscreteConfig config = DiscreteFixtures.small(3).build();
        SplittableRandom rng = new SplittableRandom(11);
        DiscreteUpdateStep step = warmStep(config, rng);
        DiscreteUpdateState before = step.exportState();
        TransitionBatch batch = DiscreteFixtures.randomBatch(config, rng);
        spoil.accept(batch);
        RuntimeException e = assertThrows(type, () -> step.update(batch));
        assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
        DiscreteUpdateProperties.assertBitwiseEqual(before, step.exportState());
    }

    @Test
    void anActionThatIsNotAnIndexIsRejectedNamingRowAndValue() {
        assertRejectedWithoutChange("batch actions row 2 must be an action index in [0, 4), found 2.5",
                b -> b.actions()[2] = 2.5, IllegalArgumentException.class);
        assertRejectedWithoutChange("row 5 must be an action index in [0, 4), found 4.0",
                b -> b.actions()[5] = 4, IllegalArgumentException.class);
        assertRejectedWithoutChange("row 0 must be an action index in [0, 4), found -1.0",
                b -> b.actions()[0] = -1, IllegalArgumentException.class);
        assertRejectedWithoutChange("actions row 1 must be finite, found NaN",
                b -> b.actions()[1] = Double.NaN, IllegalArgumentException.class);
    }

    @Test
    void badBatchesAndNonFiniteLossesAreRejectedBeforeAnyParameterChanges() {
        assertRejectedWithoutChange("rewards row 3 must be finite", b -> b.rewards()[3] = Double.POSITIVE_INFINITY,
                IllegalArgumentException.class);
        assertRejectedWithoutChange("dones[1] must be 0 or 1", b -> b.dones()[1] = 0.5,
                IllegalArgumentException.class);
        assertRejectedWithoutChange("non-finite loss", b -> java.util.Arrays.fill(b.rewards(), 1.7e308),
                IllegalStateException.class);
        DiscreteConfig config = DiscreteFixtures.small(3).build();
        DiscreteUpdateStep step = new DiscreteUpdateStep(config, DiscreteFixtures.java());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> step.update(new TransitionBatch(config.batchSize(), config.observationDim(), 2)));
        assertTrue(shape.getMessage().contains("actionDim 1"), shape.getMessage());
        DiscreteUpdateStep badReference = new DiscreteUpdateStep(config.toBuilder()
                .referenceValues((batch, out) -> java.util.Arrays.fill(out, 0, batch.size(), Double.NaN)).build(),
                DiscreteFixtures.java());
        IllegalArgumentException ref = assertThrows(IllegalArgumentException.class,
                () -> badReference.update(DiscreteFixtures.randomBatch(config, new SplittableRandom(1))));
        assertTrue(ref.getMessage().contains("reference value of row 0 must be finite"), ref.getMessage());
        assertEquals(0, badReference.steps());
    }

    @Test
    void anExportedStateResumesBitForBitAcrossTargetMoves() {
        DiscreteConfig config = DiscreteFixtures.small(5).targetUpdatePeriod(4).build();
        SplittableRandom rng = new SplittableRandom(21);
        TransitionBatch[] batches = new TransitionBatch[14];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = DiscreteFixtures.randomBatch(config, rng);
        }
        DiscreteUpdateStep straight = new DiscreteUpdateStep(config, DiscreteFixtures.java());
        DiscreteUpdateStep first = new DiscreteUpdateStep(config, DiscreteFixtures.java());
        for (int i = 0; i < 7; i++) {
            straight.update(batches[i]);
            first.update(batches[i]);
        }
        DiscreteUpdateStep resumed = new DiscreteUpdateStep(config.toBuilder().seed(99).build(),
                DiscreteFixtures.java());
        resumed.importState(first.exportState());
        assertEquals(7, resumed.steps());
        for (int i = 7; i < batches.length; i++) {
            DiscreteUpdateResult a = straight.update(batches[i]);
            DiscreteUpdateResult b = resumed.update(batches[i]);
            assertEquals(a.step(), b.step());
            assertEquals(Double.doubleToRawLongBits(a.total()), Double.doubleToRawLongBits(b.total()));
        }
        DiscreteUpdateProperties.assertBitwiseEqual(straight.exportState(), resumed.exportState());
    }

    @Test
    void targetsMoveExactlyEveryPeriodUpdates() {
        DiscreteConfig config = DiscreteFixtures.small(5).targetUpdatePeriod(3).tau(1.0).build();
        SplittableRandom rng = new SplittableRandom(2);
        DiscreteUpdateStep step = new DiscreteUpdateStep(config, DiscreteFixtures.java());
        double[][][] targets = step.exportState().critics().targets();
        for (int t = 1; t <= 6; t++) {
            step.update(DiscreteFixtures.randomBatch(config, rng));
            CriticEnsembleState s = step.exportState().critics();
            if (t % 3 == 0) {
                assertTrue(java.util.Arrays.deepEquals(s.critics(), s.targets()), "hard copy after update " + t);
                targets = s.targets();
            } else {
                assertTrue(java.util.Arrays.deepEquals(targets, s.targets()), "targets unmoved after update " + t);
            }
        }
    }

    @Test
    void aBadStateIsRejectedAndLeavesTheStepUnchanged() {
        DiscreteConfig config = DiscreteFixtures.small(5).build();
        DiscreteUpdateStep step = warmStep(config, new SplittableRandom(4));
        DiscreteUpdateState before = step.exportState();
        assertThrows(IllegalArgumentException.class, () -> step.importState(new DiscreteUpdateState(
                before.critics(), -1)));
        DiscreteUpdateState other = new DiscreteUpdateStep(config.toBuilder().criticCount(3).build(),
                DiscreteFixtures.java()).exportState();
        assertThrows(IllegalArgumentException.class, () -> step.importState(other));
        DiscreteUpdateProperties.assertBitwiseEqual(before, step.exportState());
    }

    @Test
    void configValidationNamesFieldValueAndRule() {
        assertMessage("numActions must be at least 2, found 1", b -> b.numActions(1));
        assertMessage("observationDim must be positive, found 0", b -> b.observationDim(0));
        assertMessage("batchSize must be positive, found -3", b -> b.batchSize(-3));
        assertMessage("criticCount must be positive, found 0", b -> b.criticCount(0));
        assertMessage("discount must lie in [0, 1), found 1.0", b -> b.discount(1.0));
        assertMessage("lr must be positive and finite, found 0.0", b -> b.lr(0.0));
        assertMessage("cqlAlpha must be finite and not negative, found -1.0", b -> b.cqlAlpha(-1));
        assertMessage("targetUpdatePeriod must be positive, found 0", b -> b.targetUpdatePeriod(0));
        assertMessage("tau must lie in (0, 1], found 1.5", b -> b.tau(1.5));
        assertThrows(NullPointerException.class, () -> DiscreteFixtures.small(1).regularizer(null).build());
        DiscreteConfig d = DiscreteConfig.builder().observationDim(2).numActions(3).build();
        assertEquals(32, d.batchSize());
        assertEquals(6.25e-5, d.lr());
        assertEquals(8000, d.targetUpdatePeriod());
        assertEquals(1.0, d.tau());
        assertEquals(1, d.criticCount());
        assertEquals(TdLoss.HUBER, d.tdLoss());
        assertTrue(d.doubleDqn());
        assertEquals(d, d.toBuilder().build());
        assertEquals(d.hashCode(), d.toBuilder().build().hashCode());
    }

    private static void assertMessage(String expected, Consumer<DiscreteConfig.Builder> change) {
        DiscreteConfig.Builder b = DiscreteFixtures.small(1);
        change.accept(b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void tdLossesAndTheirDerivatives() {
        assertEquals(0.125, TdLoss.HUBER.loss(0.5));
        assertEquals(1.5, TdLoss.HUBER.loss(-2.0));
        assertEquals(-0.5, TdLoss.HUBER.derivative(-0.5));
        assertEquals(-1.0, TdLoss.HUBER.derivative(-2.0));
        assertEquals(4.0, TdLoss.MSE.loss(-2.0));
        assertEquals(-4.0, TdLoss.MSE.derivative(-2.0));
    }
}
