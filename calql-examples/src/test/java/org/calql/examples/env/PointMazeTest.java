package org.calql.examples.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.calql.env.StepResult;
import org.junit.jupiter.api.Test;

class PointMazeTest {

    @Test
    void resetIsDeterministicInTheSeedAndNearTheStart() {
        PointMaze maze = new PointMaze();
        double[] a = maze.reset(42);
        double[] b = maze.reset(42);
        double[] c = maze.reset(43);
        assertArrayEquals(a, b, 0);
        assertFalse(a[0] == c[0] && a[1] == c[1]);
        for (long seed = 0; seed < 100; seed++) {
            double[] s = maze.reset(seed);
            assertTrue(Math.abs(s[0] - 1.5) <= PointMaze.DEFAULT_START_NOISE, "x " + s[0]);
            assertTrue(Math.abs(s[1] - 1.5) <= PointMaze.DEFAULT_START_NOISE, "y " + s[1]);
        }
        assertEquals(2, maze.observationDim());
        assertEquals(2, maze.actionDim());
        assertEquals(300, maze.maxEpisodeSteps());
    }

    @Test
    void theWallBetweenStartAndGoalStopsTheAgentFlush() {
        PointMaze maze = new PointMaze();
        maze.resetAt(1.5, 1.5);
        StepResult r = null;
        for (int i = 0; i < 20; i++) {
            r = maze.step(new double[] {0, 1});
        }
        double[] p = r.observation();
        assertEquals(1.5, p[0], 0);
        assertEquals(2 - PointMaze.AGENT_HALF_WIDTH, p[1], 1e-6);
        assertTrue(p[1] < 2 - PointMaze.AGENT_HALF_WIDTH);
        assertEquals(0.0, r.reward());
        // pushing diagonally into a corner slides along the free axis only
        maze.resetAt(1.5, 1.5);
        for (int i = 0; i < 20; i++) {
            r = maze.step(new double[] {-1, -1});
        }
        assertArrayEquals(new double[] {1 + PointMaze.AGENT_HALF_WIDTH, 1 + PointMaze.AGENT_HALF_WIDTH},
                r.observation(), 1e-6);
    }

    @Property(tries = 200)
    void randomWalksNeverEndInsideAWall(@ForAll long seed, @ForAll @DoubleRange(min = 0, max = 1) double speedFraction,
            @ForAll boolean medium) {
        MazeLayout layout = medium ? MazeLayout.medium() : MazeLayout.uMaze();
        double speed = 0.01 + speedFraction * (1 - 2 * PointMaze.AGENT_HALF_WIDTH - 0.02);
        PointMaze maze = new PointMaze(layout, 1000, speed, 0.05, 0.0);
        SplittableRandom rng = new SplittableRandom(seed);
        // a random free start position anywhere in the maze
        double x;
        double y;
        do {
            x = rng.nextDouble(0, layout.width());
            y = rng.nextDouble(0, layout.height());
        } while (!maze.isFree(x, y));
        maze.resetAt(x, y);
        for (int t = 0; t < 200; t++) {
            double[] action = {rng.nextDouble(-1.5, 1.5), rng.nextDouble(-1.5, 1.5)};
            if (rng.nextInt(4) == 0) {
                action[rng.nextInt(2)] = rng.nextBoolean() ? 1 : -1; // axis-aligned pushes into walls
            }
            StepResult r = maze.step(action);
            double[] p = r.observation();
            assertTrue(maze.isFree(p[0], p[1]), "ended inside a wall at (" + p[0] + ", " + p[1] + ")");
            assertTrue(Math.abs(p[0] - x) <= speed + 1e-12 && Math.abs(p[1] - y) <= speed + 1e-12, "moved too far");
            x = p[0];
            y = p[1];
            if (r.done()) {
                break;
            }
        }
    }

    @Test
    void reachingTheGoalGivesRewardOneAndTerminates() {
        PointMaze maze = new PointMaze();
        maze.resetAt(1.5 + 0.35, 3.5);
        StepResult r = maze.step(new double[] {-0.1, 0});
        assertFalse(r.done());
        assertEquals(0.0, r.reward());
        r = maze.step(new double[] {-1, 0});
        assertEquals(1.0, r.reward());
        assertTrue(r.terminated() && r.success());
        assertFalse(r.truncated());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> maze.step(new double[] {0, 0}));
        assertTrue(e.getMessage().contains("reset"), e.getMessage());
    }

    @Test
    void episodesAreTruncatedAtTheStepLimit() {
        PointMaze maze = new PointMaze(MazeLayout.uMaze(), 5);
        maze.reset(0);
        for (int i = 0; i < 4; i++) {
            assertFalse(maze.step(new double[] {0, 0}).done());
        }
        StepResult r = maze.step(new double[] {0, 0});
        assertTrue(r.truncated());
        assertFalse(r.terminated() || r.success());
    }

    @Test
    void badActionsAndSettingsAreRejected() {
        PointMaze maze = new PointMaze();
        assertThrows(IllegalStateException.class, () -> new PointMaze().step(new double[] {0, 0}));
        maze.reset(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> maze.step(new double[] {0}));
        assertTrue(e.getMessage().contains("length 2") && e.getMessage().contains("found 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> maze.step(new double[] {0.3, Double.NaN}));
        assertTrue(e.getMessage().contains("action[1] = NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> maze.resetAt(2.5, 2.5)); // inside the wall
        assertThrows(IllegalArgumentException.class, () -> maze.resetAt(1.05, 1.5)); // overlapping it
        e = assertThrows(IllegalArgumentException.class, () -> new PointMaze(MazeLayout.uMaze(), 100, 0.9, 0.3, 0));
        assertTrue(e.getMessage().contains("speed") && e.getMessage().contains("0.9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PointMaze(MazeLayout.uMaze(), 0));
        assertThrows(IllegalArgumentException.class, () -> new PointMaze(MazeLayout.uMaze(), 100, 0.1, 0.6, 0));
    }

    @Test
    void actionsAreClippedToTheBox() {
        PointMaze maze = new PointMaze();
        maze.resetAt(1.5, 1.5);
        double[] p = maze.step(new double[] {5, 0}).observation();
        assertEquals(1.5 + PointMaze.DEFAULT_SPEED, p[0], 1e-12);
        assertNotEquals(0, maze.stepsTaken());
    }
}
