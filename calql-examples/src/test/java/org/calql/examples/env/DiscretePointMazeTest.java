package org.calql.examples.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.calql.data.OfflineDataset;
import org.calql.env.DiscreteSpace;
import org.calql.env.StepResult;
import org.junit.jupiter.api.Test;

class DiscretePointMazeTest {

    @Test
    void anActionStepsTheMazeWithItsDirection() {
        for (int n : new int[] {4, 8}) {
            DiscretePointMaze discrete = new DiscretePointMaze(new PointMaze(), n);
            PointMaze continuous = new PointMaze();
            assertEquals(new DiscreteSpace(n), discrete.actionSpace());
            assertEquals(continuous.maxEpisodeSteps(), discrete.maxEpisodeSteps());
            assertArrayEquals(continuous.reset(5), discrete.reset(5), 0);
            for (int t = 0; t < 40; t++) {
                int k = (t / 3) % n;
                StepResult r = discrete.step(new double[] {k});
                assertEquals(continuous.step(discrete.direction(k)), r, "directions " + n + ", step " + t);
            }
        }
    }

    @Test
    void directionsGoCounterClockwiseFromPlusX() {
        DiscretePointMaze four = new DiscretePointMaze(new PointMaze(), 4);
        assertArrayEquals(new double[] {0, 1}, four.direction(1), 0);
        assertArrayEquals(new double[] {0, -1}, four.direction(3), 0);
        DiscretePointMaze eight = new DiscretePointMaze(new PointMaze(), 8);
        assertArrayEquals(new double[] {1, 1}, eight.direction(1), 0);
        assertArrayEquals(new double[] {-1, -1}, eight.direction(5), 0);
        assertArrayEquals(new double[] {1, -1}, eight.direction(7), 0);
        // one free step to the right moves the agent by the maze's speed
        PointMaze maze = new PointMaze();
        DiscretePointMaze d = new DiscretePointMaze(maze, 4);
        double[] start = d.reset(0);
        double[] next = d.step(new double[] {0}).observation();
        assertEquals(start[0] + PointMaze.DEFAULT_SPEED, next[0], 1e-12);
        assertEquals(start[1], next[1], 0);
        assertThrows(IllegalArgumentException.class, () -> four.direction(4));
    }

    @Test
    void nearestDirectionTakesTheLargestCosineAndTheLowestIndexOnTies() {
        DiscretePointMaze four = new DiscretePointMaze(new PointMaze(), 4);
        DiscretePointMaze eight = new DiscretePointMaze(new PointMaze(), 8);
        assertEquals(0, four.nearestDirection(new double[] {0.9, 0.1}));
        assertEquals(0, four.nearestDirection(new double[] {0.6, 0.5}));
        assertEquals(1, eight.nearestDirection(new double[] {0.6, 0.5}));
        assertEquals(3, four.nearestDirection(new double[] {0.01, -1}));
        assertEquals(6, eight.nearestDirection(new double[] {0.01, -1}));
        // (-1, -1) is as close to -x as to -y: the lower index wins
        assertEquals(2, four.nearestDirection(new double[] {-1, -1}));
        assertEquals(5, eight.nearestDirection(new double[] {-1, -1}));
        assertEquals(0, eight.nearestDirection(new double[] {0, 0}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> four.nearestDirection(new double[] {Double.NaN, 0}));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void actionsThatAreNotIndicesAndBadSettingsAreRefused() {
        DiscretePointMaze four = new DiscretePointMaze(new PointMaze(), 4);
        four.reset(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> four.step(new double[] {4}));
        assertTrue(e.getMessage().contains("[0, 4)") && e.getMessage().contains("found 4.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> four.step(new double[] {0.5}));
        assertThrows(IllegalArgumentException.class, () -> four.step(new double[] {0, 1}));
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> new DiscretePointMaze(new PointMaze(), 6));
        assertTrue(n.getMessage().contains("directions") && n.getMessage().contains("6"), n.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DiscretePointMaze(null, 4));
        assertThrows(IllegalArgumentException.class, () -> four.discretized(null));
    }

    /**
     * The discretized oracle always reaches the goal (at most 58 steps with 4 directions, 50 with 8, seed 3); the
     * discretized wanderer sometimes: measured success rates for 500 episodes, seeds 0, 1, 2024: 0.092, 0.114, 0.114
     * with 4 directions and 0.192, 0.192, 0.250 with 8.
     */
    @Test
    void discretizedBehavioursReachTheGoalAsExpected() {
        for (int n : new int[] {4, 8}) {
            DiscretePointMaze maze = new DiscretePointMaze(new PointMaze(), n);
            Rollouts oracle = DatasetGenerator.rollout(maze, maze.discretized(new MazeOracle(maze.maze())), 20, 3);
            assertEquals(1.0, oracle.successRate(), "oracle with " + n + " directions");
            Rollouts wanderer = DatasetGenerator.rollout(maze, maze.discretized(new MazeWanderer(maze.maze())), 300,
                    2024);
            double rate = wanderer.successRate();
            assertTrue(rate >= 0.04 && rate <= 0.35, "wanderer with " + n + " directions: " + rate);
        }
    }

    @Test
    void itsDatasetHoldsDirectionIndices() {
        DiscretePointMaze maze = new DiscretePointMaze(new PointMaze(), 8);
        OfflineDataset d = DatasetGenerator.discretePointMaze(maze, 10, 4);
        assertEquals(1, d.actionDim());
        assertEquals(2, d.observationDim());
        assertEquals(10, d.episodeCount());
        boolean[] seen = new boolean[8];
        for (int t = 0; t < d.size(); t++) {
            float a = d.action(t, 0);
            assertTrue(a >= 0 && a < 8 && a == Math.rint(a), "action " + a + " at " + t);
            seen[(int) a] = true;
            assertEquals(d.isTerminal(t), d.reward(t) == 1f);
        }
        for (int k = 0; k < 8; k++) {
            assertTrue(seen[k], "direction " + k + " never taken");
        }
        assertThrows(IllegalArgumentException.class, () -> DatasetGenerator.discretePointMaze(null, 1, 1));
    }
}
