package org.calql.examples.env;

import java.util.SplittableRandom;

/**
 * A scripted controller that follows the shortest cell path to the goal of a {@link PointMaze} at
 * full speed: the near-optimal reference that shows the goal is reachable. Deterministic (ignores
 * its random generator).
 */
public final class MazeOracle implements BehaviourPolicy {
    private final PointMaze maze;

    /** An oracle for {@code maze}. */
    public MazeOracle(PointMaze maze) {
        if (maze == null) {
            throw new IllegalArgumentException("maze must not be null");
        }
        this.maze = maze;
    }

    @Override
    public double[] act(double[] observation, SplittableRandom rng) {
        double[] goal = maze.goal();
        double[] d = MazeSteering.aim(maze.layout(), observation[0], observation[1], goal[0], goal[1]);
        double s = maze.speed();
        // velocity that covers the remaining distance in one step, clipped per axis to full speed
        return new double[] {clip(d[0] / s), clip(d[1] / s)};
    }

    private static double clip(double v) {
        return Math.max(-1.0, Math.min(1.0, v));
    }
}
