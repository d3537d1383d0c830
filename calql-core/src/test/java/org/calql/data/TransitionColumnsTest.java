package org.calql.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of the columnar storage, directly and through the ring and staging area of
 * {@link ReplayBuffer}. Steps carry their global id in observation column 0, so every stored row can
 * be traced back to the step it came from.
 */
class TransitionColumnsTest {

    private static final int OBS = 2;
    private static final int ACT = 1;

    private static double reward(int id) {
        return ((id * 7919) % 11) - 5;
    }

    private static void step(ReplayBuffer b, int id, boolean terminated, boolean truncated) {
        b.add(new double[] {id, -0.5 * id}, new double[] {0.25 * id}, reward(id), new double[] {id + 1, 3},
                terminated, truncated);
    }

    /** Checks that ring slot {@code i} holds every column of step {@code id}, as the buffer transforms it. */
    private static void assertSlotHoldsStep(ReplayBuffer b, int i, int id) {
        double[] o = new double[OBS];
        double[] a = new double[ACT];
        double[] n = new double[OBS];
        b.copyObservation(i, o, 0);
        b.copyAction(i, a, 0);
        b.copyNextObservation(i, n, 0);
        assertArrayEquals(new double[] {id, (float) (-0.5 * id)}, o, 0.0);
        assertArrayEquals(new double[] {0.25 * id}, a, 0.0);
        assertArrayEquals(new double[] {id + 1, 3}, n, 0.0);
        assertEquals(b.rewardTransform().apply(reward(id)), b.reward(i));
    }

    @Property(tries = 200)
    void ringKeepsTheNewestCapacityTransitionsInTheirSlots(@ForAll @IntRange(min = 1, max = 12) int capacity,
            @ForAll @LongRange(min = 0, max = 100_000) long seed) {
        ReplayBuffer b = new ReplayBuffer(capacity, OBS, ACT, new RewardTransform(0.5, 1), 0.9,
                OptionalDouble.empty());
        SplittableRandom random = new SplittableRandom(seed);
        int committed = 0;
        int id = 0;
        int episodes = random.nextInt(1, 12);
        for (int e = 0; e < episodes; e++) {
            // episodes as long as three rings, so single episodes wrap too
            int length = random.nextInt(1, 3 * capacity + 2);
            boolean terminal = random.nextBoolean();
            for (int t = 0; t < length; t++, id++) {
                boolean last = t == length - 1;
                step(b, id, last && terminal, last && !terminal);
            }
            committed = id;
            int kept = Math.min(committed, capacity);
            assertEquals(kept, b.size());
            assertEquals(committed, b.committedCount());
            // step k sits in slot k mod capacity; the newest `kept` steps are exactly the stored ones
            for (int k = committed - kept; k < committed; k++) {
                assertSlotHoldsStep(b, k % capacity, k);
            }
        }
    }

    @Property(tries = 200)
    void committedReturnsEqualReturnsToGoEpisodeOnTheSameRewards(@ForAll @IntRange(min = 1, max = 40) int capacity,
            @ForAll @LongRange(min = 0, max = 100_000) long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double discount = random.nextInt(0, 100) / 100.0;
        // scale 0 makes every reward the bias, so the sparse rule fires on whole episodes too
        RewardTransform transform = random.nextBoolean() ? new RewardTransform(2, -1) : new RewardTransform(0, -1);
        OptionalDouble sparse = random.nextBoolean() ? OptionalDouble.of(-1) : OptionalDouble.empty();
        ReplayBuffer b = new ReplayBuffer(capacity, OBS, ACT, transform, discount, sparse);
        int id = 0;
        int episodes = random.nextInt(1, 8);
        for (int e = 0; e < episodes; e++) {
            int length = random.nextInt(1, 15);
            int end = random.nextInt(3);
            float[] rewards = new float[length];
            boolean[] terminals = new boolean[length];
            int first = id;
            for (int t = 0; t < length; t++, id++) {
                boolean last = t == length - 1;
                terminals[t] = last && end == 0;
                rewards[t] = transform.apply(reward(id));
                if (last && end == 2) {
                    step(b, id, false, false);
                    b.endEpisode();
                } else {
                    step(b, id, terminals[t], last && end == 1);
                }
            }
            double[] expected = new double[length];
            ReturnsToGo.episode(rewards, terminals, 0, length, discount, sparse, expected, 0);
            // the kept part of this episode (all of it unless it is longer than the ring)
            for (int k = Math.max(first, id - capacity); k < id; k++) {
                int slot = k % capacity;
                assertEquals(expected[k - first], b.returnToGo(slot), 0.0, "step " + k + " of episode " + e);
                assertEquals(terminals[k - first], b.isTerminal(slot));
            }
        }
    }

    @Property(tries = 100)
    void pendingStepsAreNeverSampled(@ForAll @IntRange(min = 1, max = 30) int capacity,
            @ForAll @LongRange(min = 0, max = 100_000) long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ReplayBuffer b = new ReplayBuffer(capacity, OBS, ACT, RewardTransform.identity(), 0.9, OptionalDouble.empty());
        TransitionBatch batch = new TransitionBatch(64, OBS, ACT);
        int id = 0;
        int committed = 0;
        for (int round = 0; round < 6; round++) {
            int steps = random.nextInt(1, 10);
            for (int t = 0; t < steps; t++, id++) {
                int kind = random.nextInt(8);
                step(b, id, kind == 0, kind == 1);
                if (kind <= 1) {
                    committed = id + 1;
                }
            }
            assertEquals(id - committed, b.pendingSize());
            if (b.size() == 0) {
                assertThrows(IllegalStateException.class, () -> new ReplaySampler(b).sample(batch, random));
                continue;
            }
            new ReplaySampler(b).sample(batch, random);
            for (int row = 0; row < batch.size(); row++) {
                int drawn = (int) batch.observations()[row * OBS];
                assertTrue(drawn < committed && drawn >= committed - capacity,
                        "drew step " + drawn + " with steps [" + Math.max(0, committed - capacity) + ", " + committed
                                + ") committed and " + b.pendingSize() + " pending");
            }
        }
    }

    @Property(tries = 100)
    void endEpisodeOnAnEmptyPendingChangesNothing(@ForAll @IntRange(min = 1, max = 10) int capacity,
            @ForAll @LongRange(min = 0, max = 100_000) long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ReplayBuffer b = new ReplayBuffer(capacity, OBS, ACT, RewardTransform.identity(), 0.5, OptionalDouble.empty());
        int steps = random.nextInt(0, 30);
        for (int id = 0; id < steps; id++) {
            step(b, id, random.nextInt(4) == 0, false);
        }
        b.endEpisode();
        assertEquals(0, b.pendingSize());
        ReplayBuffer.State before = b.exportState();
        b.endEpisode();
        b.endEpisode();
        assertStatesEqual(before, b.exportState());
    }

    @Property(tries = 200)
    void appendedRowsSurviveGrowthTrimAndLoad(@ForAll @IntRange(min = 1, max = 5) int initialCapacity,
            @ForAll @IntRange(min = 0, max = 60) int rows, @ForAll @LongRange(min = 0, max = 100_000) long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        TransitionColumns c = TransitionColumns.allocate(OBS, ACT, initialCapacity, true, true);
        List<double[]> expected = new ArrayList<>();
        for (int t = 0; t < rows; t++) {
            double[] o = {random.nextInt(100), random.nextInt(100)};
            double[] a = {random.nextInt(100)};
            double[] n = {random.nextInt(100), random.nextInt(100)};
            float r = random.nextInt(100);
            boolean terminal = random.nextBoolean();
            int row = t % 2 == 0 ? c.append(o, a, r, n, terminal)
                    : c.append(toFloat(o), toFloat(a), r, toFloat(n), terminal);
            assertEquals(t, row);
            c.returnsToGo[row] = -t;
            c.episodeEnds[row] = !terminal;
            expected.add(new double[] {o[0], o[1], a[0], n[0], n[1], r, terminal ? 1 : 0});
        }
        assertEquals(rows, c.size());
        assertTrue(c.capacity() >= Math.max(rows, initialCapacity));
        assertRows(expected, c, true);
        c.trimToSize();
        assertEquals(rows, c.capacity());
        assertRows(expected, c, true);
        // load replaces the contents of other columns, growing them, without the optional ones it lacks
        TransitionColumns copy = TransitionColumns.allocate(OBS, ACT, 1, false, true);
        copy.load(rows, c.observations, c.actions, c.rewards, c.nextObservations, c.terminals, c.returnsToGo);
        assertEquals(rows, copy.size());
        assertRows(expected, copy, false);
        for (int t = 0; t < rows; t++) {
            assertEquals(-t, copy.returnsToGo[t], 0.0);
        }
    }

    private static void assertRows(List<double[]> expected, TransitionColumns c, boolean episodeEnds) {
        double[] o = new double[OBS];
        double[] a = new double[ACT];
        double[] n = new double[OBS];
        for (int t = 0; t < expected.size(); t++) {
            double[] e = expected.get(t);
            c.copyObservation(t, o, 0);
            c.copyAction(t, a, 0);
            c.copyNextObservation(t, n, 0);
            assertArrayEquals(new double[] {e[0], e[1]}, o, 0.0);
            assertArrayEquals(new double[] {e[2]}, a, 0.0);
            assertArrayEquals(new double[] {e[3], e[4]}, n, 0.0);
            assertEquals(e[5], c.rewards[t], 0.0);
            assertEquals(e[6] == 1, c.terminals[t]);
            assertEquals(-t, c.returnsToGo[t], 0.0);
            if (episodeEnds) {
                assertEquals(e[6] != 1, c.episodeEnds[t]);
            }
        }
    }

    private static float[] toFloat(double[] row) {
        float[] f = new float[row.length];
        for (int j = 0; j < row.length; j++) {
            f[j] = (float) row[j];
        }
        return f;
    }

    static void assertStatesEqual(ReplayBuffer.State x, ReplayBuffer.State y) {
        assertEquals(x.position(), y.position());
        assertEquals(x.size(), y.size());
        assertEquals(x.committedCount(), y.committedCount());
        assertArrayEquals(x.observations(), y.observations(), 0f);
        assertArrayEquals(x.actions(), y.actions(), 0f);
        assertArrayEquals(x.rewards(), y.rewards(), 0f);
        assertArrayEquals(x.nextObservations(), y.nextObservations(), 0f);
        assertArrayEquals(x.terminals(), y.terminals());
        assertArrayEquals(x.returnsToGo(), y.returnsToGo(), 0.0);
        assertArrayEquals(x.pendingRewards(), y.pendingRewards(), 0f);
        assertArrayEquals(x.pendingObservations(), y.pendingObservations(), 0f);
    }
}
