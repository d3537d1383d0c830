package org.calql.examples.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.calql.data.OfflineDataset;
import org.calql.env.ActionScaling;
import org.junit.jupiter.api.Test;

class DatasetGeneratorTest {

    @Test
    void sameSeedGivesTheSameBits() {
        PointMaze maze = new PointMaze();
        OfflineDataset a = DatasetGenerator.pointMaze(maze, 30, 99);
        OfflineDataset b = DatasetGenerator.pointMaze(new PointMaze(), 30, 99);
        assertSameBits(a, b);
        OfflineDataset c = DatasetGenerator.pointMaze(maze, 30, 100);
        assertFalse(a.size() == c.size() && a.observationsView().equals(c.observationsView()));

        assertSameBits(DatasetGenerator.pendulum(5, 1), DatasetGenerator.pendulum(5, 1));
        assertSameBits(DatasetGenerator.mountainCar(20, 8), DatasetGenerator.mountainCar(20, 8));
        OfflineDataset other = DatasetGenerator.mountainCar(20, 9);
        OfflineDataset same = DatasetGenerator.mountainCar(20, 8);
        assertFalse(same.size() == other.size() && same.actionsView().equals(other.actionsView()));
    }

    private static void assertSameBits(OfflineDataset a, OfflineDataset b) {
        assertEquals(a.size(), b.size());
        assertEquals(bits(a.observationsView()), bits(b.observationsView()));
        assertEquals(bits(a.actionsView()), bits(b.actionsView()));
        assertEquals(bits(a.rewardsView()), bits(b.rewardsView()));
        assertEquals(bits(a.nextObservationsView()), bits(b.nextObservationsView()));
        assertArrayEquals(a.terminals(), b.terminals());
        assertArrayEquals(a.episodeEnds(), b.episodeEnds());
    }

    private static java.util.List<Integer> bits(FloatBuffer f) {
        java.util.List<Integer> out = new java.util.ArrayList<>(f.remaining());
        for (int i = f.position(); i < f.limit(); i++) {
            out.add(Float.floatToRawIntBits(f.get(i)));
        }
        return out;
    }

    /**
     * The wandering behaviour reaches the U-maze's goal in a small but non-zero fraction of its
     * episodes: measured 0.116 for 500 episodes with seed 2024 (0.098 to 0.126 for 1000 episodes
     * with seeds 0 to 9).
     */
    @Test
    void behaviourReachesTheGoalInFewEpisodes() {
        PointMaze maze = new PointMaze();
        Rollouts r = DatasetGenerator.rollout(maze, new MazeWanderer(maze), 500, 2024);
        double rate = r.successRate();
        assertTrue(rate >= 0.05 && rate <= 0.20, "behaviour success rate " + rate);
        OfflineDataset d = r.toDataset();
        assertEquals(500, d.episodeCount());
        assertEquals(Math.round(rate * 500), d.terminalCount());
        assertEquals(d.terminalCount(), (long) d.rewardSum());
    }

    @Test
    void episodesEndAtTerminalsAndTimeLimits() {
        PointMaze maze = new PointMaze(MazeLayout.uMaze(), 50);
        Rollouts r = DatasetGenerator.rollout(maze, new MazeOracle(maze), 4, 0);
        // the oracle needs more than 35 steps; within 50 it succeeds
        assertEquals(1.0, r.successRate());
        Rollouts w = DatasetGenerator.rollout(maze, new MazeWanderer(maze), 10, 0);
        boolean[] ends = w.episodeEnds();
        boolean[] terminals = w.terminals();
        float[] rewards = w.rewards();
        int endCount = 0;
        int t = 0;
        for (int e = 0; e < w.episodeCount(); e++) {
            int len = w.episodeLengths()[e];
            for (int k = 0; k < len; k++, t++) {
                assertEquals(k == len - 1, ends[t]);
                assertEquals(terminals[t], rewards[t] == 1.0f);
                if (terminals[t]) {
                    assertEquals(len - 1, k);
                }
            }
            assertTrue(len == 50 || w.episodeSuccesses()[e]);
            endCount++;
        }
        assertEquals(w.size(), t);
        assertEquals(10, endCount);
        // next observation of a step is the observation of the following step within an episode
        float[] obs = w.observations();
        float[] next = w.nextObservations();
        for (int i = 0; i + 1 < w.size(); i++) {
            if (!ends[i]) {
                assertEquals(next[2 * i], obs[2 * (i + 1)]);
                assertEquals(next[2 * i + 1], obs[2 * (i + 1) + 1]);
            }
        }
    }

    @Test
    void pendulumActionsAreStoredInThePolicyRange() {
        Rollouts r = DatasetGenerator.rollout(new Pendulum(), new PendulumBehaviour(), 2, 4);
        OfflineDataset d = r.toDataset();
        assertEquals(400, d.size());
        assertEquals(0, d.terminalCount());
        assertEquals(2, d.episodeCount());
        float[] torques = r.actions();
        boolean sawFullTorque = false;
        for (int t = 0; t < d.size(); t++) {
            assertEquals(torques[t] / 2.0f, d.action(t, 0), 1e-6f);
            assertTrue(Math.abs(d.action(t, 0)) <= 1.0f);
            sawFullTorque |= Math.abs(torques[t]) == 2.0f;
        }
        assertTrue(sawFullTorque);
        OfflineDataset scaled = r.toDataset(new ActionScaling(new Pendulum().actionSpace(), 2.0));
        assertEquals(torques[7], scaled.action(7, 0), 1e-6f);
        assertThrows(IllegalArgumentException.class,
                () -> r.toDataset(ActionScaling.unit(new PointMaze().actionSpace())));
    }

    @Test
    void mountainCarDataHasIntegerActionsAndEpisodeEnds() {
        Rollouts r = DatasetGenerator.rollout(new MountainCar(), new MountainCarBehaviour(), 40, 12);
        OfflineDataset d = r.toDataset();
        assertEquals(2, d.observationDim());
        assertEquals(1, d.actionDim());
        assertEquals(r.size(), d.size());
        assertEquals(40, d.episodeCount());
        assertArrayEquals(r.episodeLengths(), d.episodeLengths());
        int[] counts = new int[3];
        for (int t = 0; t < d.size(); t++) {
            float a = d.action(t, 0);
            assertTrue(a == 0f || a == 1f || a == 2f, "action " + a + " at " + t);
            counts[(int) a]++;
            assertEquals(-1.0f, d.reward(t));
        }
        assertTrue(counts[0] > 0 && counts[1] > 0 && counts[2] > 0, java.util.Arrays.toString(counts));
        assertArrayEquals(r.actions(), floats(d.actionsView()));

        int successes = 0;
        int t = 0;
        for (int e = 0; e < r.episodeCount(); e++) {
            int len = r.episodeLengths()[e];
            boolean success = r.episodeSuccesses()[e];
            successes += success ? 1 : 0;
            assertTrue(success || len == MountainCar.MAX_STEPS, "episode " + e + " of " + len + " steps");
            for (int k = 0; k < len; k++, t++) {
                assertEquals(k == len - 1, d.isEpisodeEnd(t));
                assertEquals(success && k == len - 1, d.isTerminal(t));
                if (k + 1 < len) {
                    assertEquals(d.nextObservation(t, 0), d.observation(t + 1, 0));
                    assertEquals(d.nextObservation(t, 1), d.observation(t + 1, 1));
                }
            }
            // the terminal step is at the goal; the first observation of an episode is a reset state
            assertEquals(0.0f, d.observation(t - len, 1));
            if (success) {
                assertTrue(d.nextObservation(t - 1, 0) >= 0.5f && d.nextObservation(t - 1, 1) >= 0f);
            }
        }
        assertEquals(d.size(), t);
        assertEquals(successes, d.terminalCount());
        assertTrue(successes > 0 && successes < 40, "successes " + successes);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.toDataset(ActionScaling.unit(new PointMaze().actionSpace())));
        assertTrue(e.getMessage().contains("Discrete(3)"), e.getMessage());
    }

    @Test
    void aDiscretePolicyThatReturnsANonIndexIsRefusedWithTheEpisodeAndStep() {
        BehaviourPolicy fractional = (obs, rng) -> new double[] {obs[1] > 0.003 ? 1.5 : 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetGenerator.rollout(new MountainCar(), fractional, 3, 0));
        assertTrue(e.getMessage().contains("episode 0") && e.getMessage().contains("Discrete(3)")
                && e.getMessage().contains("found 1.5"), e.getMessage());
        BehaviourPolicy outOfRange = (obs, rng) -> new double[] {3};
        IllegalArgumentException o = assertThrows(IllegalArgumentException.class,
                () -> DatasetGenerator.rollout(new MountainCar(), outOfRange, 1, 0));
        assertTrue(o.getMessage().contains("step 0") && o.getMessage().contains("found 3.0"), o.getMessage());
        // a box action of the wrong length is refused the same way
        BehaviourPolicy wide = (obs, rng) -> new double[] {0, 0, 0};
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> DatasetGenerator.rollout(new PointMaze(), wide, 1, 0));
        assertTrue(w.getMessage().contains("episode 0, step 0") && w.getMessage().contains("length 2"),
                w.getMessage());
    }

    @Test
    void randomPolicyDrawsIndicesInADiscreteSpace() {
        Rollouts r = DatasetGenerator.rollout(new MountainCar(), new RandomPolicy(new MountainCar().actionSpace()),
                2, 1);
        int[] counts = new int[3];
        for (float a : r.actions()) {
            counts[(int) a]++;
            assertEquals(Math.rint(a), a, 0);
        }
        assertEquals(r.size(), counts[0] + counts[1] + counts[2]);
        for (int c : counts) {
            assertTrue(Math.abs(c - r.size() / 3.0) < 0.1 * r.size(), java.util.Arrays.toString(counts));
        }
    }

    private static float[] floats(FloatBuffer view) {
        float[] out = new float[view.remaining()];
        view.duplicate().get(out);
        return out;
    }

    @Test
    void badArgumentsAreRejected() {
        PointMaze maze = new PointMaze();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetGenerator.rollout(maze, new MazeOracle(maze), 0, 1));
        assertTrue(e.getMessage().contains("episodes") && e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetGenerator.rollout(null, new MazeOracle(maze), 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new MazeWanderer(maze, 0, 0.1, 0.1, 10));
        assertThrows(IllegalArgumentException.class, () -> new MazeWanderer(maze, 0.5, -1, 0.1, 10));
        assertThrows(IllegalArgumentException.class, () -> new PendulumBehaviour(0.1, 1.5));
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> DatasetGenerator.mountainCar(0, 1));
        assertTrue(m.getMessage().contains("episodes") && m.getMessage().contains("0"), m.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetGenerator.mountainCar(null, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RandomPolicy(null));
    }
}
