package org.calql.examples.env;

import java.util.SplittableRandom;

/**
 * The maze's behaviour policy: it wanders toward random waypoints, uniform over the free area of
 * the maze, following the shortest cell path at a reduced speed with Gaussian action noise and
 * occasional uniformly random actions; a waypoint is replaced once reached or after a step budget.
 * The data it makes cover the maze, are suboptimal, and reach the evaluation goal in only a small
 * fraction of episodes (the goal is not a preferred waypoint), like AntMaze's "diverse" datasets.
 */
public final class MazeWanderer implements BehaviourPolicy {
    /** Default action magnitude toward the waypoint, before noise. */
    public static final double DEFAULT_SPEED_FACTOR = 0.45;
    /** Default standard deviation of the Gaussian noise on each action component. */
    public static final double DEFAULT_NOISE_STD = 0.7;
    /** Default probability of a uniformly random action on a step. */
    public static final double DEFAULT_RANDOM_ACTION_PROBABILITY = 0.2;
    /** Default steps after which an unreached waypoint is replaced. */
    public static final int DEFAULT_WAYPOINT_BUDGET = 60;

    private static final double WAYPOINT_RADIUS = 0.25;
    /** Waypoints keep this far from their cell's border, so the agent fits there. */
    private static final double WAYPOINT_MARGIN = 0.15;

    private final PointMaze maze;
    private final double speedFactor;
    private final double noiseStd;
    private final double randomActionProbability;
    private final int waypointBudget;

    private double waypointX;
    private double waypointY;
    private int stepsOnWaypoint;

    /** A wanderer with the default settings. */
    public MazeWanderer(PointMaze maze) {
        this(maze, DEFAULT_SPEED_FACTOR, DEFAULT_NOISE_STD, DEFAULT_RANDOM_ACTION_PROBABILITY, DEFAULT_WAYPOINT_BUDGET);
    }

    /**
     * A wanderer with every setting given.
     *
     * @param maze the maze it wanders in
     * @param speedFactor action magnitude toward the waypoint, in {@code (0, 1]}
     * @param noiseStd Gaussian noise per action component, {@code >= 0}
     * @param randomActionProbability chance of a uniform random action, in {@code [0, 1]}
     * @param waypointBudget steps before an unreached waypoint is replaced, at least 1
     * @throws IllegalArgumentException naming the setting, its value and the rule
     */
    public MazeWanderer(PointMaze maze, double speedFactor, double noiseStd, double randomActionProbability,
            int waypointBudget) {
        if (maze == null) {
            throw new IllegalArgumentException("maze must not be null");
        }
        if (!(speedFactor > 0 && speedFactor <= 1)) {
            throw new IllegalArgumentException("speedFactor must be in (0, 1], found " + speedFactor);
        }
        if (!(noiseStd >= 0) || !Double.isFinite(noiseStd)) {
            throw new IllegalArgumentException("noiseStd must be finite and >= 0, found " + noiseStd);
        }
        if (!(randomActionProbability >= 0 && randomActionProbability <= 1)) {
            throw new IllegalArgumentException("randomActionProbability must be in [0, 1], found "
                    + randomActionProbability);
        }
        if (waypointBudget < 1) {
            throw new IllegalArgumentException("waypointBudget must be at least 1, found " + waypointBudget);
        }
        this.maze = maze;
        this.speedFactor = speedFactor;
        this.noiseStd = noiseStd;
        this.randomActionProbability = randomActionProbability;
        this.waypointBudget = waypointBudget;
    }

    @Override
    public void startEpisode(double[] firstObservation, SplittableRandom rng) {
        newWaypoint(rng);
    }

    @Override
    public double[] act(double[] observation, SplittableRandom rng) {
        double x = observation[0];
        double y = observation[1];
        double wx = waypointX - x;
        double wy = waypointY - y;
        if (wx * wx + wy * wy <= WAYPOINT_RADIUS * WAYPOINT_RADIUS || stepsOnWaypoint >= waypointBudget) {
            newWaypoint(rng);
        }
        stepsOnWaypoint++;
        if (rng.nextDouble() < randomActionProbability) {
            return new double[] {rng.nextDouble(-1.0, 1.0), rng.nextDouble(-1.0, 1.0)};
        }
        double[] d = MazeSteering.aim(maze.layout(), x, y, waypointX, waypointY);
        double norm = Math.hypot(d[0], d[1]);
        double scale = norm > 1e-12 ? speedFactor / norm : 0.0;
        return new double[] {
            clip(d[0] * scale + noiseStd * gaussian(rng)),
            clip(d[1] * scale + noiseStd * gaussian(rng))
        };
    }

    private void newWaypoint(SplittableRandom rng) {
        MazeLayout layout = maze.layout();
        int cell = layout.freeCell(rng.nextInt(layout.freeCellCount()));
        waypointX = layout.column(cell) + rng.nextDouble(WAYPOINT_MARGIN, 1 - WAYPOINT_MARGIN);
        waypointY = layout.row(cell) + rng.nextDouble(WAYPOINT_MARGIN, 1 - WAYPOINT_MARGIN);
        stepsOnWaypoint = 0;
    }

    /** A standard normal draw (Box–Muller) from {@code rng}, so the stream is ours alone. */
    static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double clip(double v) {
        return Math.max(-1.0, Math.min(1.0, v));
    }
}
