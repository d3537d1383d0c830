package org.calql.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.calql.data.ObservationNormalizer;
import org.calql.data.OfflineDataset;
import org.calql.data.PreparedDataset;
import org.calql.data.RewardTransform;
import org.calql.env.BoxSpace;
import org.calql.env.DiscreteSpace;
import org.calql.nn.JavaBackend;
import org.junit.jupiter.api.Test;

/** A μ that misbehaves is refused with a message naming the entry and the value; so is one that does not fit. */
class ReferencePolicyValidationTest {
    static final FitSettings TINY = FitSettings.builder().hidden(4).steps(3).batchSize(4).build();

    static ReferenceData continuous() {
        OfflineDataset d = new ChainMdp(false, 10).dataset(5, 1);
        return ReferenceData.continuous(PreparedDataset.prepare(d, RewardTransform.identity(), 0.9),
                ObservationNormalizer.fit(d), 1.0);
    }

    static String failure(ReferenceData data, Function<double[], double[]> rule, boolean discrete) {
        ReferencePolicy mu = ReferencePolicy.deterministic(ChainMdp.S,
                discrete ? new DiscreteSpace(2) : BoxSpace.uniform(1, -2, 2), rule);
        return assertThrows(IllegalArgumentException.class,
                () -> FittedQEvaluation.fit(data, mu, TINY, new JavaBackend(), null)).getMessage();
    }

    @Test
    void nanWrongLengthAndOutsideTheBoxAreRefused() {
        ReferenceData data = continuous();
        assertEquals("reference policy action[0] must be finite, found NaN",
                failure(data, o -> new double[] {Double.NaN}, false));
        assertTrue(failure(data, o -> new double[] {0.1, 0.2}, false)
                .startsWith("reference policy action must have length 1, found 2"));
        assertEquals("reference policy action must have length 1, found null", failure(data, o -> null, false));
        assertEquals("reference policy action[0] must lie in [-2.0, 2.0] (its action space), found 2.5",
                failure(data, o -> new double[] {2.5}, false));
    }

    @Test
    void aDiscreteActionMustBeAnIndex() {
        OfflineDataset d = new ChainMdp(true, 10).dataset(5, 1);
        ReferenceData data = ReferenceData.discrete(PreparedDataset.prepare(d, RewardTransform.identity(), 0.9),
                ObservationNormalizer.fit(d), 2);
        assertEquals("reference policy action[0] must be an index in [0, 2), found 0.5",
                failure(data, o -> new double[] {0.5}, true));
        assertEquals("reference policy action[0] must be an index in [0, 2), found 2.0",
                failure(data, o -> new double[] {2}, true));
    }

    @Test
    void aPolicyThatDoesNotFitTheDataIsRefused() {
        ReferenceData data = continuous();
        assertEquals("reference policy actionSpace must be a box of width 1 for this continuous data, found "
                + new DiscreteSpace(2), failure(data, o -> new double[] {0}, true));
        ReferencePolicy narrow = ReferencePolicy.deterministic(3, BoxSpace.uniform(1, -1, 1), o -> new double[1]);
        assertEquals("reference policy observationDim must be 6 (the data's), found 3",
                assertThrows(IllegalArgumentException.class,
                        () -> FittedQEvaluation.fit(data, narrow, TINY, new JavaBackend(), null)).getMessage());
    }

    @Test
    void rolloutsCheckEveryAction() {
        ChainMdp env = new ChainMdp(false, 10);
        ReferencePolicy bad = ReferencePolicy.deterministic(ChainMdp.S, BoxSpace.uniform(1, -2, 2),
                o -> new double[] {Double.POSITIVE_INFINITY});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RolloutEstimator.estimate(
                env, bad, new double[][] {ChainMdp.observation(0)}, continuous().units(), 2, 5, 1, null));
        assertEquals("reference policy action[0] must be finite, found Infinity", e.getMessage());
    }

    @Test
    void settingsNameTheFieldAndTheValue() {
        assertEquals("steps must be at least 1, found 0",
                assertThrows(IllegalArgumentException.class, () -> FitSettings.builder().steps(0).build())
                        .getMessage());
        assertEquals("learningRate must be finite and > 0, found NaN",
                assertThrows(IllegalArgumentException.class,
                        () -> FitSettings.builder().learningRate(Double.NaN).build()).getMessage());
    }

    @Test
    void continuousActionsReachTheCriticInThePolicyRange() {
        ReferenceData data = continuous();
        ReferencePolicy mu = ReferencePolicy.deterministic(ChainMdp.S, BoxSpace.uniform(1, -2, 2),
                o -> new double[] {1.0});
        ReferenceActions actions = new ReferenceActions(mu, data);
        double[] out = new double[1];
        actions.criticAction(ChainMdp.observation(0), 0, new org.calql.random.Rng(1), out, 0);
        assertEquals(0.5, out[0], 1e-12, "1.0 in [−2, 2] is 0.5 in [−1, 1]");
    }
}
