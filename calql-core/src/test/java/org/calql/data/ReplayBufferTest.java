package org.calql.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;

class ReplayBufferTest {

    private static ReplayBuffer buffer(int capacity) {
        return new ReplayBuffer(capacity, 1, 1, RewardTransform.identity(), 0.5, OptionalDouble.empty());
    }

    /** Adds a step whose observation encodes its global index, so slots can be traced. */
    private static void step(ReplayBuffer b, int id, double reward, boolean terminated, boolean truncated) {
        b.add(new double[] {id}, new double[] {0}, reward, new double[] {id + 1}, terminated, truncated);
    }

    @Test
    void stepsAreHeldUntilTheEpisodeEndsThenReturnsAreWritten() {
        ReplayBuffer b = buffer(10);
        step(b, 0, 1, false, false);
        step(b, 1, 2, false, false);
        assertEquals(0, b.size());
        assertEquals(2, b.pendingSize());
        step(b, 2, 4, true, false);
        assertEquals(3, b.size());
        assertEquals(0, b.pendingSize());
        assertEquals(1 + 0.5 * (2 + 0.5 * 4), b.returnToGo(0), 1e-12);
        assertEquals(2 + 0.5 * 4, b.returnToGo(1), 1e-12);
        assertEquals(4, b.returnToGo(2), 0.0);
        assertTrue(b.isTerminal(2));
        // truncation: not a terminal, and G = r at its last step
        step(b, 3, 1, false, false);
        step(b, 4, 3, false, true);
        assertEquals(5, b.size());
        assertFalse(b.isTerminal(4));
        assertEquals(3, b.returnToGo(4), 0.0);
        assertEquals(1 + 0.5 * 3, b.returnToGo(3), 0.0);
        // an explicit break ends the episode the same way
        step(b, 5, 2, false, false);
        b.endEpisode();
        assertEquals(2, b.returnToGo(5), 0.0);
        assertEquals(6, b.committedCount());
    }

    @Test
    void rewardsAreTransformedAndSparseRuleApplied() {
        ReplayBuffer b = new ReplayBuffer(10, 1, 1, new RewardTransform(10, -5), 0.9, OptionalDouble.of(-5));
        step(b, 0, 0, false, false);
        step(b, 1, 0, false, true);
        assertEquals(-5f, b.reward(0));
        assertEquals(-5 / (1 - 0.9), b.returnToGo(0), 1e-12);
        assertEquals(-5 / (1 - 0.9), b.returnToGo(1), 1e-12);
        step(b, 2, 0, false, false);
        step(b, 3, 1, true, false);
        assertEquals(-5 + 0.9 * 5, b.returnToGo(2), 1e-12);
        assertEquals(5, b.returnToGo(3), 0.0);
    }

    @Property
    void ringInvariants(@ForAll @IntRange(min = 1, max = 20) int capacity,
            @ForAll @LongRange(min = 0, max = 1000) long seed) {
        ReplayBuffer b = buffer(capacity);
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> committed = new ArrayList<>();
        List<Integer> pending = new ArrayList<>();
        int steps = random.nextInt(80);
        for (int id = 0; id < steps; id++) {
            int kind = random.nextInt(6);
            step(b, id, 1, kind == 0, kind == 1);
            pending.add(id);
            if (kind <= 1) {
                committed.addAll(pending);
                pending.clear();
            }
            assertTrue(b.size() <= capacity);
            assertEquals(Math.min(committed.size(), capacity), b.size());
            assertEquals(pending.size(), b.pendingSize());
            assertEquals(committed.size() % capacity, b.position());
            // the newest min(size, capacity) committed transitions are the ones kept
            double[] o = new double[1];
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < b.size(); i++) {
                b.copyObservation(i, o, 0);
                kept.add((int) o[0]);
            }
            kept.sort(null);
            assertEquals(committed.subList(committed.size() - b.size(), committed.size()), kept);
        }
    }

    @Test
    void episodeLongerThanCapacityKeepsItsLastSteps() {
        ReplayBuffer b = buffer(3);
        for (int id = 0; id < 5; id++) {
            step(b, id, 1, id == 4, false);
        }
        assertEquals(3, b.size());
        double[] o = new double[1];
        double[] seen = new double[3];
        double[] returns = new double[3];
        for (int i = 0; i < 3; i++) {
            b.copyObservation(i, o, 0);
            seen[i] = o[0];
            returns[i] = b.returnToGo(i);
        }
        // the skipped steps 0 and 1 still advanced the ring: step 2 sits in slot 2, steps 3 and 4 wrapped
        assertArrayEquals(new double[] {3, 4, 2}, seen, 0.0);
        // returns of the whole episode, not of the kept part: 1 + .5 + .25 (+ ...)
        assertArrayEquals(new double[] {1.5, 1.0, 1.75}, returns, 1e-12);
        assertEquals(5, b.committedCount());
        assertEquals(5 % 3, b.position());
    }

    @Test
    void exportImportRestoresSamplingExactly() {
        ReplayBuffer b = buffer(4);
        for (int id = 0; id < 7; id++) {
            step(b, id, id, id % 3 == 2, false);
        }
        ReplayBuffer.State state = b.exportState();
        ReplayBuffer copy = buffer(4);
        copy.importState(state);
        assertEquals(b.size(), copy.size());
        assertEquals(b.position(), copy.position());
        assertEquals(b.pendingSize(), copy.pendingSize());
        assertEquals(b.committedCount(), copy.committedCount());
        TransitionBatch x = new TransitionBatch(16, 1, 1);
        TransitionBatch y = new TransitionBatch(16, 1, 1);
        new ReplaySampler(b).sample(x, new SplittableRandom(3));
        new ReplaySampler(copy).sample(y, new SplittableRandom(3));
        assertArrayEquals(x.observations(), y.observations(), 0.0);
        assertArrayEquals(x.returnsToGo(), y.returnsToGo(), 0.0);
        // the pending episode comes back too and finishes identically
        step(b, 7, 1, true, false);
        step(copy, 7, 1, true, false);
        for (int i = 0; i < b.size(); i++) {
            assertEquals(b.returnToGo(i), copy.returnToGo(i), 0.0);
        }
    }

    @Test
    void importRejectsMismatchedState() {
        ReplayBuffer b = buffer(4);
        step(b, 0, 1, true, false);
        ReplayBuffer.State state = b.exportState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> buffer(5).importState(state));
        assertTrue(e.getMessage().contains("capacity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReplayBuffer.State(4, 1, 1, 2, 1, 1,
                new float[1], new float[1], new float[1], new float[1], new boolean[1], new double[1],
                new float[0], new float[0], new float[0], new float[0], new boolean[0]));
        e = assertThrows(IllegalArgumentException.class, () -> new ReplayBuffer.State(4, 1, 1, 1, 1, 1,
                new float[1], new float[1], new float[1], new float[1], new boolean[1], new double[] {Double.NaN},
                new float[0], new float[0], new float[0], new float[0], new boolean[0]));
        assertTrue(e.getMessage().contains("returnsToGo[0]"), e.getMessage());
    }

    @Test
    void badInputRejected() {
        ReplayBuffer b = buffer(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> step(b, 0, Double.NaN, false, false));
        assertTrue(e.getMessage().contains("reward") && e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> b.add(new double[2], new double[1], 0, new double[1], false, false));
        assertEquals(0, b.pendingSize());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ReplayBuffer(0, 1, 1, RewardTransform.identity(), 0.9, OptionalDouble.empty()));
        assertTrue(e.getMessage().contains("capacity"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ReplayBuffer(4, 1, 1, RewardTransform.identity(), 1.0, OptionalDouble.empty()));
        assertThrows(IndexOutOfBoundsException.class, () -> b.returnToGo(0));
    }
}
