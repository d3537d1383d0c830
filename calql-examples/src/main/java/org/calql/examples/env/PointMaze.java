package org.calql.examples.env;

import java.util.SplittableRandom;
import org.calql.env.BoxSpace;
import org.calql.env.ResettableToState;
import org.calql.env.StepResult;

/**
 * A sparse-reward 2-D point-mass maze in the spirit of AntMaze: the agent is an axis-aligned square
 * of half-width {@value #AGENT_HALF_WIDTH} moving in the plane of a {@link MazeLayout} (unit cells)
 * and must reach the centre of the goal cell.
 *
 * <ul>
 *   <li>Observation: the position {@code (x, y)} (2 values).
 *   <li>Action: a velocity {@code (vx, vy)} in {@code [-1, 1]^2}, clipped; one step moves
 *       {@code speed * (vx, vy)} (default speed {@value #DEFAULT_SPEED} cells per step).
 *   <li>Walls: movement is resolved one axis at a time (x, then y); a move that would make the
 *       agent overlap a wall stops it flush against the wall face, so it slides along walls and can
 *       never pass through or end inside one.
 *   <li>Reward: 1 when the centre is within {@code goalRadius} of the goal (default
 *       {@value #DEFAULT_GOAL_RADIUS}), else 0; the episode then terminates with success. Otherwise it
 *       is truncated after {@code maxEpisodeSteps} steps (default {@value #DEFAULT_MAX_STEPS}).
 *   <li>Reset: the start cell's centre plus uniform noise in {@code [-startNoise, startNoise]^2}
 *       drawn from the reset seed (default {@value #DEFAULT_START_NOISE}).
 * </ul>
 *
 * <p>For training, the AntMaze reward transform (scale 10, bias −5) is the trainer's business, not
 * the environment's. Deterministic given the reset seed and the actions; not thread-safe.
 */
public final class PointMaze implements ResettableToState {
    /** Half-width of the agent's square body, in cells. */
    public static final double AGENT_HALF_WIDTH = 0.1;
    /** Default distance moved per step at full action, in cells. */
    public static final double DEFAULT_SPEED = 0.1;
    /** Default success radius around the goal cell's centre, in cells. */
    public static final double DEFAULT_GOAL_RADIUS = 0.3;
    /** Default step limit. */
    public static final int DEFAULT_MAX_STEPS = 300;
    /** Default half-width of the uniform noise on the start position. */
    public static final double DEFAULT_START_NOISE = 0.1;

    /** Gap kept between the agent and a wall face after a blocked move, against rounding. */
    private static final double CONTACT_GAP = 1e-9;
    private static final BoxSpace ACTION_SPACE = BoxSpace.uniform(2, -1.0, 1.0);

    private final MazeLayout layout;
    private final int maxEpisodeSteps;
    private final double speed;
    private final double goalRadius;
    private final double startNoise;
    private final double goalX;
    private final double goalY;

    private double x = Double.NaN;
    private double y = Double.NaN;
    private int steps;
    private boolean done = true;

    /** The U-maze ({@link MazeLayout#uMaze()}) with the default settings. */
    public PointMaze() {
        this(MazeLayout.uMaze(), DEFAULT_MAX_STEPS);
    }

    /** A maze with the given layout and step limit and the default speed, goal radius and start noise. */
    public PointMaze(MazeLayout layout, int maxEpisodeSteps) {
        this(layout, maxEpisodeSteps, DEFAULT_SPEED, DEFAULT_GOAL_RADIUS, DEFAULT_START_NOISE);
    }

    /**
     * A maze with every setting given.
     *
     * @param layout the walls, start and goal
     * @param maxEpisodeSteps step limit, at least 1
     * @param speed distance per step at full action, in {@code (0, 1 - 2 * AGENT_HALF_WIDTH)}
     * @param goalRadius success radius, in {@code (0, 0.5]}
     * @param startNoise start noise half-width, in {@code [0, 0.5 - AGENT_HALF_WIDTH]}
     * @throws IllegalArgumentException naming the setting, its value and the rule
     */
    public PointMaze(MazeLayout layout, int maxEpisodeSteps, double speed, double goalRadius, double startNoise) {
        if (layout == null) {
            throw new IllegalArgumentException("layout must not be null");
        }
        if (maxEpisodeSteps < 1) {
            throw new IllegalArgumentException("maxEpisodeSteps must be at least 1, found " + maxEpisodeSteps);
        }
        if (!(speed > 0 && speed < 1 - 2 * AGENT_HALF_WIDTH)) {
            throw new IllegalArgumentException("speed must be in (0, " + (1 - 2 * AGENT_HALF_WIDTH) + "), found "
                    + speed);
        }
        if (!(goalRadius > 0 && goalRadius <= 0.5)) {
            throw new IllegalArgumentException("goalRadius must be in (0, 0.5], found " + goalRadius);
        }
        if (!(startNoise >= 0 && startNoise <= 0.5 - AGENT_HALF_WIDTH)) {
            throw new IllegalArgumentException("startNoise must be in [0, " + (0.5 - AGENT_HALF_WIDTH) + "], found "
                    + startNoise);
        }
        this.layout = layout;
        this.maxEpisodeSteps = maxEpisodeSteps;
        this.speed = speed;
        this.goalRadius = goalRadius;
        this.startNoise = startNoise;
        double[] goal = layout.center(layout.goalCell());
        this.goalX = goal[0];
        this.goalY = goal[1];
    }

    @Override
    public int observationDim() {
        return 2;
    }

    @Override
    public BoxSpace actionSpace() {
        return ACTION_SPACE;
    }

    @Override
    public int maxEpisodeSteps() {
        return maxEpisodeSteps;
    }

    /** The layout. */
    public MazeLayout layout() {
        return layout;
    }

    /** Distance moved per step at full action. */
    public double speed() {
        return speed;
    }

    /** Success radius around the goal. */
    public double goalRadius() {
        return goalRadius;
    }

    /** The goal position {@code (x, y)}, the goal cell's centre. */
    public double[] goal() {
        return new double[] {goalX, goalY};
    }

    /** The current position {@code (x, y)} (NaN before the first reset). */
    public double[] position() {
        return new double[] {x, y};
    }

    /** Steps taken in the current episode. */
    public int stepsTaken() {
        return steps;
    }

    @Override
    public double[] reset(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] start = layout.center(layout.startCell());
        double sx = start[0] + (startNoise == 0 ? 0 : rng.nextDouble(-startNoise, startNoise));
        double sy = start[1] + (startNoise == 0 ? 0 : rng.nextDouble(-startNoise, startNoise));
        return resetAt(sx, sy);
    }

    /**
     * Starts an episode at the position an observation {@code (x, y)} holds (for rollouts from dataset states); the
     * maze is deterministic, so {@code seed} is unused.
     *
     * @throws IllegalArgumentException if the observation is not of length 2 or as {@link #resetAt}
     */
    @Override
    public double[] resetTo(double[] observation, long seed) {
        if (observation == null || observation.length != 2) {
            throw new IllegalArgumentException("a maze observation has length 2, found "
                    + (observation == null ? "null" : observation.length));
        }
        return resetAt(observation[0], observation[1]);
    }

    /**
     * Starts a new episode at a given position (for diagnostics and tests).
     *
     * @return the first observation
     * @throws IllegalArgumentException if the agent would overlap a wall there or leave the grid
     */
    public double[] resetAt(double px, double py) {
        if (!Double.isFinite(px) || !Double.isFinite(py) || !isFree(px, py)) {
            throw new IllegalArgumentException("start position must leave the agent clear of walls, found ("
                    + px + ", " + py + ")");
        }
        x = px;
        y = py;
        steps = 0;
        done = false;
        return new double[] {x, y};
    }

    /**
     * Whether the agent's square centred at {@code (px, py)} overlaps no wall (touching a face is
     * allowed). Positions outside the grid are never free.
     */
    public boolean isFree(double px, double py) {
        double h = AGENT_HALF_WIDTH;
        int cMin = (int) Math.floor(px - h);
        int cMax = (int) Math.ceil(px + h) - 1;
        int rMin = (int) Math.floor(py - h);
        int rMax = (int) Math.ceil(py + h) - 1;
        for (int r = rMin; r <= rMax; r++) {
            for (int c = cMin; c <= cMax; c++) {
                if (layout.isWall(r, c)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code (px, py)} is within the goal radius. */
    public boolean atGoal(double px, double py) {
        double dx = px - goalX;
        double dy = py - goalY;
        return dx * dx + dy * dy <= goalRadius * goalRadius;
    }

    @Override
    public StepResult step(double[] action) {
        if (done) {
            throw new IllegalStateException(Double.isNaN(x)
                    ? "step called before reset" : "step called after the episode ended; call reset first");
        }
        double[] a = ACTION_SPACE.clip(action);
        double h = AGENT_HALF_WIDTH;
        double dx = speed * a[0];
        double nx = x + dx;
        if (dx != 0 && !isFree(nx, y)) {
            // the move crossed exactly one wall face (speed < 1 - 2h): stop flush against it
            nx = dx > 0 ? Math.ceil(x + h) - h - CONTACT_GAP : Math.floor(x - h) + h + CONTACT_GAP;
        }
        x = nx;
        double dy = speed * a[1];
        double ny = y + dy;
        if (dy != 0 && !isFree(x, ny)) {
            ny = dy > 0 ? Math.ceil(y + h) - h - CONTACT_GAP : Math.floor(y - h) + h + CONTACT_GAP;
        }
        y = ny;
        steps++;
        boolean success = atGoal(x, y);
        boolean truncated = !success && steps >= maxEpisodeSteps;
        done = success || truncated;
        return new StepResult(new double[] {x, y}, success ? 1.0 : 0.0, success, truncated, success);
    }

    @Override
    public String toString() {
        return "PointMaze[maxEpisodeSteps=" + maxEpisodeSteps + ", speed=" + speed + ", goalRadius=" + goalRadius
                + ", layout=\n" + layout + "]";
    }
}
