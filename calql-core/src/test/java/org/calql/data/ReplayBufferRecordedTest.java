package org.calql.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pins {@link ReplayBuffer}'s samples and checkpoint state to the bit. The expected values were recorded
 * from the buffer as it was before it was rebuilt on the shared columnar storage (commit a6ff9bb, where
 * the ring and the staging area had their own arrays), printed with {@code Arrays.toString}, which
 * round-trips floats and doubles exactly; any change to which rows are drawn, how many random numbers
 * are consumed, or how rewards, returns and normalised observations are computed fails here.
 */
class ReplayBufferRecordedTest {

    /**
     * Capacity 7 with 11 committed steps (so the ring has wrapped), a reward transform {@code 2r − 1},
     * the sparse rule at {@code −1} (episode 3–4 is all failures), two terminals, two truncations and a
     * pending episode of two steps.
     */
    static ReplayBuffer filled() {
        ReplayBuffer b = new ReplayBuffer(7, 2, 1, new RewardTransform(2, -1), 0.9, OptionalDouble.of(-1));
        double[] raw = {0.25, 0, 1, 0, 0, 0.5, 0.75, 1, 0, 0, 0.5, 0.125, 0.3};
        for (int id = 0; id < raw.length; id++) {
            boolean terminated = id == 2 || id == 7;
            boolean truncated = id == 4 || id == 10;
            b.add(new double[] {id * 0.5, -id}, new double[] {id * 0.1}, raw[id],
                    new double[] {id * 0.5 + 0.25, -id - 1}, terminated, truncated);
        }
        return b;
    }

    @Test
    void normalisedSamplesMatchTheRecordedOnes() {
        TransitionBatch batch = new TransitionBatch(10, 2, 1);
        ObservationNormalizer norm = ObservationNormalizer.of(new double[] {0.5, -1}, new double[] {2, 3});
        SplittableRandom random = new SplittableRandom(42);
        new ReplaySampler(filled(), norm).sample(batch, 1, 9, random);
        // row 0 lies outside the sampled range and stays zero
        assertArrayEquals(new double[] {0.0, 0.0, 2.0, -2.6666666666666665, 1.0, -1.3333333333333333, 1.25,
                -1.6666666666666665, 1.75, -2.333333333333333, 2.0, -2.6666666666666665, 1.75, -2.333333333333333,
                2.25, -3.0, 1.0, -1.3333333333333333, 1.25, -1.6666666666666665}, batch.observations(), 0.0);
        assertArrayEquals(new double[] {0.0, 0.0, 2.125, -3.0, 1.125, -1.6666666666666665, 1.375, -2.0, 1.875,
                -2.6666666666666665, 2.125, -3.0, 1.875, -2.6666666666666665, 2.375, -3.333333333333333, 1.125,
                -1.6666666666666665, 1.375, -2.0}, batch.nextObservations(), 0.0);
        assertArrayEquals(new double[] {0.0, 0.8999999761581421, 0.5, 0.6000000238418579, 0.800000011920929,
                0.8999999761581421, 0.800000011920929, 1.0, 0.5, 0.6000000238418579}, batch.actions(), 0.0);
        assertArrayEquals(new double[] {0.0, -1.0, 0.0, 0.5, -1.0, -1.0, -1.0, 0.0, 0.0, 0.5}, batch.rewards(), 0.0);
        assertArrayEquals(new double[10], batch.dones(), 0.0);
        assertArrayEquals(new double[] {0.0, -1.0, 1.26, 1.4, -1.9, -1.0, -1.9, 0.0, 1.26, 1.4},
                batch.returnsToGo(), 0.0);
        // exactly one nextInt per row was consumed
        assertEquals(-7037763681458882642L, random.nextLong());
    }

    @Test
    void exportedStateMatchesTheRecordedOne() {
        ReplayBuffer.State s = filled().exportState();
        assertEquals(7, s.capacity());
        assertEquals(4, s.position());
        assertEquals(7, s.size());
        assertEquals(11, s.committedCount());
        assertArrayEquals(new float[] {3.5f, -7.0f, 4.0f, -8.0f, 4.5f, -9.0f, 5.0f, -10.0f, 2.0f, -4.0f, 2.5f, -5.0f,
                3.0f, -6.0f}, s.observations(), 0f);
        assertArrayEquals(new float[] {0.7f, 0.8f, 0.9f, 1.0f, 0.4f, 0.5f, 0.6f}, s.actions(), 0f);
        assertArrayEquals(new float[] {1.0f, -1.0f, -1.0f, 0.0f, -1.0f, 0.0f, 0.5f}, s.rewards(), 0f);
        assertArrayEquals(new float[] {3.75f, -8.0f, 4.25f, -9.0f, 4.75f, -10.0f, 5.25f, -11.0f, 2.25f, -5.0f, 2.75f,
                -6.0f, 3.25f, -7.0f}, s.nextObservations(), 0f);
        assertArrayEquals(new boolean[] {true, false, false, false, false, false, false}, s.terminals());
        assertArrayEquals(new double[] {1.0, -1.9, -1.0, 0.0, -10.000000000000002, 1.26, 1.4}, s.returnsToGo(), 0.0);
        assertArrayEquals(new float[] {5.5f, -11.0f, 6.0f, -12.0f}, s.pendingObservations(), 0f);
        assertArrayEquals(new float[] {1.1f, 1.2f}, s.pendingActions(), 0f);
        assertArrayEquals(new float[] {-0.75f, -0.4f}, s.pendingRewards(), 0f);
        assertArrayEquals(new float[] {5.75f, -12.0f, 6.25f, -13.0f}, s.pendingNextObservations(), 0f);
        assertArrayEquals(new boolean[] {false, false}, s.pendingTerminals());
    }
}
