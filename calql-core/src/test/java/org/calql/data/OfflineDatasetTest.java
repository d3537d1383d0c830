package org.calql.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ReadOnlyBufferException;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class OfflineDatasetTest {

    /** Two episodes: steps 0-2 (terminal at 2), steps 3-4 (truncated / end of data). obsDim 2, actDim 1. */
    static OfflineDataset small() {
        float[] obs = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4};
        float[] act = {0.5f, 0.6f, 0.7f, 0.8f, 0.9f};
        float[] rew = {1, 2, 3, 4, 5};
        float[] next = {1, 1, 2, 2, 9, 9, 4, 4, 5, 5};
        boolean[] term = {false, false, true, false, false};
        boolean[] ends = {false, false, false, false, false};
        return OfflineDataset.fromArrays(2, 1, obs, act, rew, next, term, ends);
    }

    @Test
    void fromArraysCountsEpisodesAndTerminals() {
        OfflineDataset d = small();
        assertEquals(5, d.size());
        assertEquals(2, d.observationDim());
        assertEquals(1, d.actionDim());
        assertEquals(2, d.episodeCount());
        assertArrayEquals(new int[] {3, 2}, d.episodeLengths());
        assertArrayEquals(new int[] {0, 3}, d.episodeStarts());
        assertEquals(1, d.terminalCount());
        // a terminal and the last transition are episode ends
        assertArrayEquals(new boolean[] {false, false, true, false, true}, d.episodeEnds());
        assertEquals(15.0, d.rewardSum(), 0.0);
        assertEquals(9f, d.nextObservation(2, 1));
        assertEquals(0.8f, d.action(3, 0));
        double[] row = new double[3];
        d.copyObservation(4, row, 1);
        assertArrayEquals(new double[] {0, 4, 4}, row, 0.0);
    }

    @Test
    void fromArraysTakesOwnershipWithoutCopying() {
        float[] obs = {1, 2};
        float[] act = {3};
        float[] rew = {4};
        float[] next = {5, 6};
        OfflineDataset d = OfflineDataset.fromArrays(2, 1, obs, act, rew, next, new boolean[1], new boolean[1]);
        assertSame(obs, d.observationArray());
        assertSame(act, d.actionArray());
        assertSame(rew, d.rewardArray());
        assertSame(next, d.nextObservationArray());
    }

    @Test
    void viewsAreReadOnlyAndAccessorsCopy() {
        OfflineDataset d = small();
        assertThrows(ReadOnlyBufferException.class, () -> d.observationsView().put(0, 7f));
        assertEquals(10, d.nextObservationsView().remaining());
        d.terminals()[0] = true;
        assertFalse(d.isTerminal(0));
        d.episodeEnds()[0] = true;
        assertFalse(d.isEpisodeEnd(0));
    }

    @Test
    void nanRewardIsReportedWithIndexAndValue() {
        float[] rew = {1, Float.NaN, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OfflineDataset.fromArrays(
                1, 1, new float[3], new float[3], rew, new float[3], new boolean[3], new boolean[3]));
        assertTrue(e.getMessage().contains("rewards[1]") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void infiniteObservationIsReportedWithTransitionAndColumn() {
        float[] obs = new float[6];
        obs[5] = Float.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OfflineDataset.fromArrays(
                2, 1, obs, new float[3], new float[3], new float[6], new boolean[3], new boolean[3]));
        assertTrue(e.getMessage().contains("observations[5]") && e.getMessage().contains("transition 2")
                && e.getMessage().contains("column 1") && e.getMessage().contains("Infinity"), e.getMessage());
    }

    @Test
    void wrongLengthsAreRejectedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OfflineDataset.fromArrays(
                2, 1, new float[5], new float[3], new float[3], new float[6], new boolean[3], new boolean[3]));
        assertTrue(e.getMessage().startsWith("observations") && e.getMessage().contains("6")
                && e.getMessage().contains("5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OfflineDataset.fromArrays(
                2, 1, new float[6], new float[3], new float[3], new float[6], new boolean[2], new boolean[3]));
        assertTrue(e.getMessage().startsWith("terminals"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OfflineDataset.fromArrays(
                2, 1, new float[6], new float[3], new float[3], new float[6], new boolean[3], null));
        assertTrue(e.getMessage().startsWith("episodeEnds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OfflineDataset.fromArrays(
                0, 1, new float[0], new float[3], new float[3], new float[0], new boolean[3], new boolean[3]));
        assertTrue(e.getMessage().contains("observationDim"), e.getMessage());
    }

    @Test
    void emptyDatasetIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OfflineDataset.fromArrays(
                1, 1, new float[0], new float[0], new float[0], new float[0], new boolean[0], new boolean[0]));
        assertTrue(e.getMessage().contains("at least one"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OfflineDataset.builder(1, 1).build());
    }

    @Test
    void builderCollectsEpisodesAndGrows() {
        OfflineDataset.Builder b = OfflineDataset.builder(2, 1, 2);
        for (int e = 0; e < 3; e++) {
            for (int t = 0; t < 4; t++) {
                boolean last = t == 3;
                b.step(new double[] {e, t}, new double[] {0.1 * t}, t, new double[] {e, t + 1},
                        last && e == 0, last && e == 1);
            }
        }
        b.step(new float[] {7, 7}, new float[] {1}, 1.0, new float[] {8, 8}, false, false);
        b.endEpisode();
        b.step(new float[] {9, 9}, new float[] {1}, 2.0, new float[] {9, 9}, false, false);
        OfflineDataset d = b.build();
        assertEquals(14, d.size());
        // episode 2 of 4 steps has no end flag: it runs on into the next step until endEpisode()
        assertArrayEquals(new int[] {4, 4, 5, 1}, d.episodeLengths());
        assertEquals(1, d.terminalCount());
        assertTrue(d.isTerminal(3));
        assertFalse(d.isTerminal(7));
        assertTrue(d.isEpisodeEnd(7));
        assertEquals(2f, d.observation(6, 1));
        assertEquals(0.3f, d.action(3, 0));
        assertThrows(IllegalStateException.class, b::build);
    }

    @Test
    void presizedBuilderHandsOverWithoutTrimming() {
        OfflineDataset.Builder b = OfflineDataset.builder(1, 1, 2);
        b.step(new float[] {1}, new float[] {1}, 0, new float[] {2}, false, false);
        b.step(new float[] {2}, new float[] {1}, 0, new float[] {3}, true, false);
        OfflineDataset d = b.build();
        assertEquals(2, d.observationArray().length);
        assertEquals(1, d.episodeCount());
    }

    @Test
    void builderRejectsBadSteps() {
        OfflineDataset.Builder b = OfflineDataset.builder(2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.step(new double[] {1}, new double[] {1}, 0, new double[] {1, 2}, false, false));
        assertTrue(e.getMessage().contains("observation") && e.getMessage().contains("length 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> b.step(new double[] {1, 2}, new double[] {1}, Double.NaN, new double[] {1, 2}, false, false));
        assertTrue(e.getMessage().contains("reward") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.step(new double[] {1, 2},
                new double[] {Double.NEGATIVE_INFINITY}, 0, new double[] {1, 2}, false, false));
        assertTrue(e.getMessage().contains("action[0]"), e.getMessage());
        assertEquals(0, b.size());
    }

    @Test
    void preparedDatasetTransformsRewardsAndComputesReturns() {
        OfflineDataset d = small();
        PreparedDataset p = PreparedDataset.prepare(d, new RewardTransform(2, 1), 0.5);
        assertArrayEquals(new float[] {3, 5, 7, 9, 11}, p.transformedRewards());
        // raw rewards untouched
        assertEquals(1f, d.reward(0));
        assertArrayEquals(new double[] {3 + 0.5 * (5 + 0.5 * 7), 5 + 0.5 * 7, 7, 9 + 0.5 * 11, 11},
                p.returnsToGo(), 1e-12);
        PreparedDataset sparse = PreparedDataset.prepare(d, new RewardTransform(0, -1), 0.5, OptionalDouble.of(-1));
        assertArrayEquals(new double[] {-2, -2, -2, -2, -2}, sparse.returnsToGo(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> PreparedDataset.prepare(d, RewardTransform.identity(), 1.0));
    }

    @Test
    void transformOverflowToInfinityIsRejected() {
        OfflineDataset d = OfflineDataset.fromArrays(1, 1, new float[1], new float[1], new float[] {3e38f},
                new float[1], new boolean[1], new boolean[1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreparedDataset.prepare(d, new RewardTransform(10, 0), 0.9));
        assertTrue(e.getMessage().contains("transformed rewards[0]"), e.getMessage());
    }
}
