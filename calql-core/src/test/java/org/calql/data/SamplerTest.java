package org.calql.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SamplerTest {

    /** Offline data whose observation is {@code t} (dim 0) and {@code -t} (dim 1), reward t, rtg computable. */
    static PreparedDataset offline(int n) {
        OfflineDataset.Builder b = OfflineDataset.builder(2, 1, n);
        for (int t = 0; t < n; t++) {
            b.step(new double[] {t, -t}, new double[] {t * 0.01}, t, new double[] {t + 1, -t - 1},
                    t % 7 == 6, t % 5 == 4);
        }
        return PreparedDataset.prepare(b.build(), RewardTransform.identity(), 0.9);
    }

    /** Online data whose observation is {@code -(1000 + id)}: offline and online rows are told apart by sign. */
    static ReplayBuffer online(int n) {
        ReplayBuffer r = new ReplayBuffer(1000, 2, 1, RewardTransform.identity(), 0.9, OptionalDouble.empty());
        for (int id = 0; id < n; id++) {
            r.add(new double[] {-(1000 + id), 0}, new double[] {0.5}, -1, new double[] {0, 0}, id % 4 == 3, false);
        }
        r.endEpisode();
        return r;
    }

    @Test
    void offlineRowsAreConsistentTransitions() {
        PreparedDataset data = offline(50);
        TransitionBatch batch = new TransitionBatch(64, 2, 1);
        new OfflineSampler(data).sample(batch, new SplittableRandom(1));
        for (int row = 0; row < 64; row++) {
            int t = (int) batch.observations()[2 * row];
            assertEquals(-t, batch.observations()[2 * row + 1], 0.0);
            assertEquals(t + 1, batch.nextObservations()[2 * row], 0.0);
            assertEquals((float) (t * 0.01), batch.actions()[row], 0.0);
            assertEquals(t, batch.rewards()[row], 0.0);
            assertEquals(t % 7 == 6 ? 1.0 : 0.0, batch.dones()[row], 0.0);
            assertEquals(data.returnToGo(t), batch.returnsToGo()[row], 0.0);
        }
        batch.validate();
    }

    @Test
    void offlineSamplerNormalisesObservationsAndNextObservations() {
        PreparedDataset data = offline(20);
        ObservationNormalizer norm = ObservationNormalizer.of(new double[] {1, 2}, new double[] {2, 4});
        TransitionBatch raw = new TransitionBatch(8, 2, 1);
        TransitionBatch normalised = new TransitionBatch(8, 2, 1);
        new OfflineSampler(data).sample(raw, new SplittableRandom(5));
        new OfflineSampler(data, norm).sample(normalised, new SplittableRandom(5));
        double[] expectedObs = raw.observations().clone();
        double[] expectedNext = raw.nextObservations().clone();
        norm.normalizeInPlace(expectedObs);
        norm.normalizeInPlace(expectedNext);
        assertArrayEquals(expectedObs, normalised.observations(), 1e-12);
        assertArrayEquals(expectedNext, normalised.nextObservations(), 1e-12);
        assertArrayEquals(raw.returnsToGo(), normalised.returnsToGo(), 0.0);
    }

    @Test
    void samplersAreDeterministicForASeed() {
        PreparedDataset data = offline(100);
        ReplayBuffer replay = online(40);
        MixedSampler mixed = MixedSampler.fixedRatio(new OfflineSampler(data), new ReplaySampler(replay), 0.3);
        TransitionBatch a = new TransitionBatch(32, 2, 1);
        TransitionBatch b = new TransitionBatch(32, 2, 1);
        mixed.sample(a, new SplittableRandom(42));
        mixed.sample(b, new SplittableRandom(42));
        assertArrayEquals(a.observations(), b.observations(), 0.0);
        assertArrayEquals(a.actions(), b.actions(), 0.0);
        assertArrayEquals(a.returnsToGo(), b.returnsToGo(), 0.0);
        mixed.sample(b, new SplittableRandom(43));
        assertTrue(!java.util.Arrays.equals(a.observations(), b.observations()));
    }

    @Property(tries = 50)
    void fixedRatioGivesRoundedCountEveryBatch(@ForAll @DoubleRange(min = 0, max = 1) double ratio,
            @ForAll @IntRange(min = 1, max = 300) int batchSize) {
        MixedSampler mixed = MixedSampler.fixedRatio(new OfflineSampler(offline(30)), new ReplaySampler(online(10)),
                ratio);
        TransitionBatch batch = new TransitionBatch(batchSize, 2, 1);
        SplittableRandom random = new SplittableRandom(7);
        long expected = Math.round(ratio * batchSize);
        long offlineTotal = 0;
        for (int i = 0; i < 20; i++) {
            mixed.sample(batch, random);
            int offlineRows = countOffline(batch);
            assertEquals(expected, offlineRows);
            offlineTotal += offlineRows;
            // offline rows first, then online rows
            for (int row = 0; row < batchSize; row++) {
                assertEquals(row < offlineRows, batch.observations()[2 * row] >= 0, "row " + row);
            }
        }
        assertEquals(20 * expected, offlineTotal);
        assertEquals(expected, mixed.offlineRows(batchSize));
    }

    @Test
    void halfRatioIsExactOverManyBatches() {
        MixedSampler mixed = MixedSampler.fixedRatio(new OfflineSampler(offline(30)), new ReplaySampler(online(10)),
                0.5);
        TransitionBatch batch = new TransitionBatch(256, 2, 1);
        SplittableRandom random = new SplittableRandom(11);
        long offlineTotal = 0;
        for (int i = 0; i < 500; i++) {
            mixed.sample(batch, random);
            offlineTotal += countOffline(batch);
        }
        assertEquals(500 * 128, offlineTotal);
    }

    @Test
    void proportionalMixingFollowsTheSizes() {
        MixedSampler mixed = MixedSampler.proportional(new OfflineSampler(offline(300)), new ReplaySampler(online(100)));
        TransitionBatch batch = new TransitionBatch(256, 2, 1);
        SplittableRandom random = new SplittableRandom(13);
        long offlineTotal = 0;
        int batches = 400;
        for (int i = 0; i < batches; i++) {
            mixed.sample(batch, random);
            offlineTotal += countOffline(batch);
        }
        double fraction = offlineTotal / (double) (batches * 256);
        // expected 0.75; binomial sd over 102,400 draws is about 0.0014
        assertEquals(0.75, fraction, 0.01);
        // with an empty online store every row is offline
        ReplayBuffer empty = new ReplayBuffer(10, 2, 1, RewardTransform.identity(), 0.9, OptionalDouble.empty());
        MixedSampler.proportional(new OfflineSampler(offline(10)), new ReplaySampler(empty)).sample(batch, random);
        assertEquals(256, countOffline(batch));
    }

    @Test
    void ratioOutOfRangeOrNanIsRejected() {
        OfflineSampler off = new OfflineSampler(offline(10));
        ReplaySampler on = new ReplaySampler(online(4));
        for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MixedSampler.fixedRatio(off, on, bad));
            assertTrue(e.getMessage().contains("offlineRatio") && e.getMessage().contains(String.valueOf(bad)),
                    e.getMessage());
        }
    }

    @Test
    void emptyOnlineStoreWithRowsDueFails() {
        ReplayBuffer empty = new ReplayBuffer(10, 2, 1, RewardTransform.identity(), 0.9, OptionalDouble.empty());
        MixedSampler mixed = MixedSampler.fixedRatio(new OfflineSampler(offline(10)), new ReplaySampler(empty), 0.5);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> mixed.sample(new TransitionBatch(4, 2, 1), new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("empty replay buffer"), e.getMessage());
        // all-offline is fine
        MixedSampler.fixedRatio(new OfflineSampler(offline(10)), new ReplaySampler(empty), 1.0)
                .sample(new TransitionBatch(4, 2, 1), new SplittableRandom(1));
    }

    @Test
    void batchWithWrongDimensionsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OfflineSampler(offline(10)).sample(new TransitionBatch(4, 3, 1), new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("observationDim"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new OfflineSampler(offline(10), ObservationNormalizer.identity(3)));
    }

    @Test
    void samplingAllocatesNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        MixedSampler mixed = MixedSampler.fixedRatio(
                new OfflineSampler(offline(500), ObservationNormalizer.of(new double[] {1, 1}, new double[] {2, 2})),
                new ReplaySampler(online(100)), 0.5);
        TransitionBatch batch = new TransitionBatch(256, 2, 1);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            mixed.sample(batch, random);
        }
        long threadId = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 1000; i++) {
            mixed.sample(batch, random);
        }
        long allocated = bean.getThreadAllocatedBytes(threadId) - before;
        // 1000 batches of 256 rows; anything per call would exceed this
        assertTrue(allocated < 1000, "allocated " + allocated + " bytes");
    }

    private static int countOffline(TransitionBatch batch) {
        int count = 0;
        double[] obs = batch.observations();
        for (int row = 0; row < batch.size(); row++) {
            if (obs[2 * row] >= 0) {
                count++;
            }
        }
        return count;
    }
}
