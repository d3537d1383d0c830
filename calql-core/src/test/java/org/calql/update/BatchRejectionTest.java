package org.calql.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.calql.config.CalQlConfig;
import org.calql.data.TransitionBatch;
import org.calql.random.Rng;
import org.calql.random.UpdateDraws;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A batch with NaN/Inf, a bad done flag or the wrong dimensions is rejected by {@link UpdateStep#update}
 * before anything changes: parameters, step count, and the random stream (the next good update is the one
 * a step that never saw the bad batch takes).
 */
class BatchRejectionTest {

    private static CalQlConfig config() {
        return UpdateFixtures.smallConfig(5).lagrange(true).build();
    }

    static Stream<Arguments> badBatches() {
        return Stream.of(
                poison("observations", "NaN", b -> b.observations()[4] = Double.NaN),
                poison("observations", "Infinity", b -> b.observations()[0] = Double.POSITIVE_INFINITY),
                poison("actions", "NaN", b -> b.actions()[3] = Double.NaN),
                poison("actions", "-Infinity", b -> b.actions()[1] = Double.NEGATIVE_INFINITY),
                poison("rewards", "Infinity", b -> b.rewards()[2] = Double.POSITIVE_INFINITY),
                poison("rewards", "NaN", b -> b.rewards()[5] = Double.NaN),
                poison("nextObservations", "NaN", b -> b.nextObservations()[17] = Double.NaN),
                poison("nextObservations", "-Infinity", b -> b.nextObservations()[2] = Double.NEGATIVE_INFINITY),
                poison("returnsToGo", "NaN", b -> b.returnsToGo()[0] = Double.NaN),
                poison("returnsToGo", "Infinity", b -> b.returnsToGo()[1] = Double.POSITIVE_INFINITY),
                poison("dones", "0.5", b -> b.dones()[1] = 0.5),
                poison("dones", "NaN", b -> b.dones()[0] = Double.NaN));
    }

    private static Arguments poison(String field, String value, Consumer<TransitionBatch> set) {
        return Arguments.of(field, value, set);
    }

    @ParameterizedTest(name = "{0} holding {1}")
    @MethodSource("badBatches")
    void nonFiniteBatchIsRejectedBeforeAnythingChanges(String field, String value, Consumer<TransitionBatch> poison) {
        CalQlConfig config = config();
        SplittableRandom data = new SplittableRandom(11);
        TransitionBatch good = UpdateFixtures.randomBatch(config, data);
        TransitionBatch bad = UpdateFixtures.randomBatch(config, data);
        poison.accept(bad);

        UpdateStep step = new UpdateStep(config, UpdateFixtures.java(), UpdateDraws.from(new Rng(1)));
        UpdateStep twin = new UpdateStep(config, UpdateFixtures.java(), UpdateDraws.from(new Rng(1)));
        step.update(good);
        twin.update(good);
        ModelParameters before = step.exportParameters();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> step.update(bad));
        assertTrue(e.getMessage().contains(field) && e.getMessage().contains(value),
                "message must name " + field + " and " + value + ": " + e.getMessage());
        assertEquals(1, step.steps(), "a rejected batch must not count as an update");
        DeterminismTest.assertBitwiseEqual(before, step.exportParameters());

        step.update(good);
        twin.update(good);
        DeterminismTest.assertBitwiseEqual(twin.exportParameters(), step.exportParameters());
    }

    static Stream<Arguments> wrongShapes() {
        return Stream.of(
                Arguments.of(UpdateFixtures.BATCH + 1, UpdateFixtures.OBS, UpdateFixtures.ACT),
                Arguments.of(UpdateFixtures.BATCH - 1, UpdateFixtures.OBS, UpdateFixtures.ACT),
                Arguments.of(UpdateFixtures.BATCH, UpdateFixtures.OBS + 1, UpdateFixtures.ACT),
                Arguments.of(UpdateFixtures.BATCH, UpdateFixtures.OBS, UpdateFixtures.ACT + 1),
                Arguments.of(UpdateFixtures.BATCH, UpdateFixtures.OBS - 1, UpdateFixtures.ACT - 1));
    }

    @ParameterizedTest(name = "batch [{0}, {1}, {2}]")
    @MethodSource("wrongShapes")
    void batchOfWrongDimensionsIsRejectedBeforeAnythingChanges(int rows, int obs, int act) {
        CalQlConfig config = config();
        UpdateStep step = new UpdateStep(config, UpdateFixtures.java(), UpdateDraws.from(new Rng(1)));
        ModelParameters before = step.exportParameters();
        TransitionBatch wrong = new TransitionBatch(rows, obs, act);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> step.update(wrong));
        assertTrue(e.getMessage().contains("[" + rows + ", " + obs + ", " + act + "]"),
                "message must give the batch's dimensions: " + e.getMessage());
        assertEquals(0, step.steps());
        DeterminismTest.assertBitwiseEqual(before, step.exportParameters());
    }

    @Test
    void nonFiniteReferenceValueIsRejectedBeforeAnythingChanges() {
        CalQlConfig config = UpdateFixtures.smallConfig(5)
                .referenceValues((batch, out) -> java.util.Arrays.fill(out, 0, batch.size(), Double.NaN)).build();
        UpdateStep step = new UpdateStep(config, UpdateFixtures.java(), UpdateDraws.from(new Rng(1)));
        ModelParameters before = step.exportParameters();
        TransitionBatch batch = UpdateFixtures.randomBatch(config, new SplittableRandom(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> step.update(batch));
        assertTrue(e.getMessage().contains("reference value") && e.getMessage().contains("NaN"), e.getMessage());
        assertEquals(0, step.steps());
        DeterminismTest.assertBitwiseEqual(before, step.exportParameters());
    }

    @Test
    void updateWithNonFiniteLossIsRejectedBeforeAnythingChanges() {
        CalQlConfig config = config();
        UpdateStep step = new UpdateStep(config, UpdateFixtures.java(), UpdateDraws.from(new Rng(1)));
        ModelParameters huge = UpdateFixtures.copy(step.exportParameters());
        for (double[] layer : huge.critics()[0]) {
            for (int i = 0; i < layer.length; i++) {
                layer[i] = layer[i] * 1e110 + 1e110;
            }
        }
        step.importParameters(huge);
        ModelParameters before = step.exportParameters();
        TransitionBatch batch = UpdateFixtures.randomBatch(config, new SplittableRandom(3));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> step.update(batch));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        assertEquals(0, step.steps());
        DeterminismTest.assertBitwiseEqual(before, step.exportParameters());
    }
}
