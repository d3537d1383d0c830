package org.calql.examples.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MazeOracleTest {

    @Test
    void oracleReachesTheGoalOfTheUMazeEveryTime() {
        PointMaze maze = new PointMaze();
        Rollouts r = DatasetGenerator.rollout(maze, new MazeOracle(maze), 50, 3);
        assertEquals(1.0, r.successRate());
        for (int len : r.episodeLengths()) {
            // 6 cells of path at 0.1 per step, with diagonal shortcuts: about 47 steps
            assertTrue(len >= 35 && len <= 70, "oracle took " + len + " steps");
        }
    }

    @Test
    void oracleReachesTheGoalOfTheMediumMazeEveryTime() {
        PointMaze maze = new PointMaze(MazeLayout.medium(), 300);
        Rollouts r = DatasetGenerator.rollout(maze, new MazeOracle(maze), 50, 3);
        assertEquals(1.0, r.successRate());
        for (int len : r.episodeLengths()) {
            assertTrue(len <= 120, "oracle took " + len + " steps");
        }
    }

    @Test
    void randomPolicyRarelyIfEverReachesTheGoal() {
        PointMaze maze = new PointMaze();
        Rollouts r = DatasetGenerator.rollout(maze, new RandomPolicy(maze.actionSpace()), 100, 3);
        assertTrue(r.successRate() <= 0.02, "random success " + r.successRate());
    }
}
