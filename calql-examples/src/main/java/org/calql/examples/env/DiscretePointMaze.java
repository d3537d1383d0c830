package org.calql.examples.env;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.calql.env.DiscreteSpace;
import org.calql.env.Environment;
import org.calql.env.StepResult;

/**
 * A {@link PointMaze} with compass actions: action {@code k} applies the {@code k}-th of 4 or 8 fixed velocities at
 * full action, so the agent moves {@code speed} cells per step along an axis (and {@code speed} along both axes on a
 * diagonal, the corner of the continuous action box). Walls, reward, termination, step limit and reset are the
 * wrapped maze's.
 *
 * <table>
 *   <caption>Action indices and the velocities {@code (vx, vy)} they apply</caption>
 *   <tr><th>index</th><th>4 directions</th><th>8 directions</th></tr>
 *   <tr><td>0</td><td>(1, 0)</td><td>(1, 0)</td></tr>
 *   <tr><td>1</td><td>(0, 1)</td><td>(1, 1)</td></tr>
 *   <tr><td>2</td><td>(−1, 0)</td><td>(0, 1)</td></tr>
 *   <tr><td>3</td><td>(0, −1)</td><td>(−1, 1)</td></tr>
 *   <tr><td>4</td><td></td><td>(−1, 0)</td></tr>
 *   <tr><td>5</td><td></td><td>(−1, −1)</td></tr>
 *   <tr><td>6</td><td></td><td>(0, −1)</td></tr>
 *   <tr><td>7</td><td></td><td>(1, −1)</td></tr>
 * </table>
 *
 * <p>The directions go counter-clockwise from {@code +x} in steps of {@code 360°/n}. An action is one entry holding
 * the index ({@link DiscreteSpace#index(double[])}); anything else is refused with the value named. A continuous
 * behaviour is made discrete by {@link #nearestDirection(double[])} (see {@link #discretized(BehaviourPolicy)}).
 * Stateful and not thread-safe, like the maze it wraps (which it owns; do not step the maze directly).
 */
public final class DiscretePointMaze implements Environment {
    private static final double[][] FOUR = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
    private static final double[][] EIGHT = {{1, 0}, {1, 1}, {0, 1}, {-1, 1}, {-1, 0}, {-1, -1}, {0, -1}, {1, -1}};

    private final PointMaze maze;
    private final double[][] directions;
    private final DiscreteSpace actionSpace;

    /**
     * Compass actions in {@code maze}.
     *
     * @param directions 4 or 8
     * @throws IllegalArgumentException if {@code maze} is null or {@code directions} is neither 4 nor 8
     */
    public DiscretePointMaze(PointMaze maze, int directions) {
        if (maze == null) {
            throw new IllegalArgumentException("maze must not be null");
        }
        if (directions != 4 && directions != 8) {
            throw new IllegalArgumentException("directions must be 4 or 8, found " + directions);
        }
        this.maze = maze;
        this.directions = directions == 4 ? FOUR : EIGHT;
        this.actionSpace = new DiscreteSpace(directions);
    }

    /** The wrapped continuous maze (its layout, goal and settings). */
    public PointMaze maze() {
        return maze;
    }

    /** The velocity {@code (vx, vy)} that action {@code index} applies (a copy). */
    public double[] direction(int index) {
        if (index < 0 || index >= directions.length) {
            throw new IllegalArgumentException("direction index must be in [0, " + directions.length + "), found "
                    + index);
        }
        return directions[index].clone();
    }

    /**
     * The action whose direction is closest in angle to {@code velocity} (largest cosine; the lowest index on ties);
     * 0 for a zero velocity.
     *
     * @throws IllegalArgumentException if {@code velocity} is not two finite values
     */
    public int nearestDirection(double[] velocity) {
        if (velocity == null || velocity.length != 2 || !Double.isFinite(velocity[0])
                || !Double.isFinite(velocity[1])) {
            throw new IllegalArgumentException("velocity must be two finite values, found "
                    + (velocity == null ? "null" : Arrays.toString(velocity)));
        }
        int best = 0;
        double bestCos = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < directions.length; k++) {
            double[] d = directions[k];
            double cos = (d[0] * velocity[0] + d[1] * velocity[1]) / Math.hypot(d[0], d[1]);
            if (cos > bestCos) {
                bestCos = cos;
                best = k;
            }
        }
        return best;
    }

    /**
     * A behaviour in this maze that follows a continuous one ({@link MazeWanderer}, {@link MazeOracle}, …) by taking
     * the {@linkplain #nearestDirection nearest direction} of its velocity; the continuous policy's randomness and
     * episode state are kept. A compass step is at full action, so a policy that moves slowly in the continuous maze
     * (the wanderer's speed factor is 0.45) moves faster here.
     *
     * @throws IllegalArgumentException if {@code continuous} is null
     */
    public BehaviourPolicy discretized(BehaviourPolicy continuous) {
        if (continuous == null) {
            throw new IllegalArgumentException("continuous policy must not be null");
        }
        return new BehaviourPolicy() {
            @Override
            public void startEpisode(double[] firstObservation, SplittableRandom rng) {
                continuous.startEpisode(firstObservation, rng);
            }

            @Override
            public double[] act(double[] observation, SplittableRandom rng) {
                return new double[] {nearestDirection(continuous.act(observation, rng))};
            }
        };
    }

    @Override
    public int observationDim() {
        return maze.observationDim();
    }

    @Override
    public DiscreteSpace actionSpace() {
        return actionSpace;
    }

    @Override
    public int maxEpisodeSteps() {
        return maze.maxEpisodeSteps();
    }

    @Override
    public double[] reset(long seed) {
        return maze.reset(seed);
    }

    /**
     * Moves in direction {@code action[0]}.
     *
     * @throws IllegalArgumentException if the action is not one index in {@code [0, n)}
     * @throws IllegalStateException if called before {@link #reset(long)} or after the episode ended
     */
    @Override
    public StepResult step(double[] action) {
        return maze.step(directions[actionSpace.index(action)]);
    }

    @Override
    public String toString() {
        return "DiscretePointMaze[directions=" + directions.length + ", maze=" + maze + "]";
    }
}
